"""The platform as real processes for end-to-end and fuzzing tests: each service (and the
gateway) started from its console script on a free port, on a fresh PostgreSQL database of its
own and the test broker with a unique topic prefix, trusting the test's token key."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests import testing

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ["pledge", "trusteeship", "navigation", "enforcement", "operations"]
ISSUER = "ipops-gateway"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppProcess:
    name: str
    port: int
    env: dict[str, str]
    database_url: str | None = None
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log_dir = ROOT / "var" / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        log = open(log_dir / f"stack-{self.name}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / self.name)],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@dataclass
class Stack:
    tokens: testing.TokenFactory
    prefix: str = field(default_factory=lambda: testing.unique_name("s") + ".")
    apps: dict[str, AppProcess] = field(default_factory=dict)

    async def start(self, names: list[str], *, gateway: bool = False) -> None:
        names = [n for n in names if n not in self.apps]
        for name in names:
            url = await testing.create_database(f"s_{name}_")
            port = free_port()
            p = name.upper() + "_"
            env = {
                f"{p}DATABASE_URL": url,
                f"{p}KAFKA_BOOTSTRAP_SERVERS": testing.kafka_bootstrap(),
                f"{p}TOPIC_PREFIX": self.prefix,
                f"{p}JWT_PUBLIC_KEYS": json.dumps([self.tokens.public_pem]),
                f"{p}JWT_ISSUER": ISSUER,
                f"{p}ENVIRONMENT": "test",
                f"{p}HOST": "127.0.0.1",
                f"{p}PORT": str(port),
                f"{p}LOG_LEVEL": "WARNING",
            }
            self.apps[name] = AppProcess(name, port, env, database_url=url)
        if gateway:
            port = free_port()
            url = await testing.create_database("s_gateway_")
            env = {
                "GATEWAY_DATABASE_URL": url,
                "GATEWAY_KAFKA_BOOTSTRAP_SERVERS": testing.kafka_bootstrap(),
                "GATEWAY_TOPIC_PREFIX": self.prefix,
                "GATEWAY_ENVIRONMENT": "test",
                "GATEWAY_HOST": "127.0.0.1",
                "GATEWAY_PORT": str(port),
                "GATEWAY_LOG_LEVEL": "WARNING",
                "GATEWAY_KEYS_DIR": str(ROOT / "var" / "test-keys" / self.prefix.rstrip(".")),
                "GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_ID": "operator",
                # the suites drive more traffic per client than a bank would; rate limiting has its
                # own tests in tests/gateway
                "GATEWAY_RATE_LIMIT_CLIENT_REQUESTS": "1000000",
                "GATEWAY_RATE_LIMIT_ANONYMOUS_REQUESTS": "1000000",
                "GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET": "stack-operator-secret-" + self.prefix,
            }
            for name in SERVICES:
                if name in self.apps:
                    env[f"GATEWAY_{name.upper()}_URL"] = self.apps[name].url
            self.apps["gateway"] = AppProcess("gateway", port, env, database_url=url)
            # the services trust the gateway's keys as well as the test's own
            for name in names:
                self.apps[name].env[f"{name.upper()}_JWT_JWKS_URL"] = f"http://127.0.0.1:{port}/.well-known/jwks.json"
        new = [self.apps[n] for n in names] + ([self.apps["gateway"]] if gateway else [])
        for app in new:
            app.start()
        await asyncio.gather(*(self.wait_ready(app) for app in new))

    async def wait_ready(self, app: AppProcess, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        async with httpx.AsyncClient(timeout=5) as client:
            while time.monotonic() < deadline:
                assert app.proc is not None
                if app.proc.poll() is not None:
                    raise AssertionError(
                        f"{app.name} exited with {app.proc.returncode}; see var/log/stack-{app.name}.log"
                    )
                try:
                    r = await client.get(f"{app.url}/readyz")
                    if r.status_code == 200:
                        return
                    last = r.text
                except httpx.HTTPError as exc:
                    last = repr(exc)
                await asyncio.sleep(0.3)
        raise AssertionError(f"{app.name} not ready: {last}")

    async def stop(self) -> None:
        for app in self.apps.values():
            app.stop()
        for app in self.apps.values():
            if app.database_url:
                await testing.drop_database(app.database_url)


@contextlib.asynccontextmanager
async def whole_platform(stack: Stack | None = None) -> AsyncIterator[Stack]:
    """Every service and the gateway, started on PostgreSQL and the test broker, stopped after;
    `stack` for a Stack of another kind (one given longer to become ready)."""
    stack = Stack(testing.TokenFactory(issuer=ISSUER)) if stack is None else stack
    try:
        await stack.start(SERVICES, gateway=True)
        yield stack
    finally:
        await stack.stop()
