"""The read-model watch on its own: while the database cannot be read its rounds back off (twice
the interval, then four times at most), and the first good read brings it back to the interval.
No database and no sleeping: the sessions fail on cue and the waits are recorded."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gateway.config import GatewaySettings
from gateway.readmodel import manager as manager_module
from gateway.readmodel.manager import ReadModelManager
from ipops.backoff import Backoff


class FlakySessions:
    """A sessionmaker whose sessions fail while `failing` says so, then find no stored state."""

    def __init__(self, failing: list[bool]) -> None:
        self.failing = failing

    def __call__(self) -> FlakySessions:
        return self

    async def __aenter__(self) -> FlakySessions:
        if self.failing.pop(0):
            raise OSError("the database is restarting")
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def execute(self, query: Any) -> FlakySessions:
        return self

    def one_or_none(self) -> None:
        return None


def recording_backoff(delays: list[float], rounds: int) -> type[Backoff]:
    class Recording(Backoff):
        async def wait(self) -> None:
            if len(delays) == rounds:
                raise asyncio.CancelledError  # enough rounds: end the endless watch
            delays.append(self.next_delay())

    return Recording


async def test_the_watch_backs_off_while_the_database_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    delays: list[float] = []
    monkeypatch.setattr(manager_module, "Backoff", recording_backoff(delays, rounds=7))
    settings = GatewaySettings(environment="test", read_model_watch_seconds=5.0)
    sessions = FlakySessions([False, True, True, True, True, False, False])
    watch = ReadModelManager(settings, sessions)
    with pytest.raises(asyncio.CancelledError):
        await watch._watch_generation()
    # the interval before each read; after the 1st, 2nd, 3rd and 4th failed read 10, 20, 20, 20 s
    # (capped at four times the interval); after the good read the interval again
    assert delays == [5.0, 5.0, 10.0, 20.0, 20.0, 20.0, 5.0]
