"""Capped exponential back-off for the loops that must never die (relay, consumers, topic
creation, job retries): each failure waits longer, up to a cap; a success starts again from the
first delay. One definition, so every loop backs off the same way.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """The delays of one retrying loop: `first`, then doubled per failure up to `cap` seconds."""

    first: float = 0.2
    cap: float = 5.0
    factor: float = 2.0
    _next: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._next = self.first

    @property
    def current(self) -> float:
        """The delay the next failure will wait."""
        return self._next

    def next_delay(self) -> float:
        """The delay to wait now; the one after it grows."""
        delay = self._next
        self._next = min(self._next * self.factor, self.cap)
        return delay

    def reset(self) -> None:
        """A success: the next failure waits the first delay again."""
        self._next = self.first

    async def wait(self) -> None:
        """Sleep for the next delay."""
        await asyncio.sleep(self.next_delay())
