"""The public progress document answered from memory: the same answer as the route's response
model gives, through the same protections, computed once however many ask at once, never older
than the cache's age, and shared computations that survive a caller going away."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from gateway.models import ReadModelState, RmIndicatorSource, RmMilestone
from gateway.public_api import CACHE_CONTROL
from gateway.readmodel.cache import PublishedCache
from gateway.readmodel.schemas import PlanProgress
from ipops.indicators.ledger import IndicatorContribution
from tests.gateway.conftest import gateway_client

PROGRESS = "/api/v1/public/progress"
# Fields that differ between two answers by design: each has its own id and bucket level.
PER_REQUEST = {"x-request-id", "ratelimit", "date"}


async def _fill(app: FastAPI) -> None:
    """A read model with figures, a source, a milestone and a generation (so the document has
    decimals, dates and instants to serialise, not only nulls)."""
    now = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    async with app.state.runtime.transaction() as session:
        session.add(ReadModelState(id=1, generation=3, reset_at=now))
        session.add(RmIndicatorSource(owner="pledge", indicators=["pledge_amount", "pledge_count"], announced_at=now))
        session.add(
            RmMilestone(
                milestone_id="m1",
                goal=8,
                title_zh="华明知识产权特色小镇",
                title_en="Huaming IP town",
                achieved_on=date(2021, 6, 1),
                evidence="区政府文件 <2021> 12 号",
                recorded_at=now,
            )
        )
        for i, (year, fen) in enumerate([(2018, 100_000_000), (2020, 250_000_055), (2022, 400_000_000)]):
            for indicator, quantity in (("pledge_amount", fen), ("pledge_count", 1)):
                session.add(
                    IndicatorContribution(
                        indicator=indicator,
                        subject=f"loan-{i}",
                        owner="pledge",
                        quantity=quantity,
                        start_on=date(year, 5, 1),
                        start_year=year,
                        revision=1,
                        reason="test",
                        recorded_at=now,
                    )
                )


def _fields(r: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in r.headers.items() if k not in PER_REQUEST}


def _answered(metrics: str) -> float:
    """How many 200s the request metrics count for the progress route."""
    line = 'ipops_http_requests_total{method="GET",route="/api/v1/public/progress",service="gateway",status="200"} '
    found = [row[len(line) :] for row in metrics.splitlines() if row.startswith(line)]
    return float(found[0]) if found else 0.0


async def test_answer_is_the_response_models_and_the_routes(gateway_settings) -> None:
    settings = gateway_settings(cors_origins=["https://ip.dongli.example"], hsts_seconds=600)
    async with gateway_client(settings) as (app, client):
        await _fill(app)
        counted = _answered((await client.get("/metrics")).text)
        origin = {"Origin": "https://ip.dongli.example"}
        hit = await client.get(PROGRESS, headers=origin)
        assert hit.status_code == 200
        document = app.state.public_cache.entry.document
        assert document.read_model.generation == 3 and document.milestones[1].status == "recorded"

        # byte for byte what FastAPI writes for the route's response model
        probe = FastAPI()

        @probe.get("/p", response_model=PlanProgress)
        async def p() -> Any:
            return document

        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=probe), base_url="http://probe") as c:
            reference = await c.get("/p")
        assert hit.content == reference.content
        assert hit.headers["content-type"] == reference.headers["content-type"] == "application/json"
        assert hit.headers["content-length"] == reference.headers["content-length"]

        # a query string takes the route itself: the same answer, field for field
        routed = await client.get(PROGRESS, params={"lang": "en"}, headers=origin)
        assert routed.status_code == 200 and routed.content == hit.content
        assert _fields(routed) == _fields(hit)
        assert hit.headers["cache-control"] == CACHE_CONTROL
        assert hit.headers["access-control-allow-origin"] == "https://ip.dongli.example"
        assert hit.headers["strict-transport-security"] == "max-age=600; includeSubDomains"
        assert hit.headers["ratelimit-policy"].startswith('"anonymous"')
        assert hit.headers["x-request-id"] != routed.headers["x-request-id"]
        mine = await client.get(PROGRESS, headers={"X-Request-ID": "front-page-7"})
        assert mine.headers["x-request-id"] == "front-page-7"

        # the request metrics name the route, whichever way it was answered
        assert _answered((await client.get("/metrics")).text) - counted == 3


async def test_control_characters_are_still_refused(gateway_settings) -> None:
    async with gateway_client(gateway_settings()) as (_, client):
        r = await client.get(PROGRESS, params={"q": "a\x00b"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.q"
        r = await client.request(
            "GET", PROGRESS, content=b'{"note": "a\\u0000b"}', headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.note"


async def test_many_at_once_share_one_computation(gateway_settings) -> None:
    async with gateway_client(gateway_settings()) as (app, client):
        await _fill(app)
        cache: PublishedCache = app.state.public_cache
        cache.clear()
        before = cache.computations
        answers = await asyncio.gather(*(client.get(PROGRESS) for _ in range(20)))
        assert {r.status_code for r in answers} == {200}
        assert len({r.content for r in answers}) == 1
        assert cache.computations - before == 1


async def test_a_rebuild_is_shown_at_once(gateway_settings) -> None:
    async with gateway_client(gateway_settings()) as (app, client):
        await _fill(app)
        first = (await client.get(PROGRESS)).json()
        async with app.state.runtime.transaction() as session:
            state = await session.get(ReadModelState, 1)
            state.generation = 4
        app.state.read_model.generation = 4  # what the manager does when it rebuilds
        second = (await client.get(PROGRESS)).json()
        assert (first["read_model"]["generation"], second["read_model"]["generation"]) == (3, 4)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Computations:
    """A computation giving `values` in turn, each finishing when released; records each start."""

    def __init__(self, *values: str) -> None:
        self.values = values
        self.started: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}

    async def __call__(self) -> tuple[str, bytes]:
        value = self.values[len(self.started)]
        self.started.append(value)
        await self.gates.setdefault(value, asyncio.Event()).wait()
        return value, value.encode()

    def release(self, value: str) -> None:
        self.gates.setdefault(value, asyncio.Event()).set()


async def settle() -> None:
    """Let every task that can run, run."""
    for _ in range(5):
        await asyncio.sleep(0)


async def test_fresh_ahead_and_expired() -> None:
    clock = Clock()
    cache = PublishedCache(max_age=5.0, refresh_ahead=1.0, timer=clock)
    compute = Computations("a", "b", "c")
    compute.release("a")
    assert (await cache.get(1, compute)).document == "a"
    clock.now = 103.9  # fresh: kept, nothing started
    assert (await cache.get(1, compute)).document == "a"
    await settle()
    assert compute.started == ["a"]
    clock.now = 104.4  # within a second of expiring: answered, and the successor starts
    assert (await cache.get(1, compute)).document == "a"
    assert (await cache.get(1, compute)).document == "a"
    await settle()
    assert compute.started == ["a", "b"]  # one successor only
    clock.now = 105.1  # expired while "b" still runs: the caller waits for it, none starts
    waiting = asyncio.create_task(cache.get(1, compute))
    await settle()
    assert not waiting.done() and compute.started == ["a", "b"]
    compute.release("b")
    published = await waiting
    # its age counts from when its computation began
    assert published.document == "b" and published.at == 104.4
    clock.now = 109.5
    compute.release("c")
    assert (await cache.get(1, compute)).document == "c"


async def test_another_generation_waits_for_its_own_document() -> None:
    clock = Clock()
    cache = PublishedCache(max_age=5.0, refresh_ahead=1.0, timer=clock)
    compute = Computations("gen1", "gen1-ahead", "gen2")
    compute.release("gen1")
    await cache.get(1, compute)
    clock.now += 4.5
    await cache.get(1, compute)  # a refresh ahead for generation 1 is under way
    compute.release("gen2")
    assert (await cache.get(2, compute)).document == "gen2"
    assert compute.started == ["gen1", "gen1-ahead", "gen2"]
    compute.release("gen1-ahead")
    await settle()
    assert cache.entry is not None and cache.entry.document == "gen2"  # the older one is dropped


async def test_a_failure_reaches_the_waiters_and_is_not_kept() -> None:
    cache = PublishedCache(max_age=5.0, refresh_ahead=1.0, timer=Clock())
    calls = 0

    async def failing() -> tuple[str, bytes]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)
        raise ConnectionRefusedError("database down")

    results = await asyncio.gather(cache.get(1, failing), cache.get(1, failing), return_exceptions=True)
    assert [type(r) for r in results] == [ConnectionRefusedError] * 2 and calls == 1
    assert cache.entry is None

    async def working() -> tuple[str, bytes]:
        return "back", b"back"

    assert (await cache.get(1, working)).document == "back"


async def test_a_caller_going_away_does_not_cancel_the_others() -> None:
    cache = PublishedCache(max_age=5.0, refresh_ahead=1.0, timer=Clock())
    compute = Computations("a")
    first = asyncio.create_task(cache.get(1, compute))
    second = asyncio.create_task(cache.get(1, compute))
    await settle()
    first.cancel()
    await settle()
    compute.release("a")
    assert (await second).document == "a"


async def test_clear_forgets_a_computation_under_way() -> None:
    cache = PublishedCache(max_age=5.0, refresh_ahead=1.0, timer=Clock())
    compute = Computations("old", "new")
    old = asyncio.create_task(cache.get(1, compute))
    await settle()
    cache.clear()
    compute.release("new")
    assert (await cache.get(1, compute)).document == "new" and compute.started == ["old", "new"]
    compute.release("old")
    assert (await old).document == "old"  # its caller still gets it, but it is not kept
    assert cache.entry is not None and cache.entry.document == "new"
    await cache.close()
