"""What one running service holds: its settings, database engine, outbox relay and consumers.

`ServiceRuntime.start()` applies migrations, creates the declared topics and starts the relay and
the consumer groups; `stop()` undoes it. The app factory in `ipops.app` calls both from the
lifespan; routes reach the runtime through the `Runtime` dependency.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from ipops import db, kafka
from ipops.backoff import Backoff
from ipops.clock import utc_now
from ipops.contracts.indicators import INDICATOR_TOPIC, SourceAnnouncedV1
from ipops.events.consumer import ConsumerRunner, Handler
from ipops.events.outbox import add_to_outbox
from ipops.events.relay import OutboxRelay
from ipops.indicators.catalogue import owned_by
from ipops.kafka import TopicSpec
from ipops.migrations import upgrade_to_head
from ipops.settings import ServiceSettings

log = logging.getLogger(__name__)

Job = Callable[["ServiceRuntime"], Coroutine[Any, Any, None]]
# A service's own readiness check: {"status": "up" | "warn" | "down", ...}. "warn" is reported but
# keeps the service ready (a condition an operator must fix, not a reason to take it out of
# rotation); "down" makes /readyz 503.
ReadinessCheck = Callable[["ServiceRuntime"], Coroutine[Any, Any, dict[str, Any]]]
S = TypeVar("S", bound=ServiceSettings)


@dataclass
class ServiceDefinition:
    """Everything the platform needs to know to run one service."""

    name: str
    title: str
    version: str
    alembic_ini: Path
    routers: Sequence[APIRouter]
    topics: Sequence[TopicSpec] = ()
    publishes: Sequence[str] = ()
    # consumer group name -> {event type -> handler}
    consumers: Mapping[str, Mapping[str, Handler]] = field(default_factory=dict)
    # long-running background jobs (daily reminders, overdue scans); each loops until cancelled
    jobs: Sequence[Job] = ()
    # checks of the service's own (named): the holiday calendar's coverage, say
    readiness_checks: Mapping[str, ReadinessCheck] = field(default_factory=dict)
    description: str = ""


class ServiceRuntime:
    """The resources of one running service."""

    def __init__(self, definition: ServiceDefinition, settings: ServiceSettings) -> None:
        self.definition = definition
        self.settings = settings
        self.engine: AsyncEngine = db.create_engine(settings.database_url)
        self.sessionmaker: db.SessionMaker = db.make_sessionmaker(self.engine)
        self.relay = OutboxRelay(settings, self.sessionmaker)
        self.consumers = [
            ConsumerRunner(settings, self.sessionmaker, group=f"{definition.name}.{group}", handlers=handlers)
            for group, handlers in definition.consumers.items()
        ]
        self._tasks: list[asyncio.Task[None]] = []
        self.topics_ready = False
        self._kafka_checked_at = 0.0
        self._kafka_error: str | None = "not checked yet"

    def settings_as(self, kind: type[S]) -> S:
        """The settings as the service's own class (`runtime.settings_as(PledgeSettings)`), so a
        service reads its own knobs with their types; a mismatch is a wiring bug and says so."""
        if not isinstance(self.settings, kind):
            raise TypeError(f"{self.definition.name} runs with {type(self.settings).__name__}, not {kind.__name__}")
        return self.settings

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work; after it commits the relay is woken to publish its events at once."""
        async with db.transaction(self.sessionmaker) as session:
            yield session
        self.relay.wake()

    async def start(self) -> None:
        """Migrate, then start the background work (topics, relay, consumers, jobs)."""
        if self.settings.migrate_on_startup:
            await upgrade_to_head(self.definition.alembic_ini, self.settings.database_url)
        if self.settings.run_background_tasks:
            await self._announce_indicator_sources()
            self._tasks.append(asyncio.create_task(self._start_messaging(), name="start-messaging"))
            for job in self.definition.jobs:
                self._tasks.append(asyncio.create_task(job(self), name=getattr(job, "__name__", "job")))

    async def _announce_indicator_sources(self) -> None:
        # The gateway shows an indicator as "no data yet" until its owner says it is the source;
        # saying it at every start (through the outbox) is cheap and survives a rebuilt read model.
        owned = [entry.id for entry in owned_by(self.definition.name)]
        if not owned:
            return
        payload = SourceAnnouncedV1(owner=self.definition.name, indicators=owned, announced_at=utc_now())
        async with self.transaction() as session:
            add_to_outbox(session, payload, source=self.definition.name, key=f"source:{self.definition.name}")

    async def _start_messaging(self) -> None:
        # Kafka may come up after us (or be restarted): keep trying, report not-ready meanwhile.
        backoff = Backoff(first=0.5, cap=5.0)
        while True:
            try:
                await kafka.ensure_topics(self.settings, self.all_topics())
                break
            except Exception as exc:
                self._kafka_error = repr(exc)
                log.warning("cannot create topics yet", extra={"error": repr(exc)})
                await backoff.wait()
        self.topics_ready = True
        await self.relay.start()
        for consumer in self.consumers:
            await consumer.start()

    def all_topics(self) -> list[TopicSpec]:
        """Topics this service publishes to and consumes from."""
        from ipops.events.registry import TOPICS, spec_for

        specs = {t.name: t for t in self.definition.topics}
        if owned_by(self.definition.name):
            specs.setdefault(INDICATOR_TOPIC.name, INDICATOR_TOPIC)
        for handlers in self.definition.consumers.values():
            for type_ in handlers:
                spec = spec_for(type_)
                if spec is not None:
                    specs.setdefault(spec.topic, TOPICS[spec.topic])
        return list(specs.values())

    async def stop(self) -> None:
        """Stop background work and close connections."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        for consumer in self.consumers:
            await consumer.stop()
        await self.relay.stop()
        await self.engine.dispose()

    async def readiness(self) -> dict[str, Any]:
        """Each dependency's state; `ready` only when all are up."""
        checks: dict[str, Any] = {}
        try:
            await asyncio.wait_for(db.ping(self.engine), 3)
            checks["database"] = {"status": "up", "dialect": self.engine.dialect.name}
        except Exception as exc:
            checks["database"] = {"status": "down", "error": repr(exc)[:300]}
        checks["kafka"] = await self._kafka_check()
        if self.settings.run_background_tasks:
            checks["outbox_relay"] = (
                {"status": "up"} if self.relay.healthy else {"status": "down", "error": self.relay.last_error}
            )
            for consumer in self.consumers:
                checks[f"consumer:{consumer.group}"] = (
                    {"status": "up"} if consumer.healthy else {"status": "down", "error": consumer.last_error}
                )
        for name, check in self.definition.readiness_checks.items():
            checks[name] = await self._own_check(check)
        ready = all(c["status"] in ("up", "warn") for c in checks.values())
        return {"service": self.definition.name, "status": "ready" if ready else "not_ready", "checks": checks}

    async def _own_check(self, check: ReadinessCheck) -> dict[str, Any]:
        try:
            return await asyncio.wait_for(check(self), 3)
        except Exception as exc:  # a check that cannot run says so rather than failing the probe
            return {"status": "down", "error": repr(exc)[:300]}

    async def _kafka_check(self) -> dict[str, Any]:
        # A metadata round trip costs a connection; probes come every few seconds, so the answer
        # is cached for two.
        now = time.monotonic()
        if now - self._kafka_checked_at > 2:
            try:
                await kafka.ping(self.settings)
                self._kafka_error = None
            except ConnectionError as exc:
                self._kafka_error = str(exc)[:300]
            self._kafka_checked_at = now
        if self._kafka_error is None:
            return {"status": "up", "bootstrap": self.settings.kafka_bootstrap_servers}
        return {"status": "down", "error": self._kafka_error}


async def get_runtime(request: Request) -> ServiceRuntime:
    """The runtime of the app serving this request. `async` although it awaits nothing: FastAPI
    runs a plain `def` dependency in its thread pool, a thread hop on every request that uses it."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


Runtime = Annotated[ServiceRuntime, Depends(get_runtime)]
