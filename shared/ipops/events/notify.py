"""Telling the outbox relays of a database that rows were committed: `NOTIFY ipops_outbox`, sent
after the commit on a connection of its own, coalesced. The relay LISTENs (ipops.events.relay).

Why not NOTIFY inside the committing transaction: PostgreSQL serialises every committing
transaction that sent NOTIFY on one cluster-wide lock held through its commit (the WAL flush
included), so concurrent writes would commit one at a time. Sent after the commit in autocommit,
the NOTIFY's own transaction writes no WAL and holds that lock only briefly; while one is in
flight further commits only mark that another is due, so a burst of commits costs one or two
NOTIFYs. A process that dies between its commit and the NOTIFY leaves the rows to the relay's
poll, as before there was any NOTIFY.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

CHANNEL = "ipops_outbox"


class _Notifier:
    """At most one NOTIFY in flight per engine and event loop; commits meanwhile ask for one more."""

    def __init__(self, engine: Engine, loop: asyncio.AbstractEventLoop) -> None:
        self._engine = AsyncEngine(engine)
        self.loop = loop
        self._due = False
        self._task: asyncio.Task[None] | None = None

    def poke(self) -> None:
        self._due = True
        if self._task is None or self._task.done():
            self._task = self.loop.create_task(self._run(), name="ipops-outbox-notify")

    async def _run(self) -> None:
        while self._due:
            self._due = False
            try:
                async with self._engine.connect() as conn:
                    autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
                    await autocommit.exec_driver_sql(f"NOTIFY {CHANNEL}")
            except Exception as exc:  # the relay's poll finds the rows anyway
                log.info("outbox NOTIFY not sent", extra={"error": repr(exc)})
                return


_notifiers: weakref.WeakKeyDictionary[Engine, _Notifier] = weakref.WeakKeyDictionary()


def notify_committed(engine: Engine) -> None:
    """After a commit that added outbox rows on `engine` (PostgreSQL): NOTIFY its relays soon."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return  # no event loop (a synchronous caller): the relay's poll will find the rows
    notifier = _notifiers.get(engine)
    if notifier is None or notifier.loop is not loop:
        notifier = _notifiers[engine] = _Notifier(engine, loop)
    notifier.poke()


# SQLite has no LISTEN; its database has one process by construction (ipops.events.relay), so a
# relay is told of a commit in its own process directly, without polling for it.
_in_process: weakref.WeakKeyDictionary[Engine, list[Callable[[], None]]] = weakref.WeakKeyDictionary()


def on_commit_in_process(engine: Engine, wake: Callable[[], None]) -> Callable[[], None]:
    """Call `wake` after each commit in this process that added outbox rows on `engine` (not
    PostgreSQL, which NOTIFYs instead); returns the function that stops it."""
    wakes = _in_process.setdefault(engine, [])
    wakes.append(wake)

    def stop() -> None:
        if wake in wakes:
            wakes.remove(wake)

    return stop


def committed_in_process(engine: Engine) -> None:
    """After a commit that added outbox rows on `engine` (not PostgreSQL): wake its relays here."""
    for wake in list(_in_process.get(engine, ())):
        wake()
