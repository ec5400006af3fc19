"""Fault-injection fixtures: a Kafka broker and a PostgreSQL cluster of the suite's own (so it
can stop and restart them without disturbing anything else), probe service processes it can
SIGKILL, and a record of what was injected and checked for docs/RELIABILITY.md."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import ipops.idempotency  # noqa: F401  (registers the idempotency table on the platform metadata)
from ipops import db
from ipops.db import platform_registry
from tests.foundation.probe import probe_registry
from tests.testing import TokenFactory, create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
KAFKA_ENV = {"KAFKA_NAME": "kafka-faults", "KAFKA_PORT": "29092"}
PG_ENV = {"PG_CLUSTER": "faults", "PGPORT": "5433", "IPOPS_PG_DATABASES": "ipops_faults"}
RESULTS = ROOT / "var" / "reliability" / "faults.json"


def script(path: str, *args: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [str(ROOT / path), *args], env={**os.environ, **env}, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


class Broker:
    bootstrap = "127.0.0.1:29092"

    def start(self) -> None:
        script("deploy/kafka/kafka.sh", "start", env=KAFKA_ENV)

    def stop(self) -> None:
        script("deploy/kafka/kafka.sh", "stop", env=KAFKA_ENV)


class Postgres:
    def restart(self) -> None:
        script("deploy/postgres/pg.sh", "restart", env=PG_ENV)

    def admin_url(self) -> str:
        return script("deploy/postgres/pg.sh", "url", "postgres", env=PG_ENV)


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    script("deploy/kafka/kafka.sh", "reset", env=KAFKA_ENV)
    b = Broker()
    b.start()
    yield b
    b.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    script("deploy/postgres/pg.sh", "start", env=PG_ENV)
    yield Postgres()
    script("deploy/postgres/pg.sh", "stop", env=PG_ENV)


@pytest.fixture
async def fault_db(postgres: Postgres, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    monkeypatch.setenv("IPOPS_TEST_PG_URL", postgres.admin_url())
    url = await create_database("f_")
    engine = db.create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(platform_registry.metadata.create_all)
        await conn.run_sync(probe_registry.metadata.create_all)
    await engine.dispose()
    yield url
    await drop_database(url)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ProbeProcess:
    """One probe service process."""

    env: dict[str, str]
    name: str
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **fault_env: str) -> None:
        log = open(ROOT / "var" / "log" / f"faults-{self.name}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.probe_server"],
            cwd=ROOT,
            env={**os.environ, **self.env, "PROBE_PORT": str(self.port), **fault_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    async def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                assert self.proc is not None and self.proc.poll() is None, f"{self.name} exited"
                try:
                    if (await client.get(f"{self.url}/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise AssertionError(f"{self.name} did not start")

    async def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=5) as client:
            while time.monotonic() < deadline:
                try:
                    if (await client.get(f"{self.url}/readyz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.3)
        raise AssertionError(f"{self.name} not ready")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def terminate(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def exited_by_sigkill(self) -> bool:
        return self.proc is not None and self.proc.poll() == -signal.SIGKILL


@pytest.fixture
def probe_env(fault_db: str, broker: Broker, tokens: TokenFactory) -> dict[str, str]:
    prefix = f"f{os.urandom(4).hex()}."
    return {
        "PROBE_DATABASE_URL": fault_db,
        "PROBE_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "PROBE_TOPIC_PREFIX": prefix,
        "PROBE_JWT_PUBLIC_KEYS": json.dumps([tokens.public_pem]),
        "PROBE_JWT_ISSUER": tokens.issuer,
        "PROBE_JWT_AUDIENCE": tokens.audience,
        "PROBE_ENVIRONMENT": "test",
        "PROBE_LOG_LEVEL": "WARNING",
        "PROBE_CONSUMER_BACKOFF_SECONDS": "0.05",
    }


@pytest.fixture
def processes() -> Iterator[list[ProbeProcess]]:
    started: list[ProbeProcess] = []
    yield started
    for p in started:
        p.terminate()


@pytest.fixture(scope="session")
def fault_log() -> Iterator[list[dict[str, Any]]]:
    """Each scenario appends what it injected and what it checked."""
    entries: list[dict[str, Any]] = []
    yield entries
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(entries, indent=2, ensure_ascii=False))
