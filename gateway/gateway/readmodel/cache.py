"""The public progress document kept in memory as the answer it is sent as.

Figures change only as events arrive, while a front page polled by many browsers would run the
aggregation (half a second on a million contributions) for each of them. So the document is
computed at most once per `max_age` seconds (and at once after a rebuild of the read model, whose
generation it is tagged with), and kept with the bytes of its body, serialised once: a hit costs
no query, no validation and no serialisation.

A computation is shared. Requests that find no fresh document wait for the one computation under
way instead of starting their own: with a million contributions, every one of 32 connections
starting its own aggregation when the document expired kept the database busy for seconds and
answered 20-50 requests a second. And while the document is fresh but within `refresh_ahead`
seconds of expiring, the next request starts its successor in the background and is answered
from the current one, so under steady traffic nobody waits for the aggregation, and still no
answer is older than `max_age` (a document's age counts from when its computation began).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    """One computed document: the value (the charts read it), its JSON body, when its computation
    began (monotonic seconds) and the read-model generation it was computed from."""

    document: Any
    body: bytes
    at: float
    generation: int | None


Compute = Callable[[], Awaitable[tuple[Any, bytes]]]


class PublishedCache:
    """The latest Published document and the computation of its successor, if one is running."""

    def __init__(self, *, max_age: float, refresh_ahead: float, timer: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self.refresh_ahead = refresh_ahead
        self._timer = timer
        self.entry: Published | None = None
        self._pending: asyncio.Task[Published] | None = None
        self._pending_generation: int | None = None
        self.computations = 0  # how many were started (tests and the profile read it)

    def clear(self) -> None:
        """Forget the document; a computation under way is not waited for by anyone after this
        and its result is not kept (it may predate what the caller changed)."""
        self.entry = None
        self._pending = None

    async def get(self, generation: int | None, compute: Compute) -> Published:
        """A document of `generation` no older than `max_age`: the kept one, or the result of
        the computation under way, or of one started now."""
        entry = self.entry
        if entry is not None and entry.generation == generation:
            age = self._timer() - entry.at
            if age <= self.max_age:
                if age > self.max_age - self.refresh_ahead and self._pending is None:
                    self._start(generation, compute)
                return entry
        task = self._pending
        if task is None or self._pending_generation != generation:
            task = self._start(generation, compute)
        # shielded: a caller that goes away does not cancel what the others wait for
        return await asyncio.shield(task)

    def _start(self, generation: int | None, compute: Compute) -> asyncio.Task[Published]:
        self.computations += 1
        task = asyncio.create_task(self._compute(generation, compute), name="public-progress")
        self._pending, self._pending_generation = task, generation
        task.add_done_callback(self._finished)
        return task

    async def _compute(self, generation: int | None, compute: Compute) -> Published:
        began = self._timer()
        document, body = await compute()
        return Published(document=document, body=body, at=began, generation=generation)

    def _finished(self, task: asyncio.Task[Published]) -> None:
        if task is not self._pending:
            # cleared or replaced meanwhile; still fetch a failure, so it is not reported as lost
            if not task.cancelled():
                task.exception()
            return
        self._pending = None
        if task.cancelled():
            return
        if (error := task.exception()) is not None:
            # whoever waited gets the error; a refresh ahead nobody waited for is retried by the
            # first request after the document expires, which then waits and sees the error
            log.warning("computing the public progress failed", extra={"error": repr(error)})
            return
        self.entry = task.result()

    async def close(self) -> None:
        """Stop a computation under way (the app is stopping)."""
        task, self._pending = self._pending, None
        if task is not None:
            task.cancel()
            await asyncio.wait({task})
