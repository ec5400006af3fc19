"""What every step of the demo shares: the world, the callers, the API document, the progress bar."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from scripts.demo.client import Api
from scripts.demo.schema import Schema
from scripts.demo.world import World

T = TypeVar("T")


@dataclass
class Context:
    world: World
    schema: Schema
    operator: Api
    banks: dict[str, Api] = field(default_factory=dict)
    agencies: dict[str, Api] = field(default_factory=dict)
    advance: Callable[[str, int], None] = lambda task, steps: None
    notes: list[str] = field(default_factory=list)


async def each(items: Iterable[T], work: Callable[[T], Awaitable[Any]]) -> list[Any]:
    """`work` on every item at once (the shared semaphore of the callers bounds what is in flight);
    the first failure is raised after the others have finished, so nothing is left half-sent."""
    results = await asyncio.gather(*(work(item) for item in items), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results
