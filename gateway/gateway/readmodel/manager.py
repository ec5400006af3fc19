"""Runs the read model's consumer and rebuilds the read model from the topics.

The consumer group is named after the read model's generation (`read-model.g<N>`). A rebuild
stops the consumer, empties the read-model tables and raises the generation in one transaction,
then starts a consumer under the new group, which has no committed offsets and so reads every
topic from the beginning. Another gateway replica sharing the database notices the new
generation within `read_model_watch_seconds` and switches its consumer too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import col

from gateway.config import GatewaySettings
from gateway.models import ReadModelState, RmCase, RmIndicatorSource, RmMilestone, RmProject
from gateway.readmodel.projector import HANDLERS, SIGNATURE
from ipops.backoff import Backoff
from ipops.clock import utc_now
from ipops.db import SessionMaker, transaction
from ipops.events.consumer import ConsumerRunner
from ipops.events.inbox import InboxEntry
from ipops.indicators.ledger import IndicatorContribution

log = logging.getLogger(__name__)

READ_MODEL_TABLES = (IndicatorContribution, RmIndicatorSource, RmMilestone, RmProject, RmCase)
GROUP_PREFIX = "gateway.read-model.g"


class ReadModelManager:
    """Owns the read model's consumer runner."""

    def __init__(self, settings: GatewaySettings, sessionmaker: SessionMaker) -> None:
        self._settings = settings
        self._sessionmaker = sessionmaker
        self._runner: ConsumerRunner | None = None
        self._lock = asyncio.Lock()
        self._watch: asyncio.Task[None] | None = None
        self.generation: int | None = None
        self.started_at: datetime | None = None
        self.superseded = False

    @property
    def group(self) -> str | None:
        """The consumer group now consuming."""
        return self._runner.group if self._runner else None

    async def current_generation(self) -> tuple[int, bool]:
        """The generation stored in the database (made on first use), and whether it was built by
        this projection."""
        async with transaction(self._sessionmaker) as session:
            state = await session.get(ReadModelState, 1)
            if state is None:
                state = ReadModelState(id=1, generation=1, reset_at=utc_now(), projection=SIGNATURE)
                session.add(state)
            return state.generation, state.projection == SIGNATURE

    async def start(self) -> None:
        """Consume under the stored generation, and watch for rebuilds by other replicas. When
        the rows were built by another projection (this version handles new event types, whose
        events the old consumer skipped and committed), rebuild from the topics first."""
        generation, current = await self.current_generation()
        if current:
            async with self._lock:
                await self._start_runner(generation)
        else:
            log.info("projection changed: rebuilding the read model from the topics")
            await self.rebuild()
        self._watch = asyncio.create_task(self._watch_generation(), name="read-model-watch")

    async def _start_runner(self, generation: int) -> None:
        runner = ConsumerRunner(
            self._settings, self._sessionmaker, group=f"{GROUP_PREFIX}{generation}", handlers=HANDLERS
        )
        await runner.start()
        self._runner = runner
        self.generation = generation
        self.started_at = utc_now()

    async def _stop_runner(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.stop()

    async def stop(self) -> None:
        """Stop consuming."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        async with self._lock:
            await self._stop_runner()

    async def rebuild(self) -> int:
        """Reset the read model and consume every topic again from the beginning; returns the new
        generation."""
        async with self._lock:
            await self._stop_runner()
            async with transaction(self._sessionmaker) as session:
                for table in READ_MODEL_TABLES:
                    await session.execute(delete(table))
                # The old group's inbox claims are of no further use.
                await session.execute(delete(InboxEntry).where(InboxEntry.consumer_group.startswith(GROUP_PREFIX)))
                state = await session.get(ReadModelState, 1, with_for_update=True)
                if state is None:
                    state = ReadModelState(id=1, generation=1, reset_at=utc_now())
                    session.add(state)
                state.generation += 1
                state.reset_at = utc_now()
                state.projection = SIGNATURE
                generation = state.generation
            await self._start_runner(generation)
            log.info("read model rebuild started", extra={"generation": generation})
            return generation

    async def _watch_generation(self) -> None:
        """Every `read_model_watch_seconds`, follow a rebuild made by another replica. While the
        database cannot be read the rounds back off (up to four times the interval) and come
        back to the interval after the first good read."""
        every = self._settings.read_model_watch_seconds
        backoff = Backoff(first=every, cap=4 * every)
        while True:
            await backoff.wait()
            try:
                row = await self._stored_generation()
            except Exception as exc:  # the database may be restarting; try again next round
                log.warning("cannot read the read-model generation", extra={"error": repr(exc)})
                continue
            backoff.reset()
            if row is not None:
                await self._follow(*row)

    async def _stored_generation(self) -> tuple[int, str | None] | None:
        async with self._sessionmaker() as session:
            row = (
                await session.execute(select(col(ReadModelState.generation), col(ReadModelState.projection)))
            ).one_or_none()
        return None if row is None else (row[0], row[1])

    async def _follow(self, stored: int, projection: str | None) -> None:
        async with self._lock:
            if projection != SIGNATURE:
                # A newer gateway (another projection) rebuilt the read model: this one must
                # not consume for it, or it would skip and commit the events it cannot handle.
                if self._runner is not None:
                    log.warning("read model rebuilt by another gateway version; this one stops consuming")
                    await self._stop_runner()
                self.superseded = True
            elif stored != self.generation or self._runner is None:
                self.superseded = False
                await self._stop_runner()
                await self._start_runner(stored)

    def readiness(self) -> dict[str, Any]:
        """The consumer's state for /readyz."""
        runner = self._runner
        if not self._settings.run_background_tasks:
            return {"status": "up", "consuming": False}
        if self.superseded:
            return {"status": "down", "error": "the read model was rebuilt by another gateway version"}
        if runner is None:
            return {"status": "down", "error": "not started"}
        if not runner.healthy:
            return {"status": "down", "group": runner.group, "error": runner.last_error or "starting"}
        return {"status": "up", "group": runner.group, "generation": self.generation}
