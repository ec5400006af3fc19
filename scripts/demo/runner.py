"""One run of the demo: check the platform is up, make the callers, load every part at once under
one bound on requests in flight, then show what the public progress says."""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scripts.demo import enforcement, navigation, operations, pledge, report, trusteeship, world
from scripts.demo.client import TRANSPORT_ERRORS, Api, DemoError, PlatformDown, Reply, Tally, fetch, problem
from scripts.demo.context import Context
from scripts.demo.schema import Schema

ROOT = Path(__file__).resolve().parents[2]
PARTS = {
    "pledge": pledge,
    "trusteeship": trusteeship,
    "navigation": navigation,
    "enforcement": enforcement,
    "operations": operations,
}


@dataclass
class Options:
    gateway: str = "http://127.0.0.1:8000"
    client_id: str = "operator"
    secret: str | None = None
    seed: int = 2019
    scale: float = 1.0
    concurrency: int = 64
    quiet: bool = False


@dataclass
class Outcome:
    seconds: float
    tally: Tally
    progress: dict[str, Any] | None
    notes: list[str]


def operator_secret(options: Options) -> str:
    if options.secret:
        return options.secret
    path = ROOT / "var" / "secrets" / "operator-client-secret"
    if not path.exists():
        raise PlatformDown(
            f"no operator secret: {path} is missing (start the platform with `make up`, or pass --secret)"
        )
    return path.read_text().strip()


def only_slow(ready: Reply) -> bool:
    """The gateway is not ready only because its probes of the services timed out."""
    try:
        services = ready.json().get("services", {})
    except ValueError:
        return False
    down = [s for s in services.values() if isinstance(s, dict) and s.get("status") != "up"]
    return bool(down) and all(str(s.get("error", "")).startswith("timeout") for s in down)


async def check_up(http: aiohttp.ClientSession, gateway: str, wait: float = 300.0) -> Schema:
    """The gateway answers and every part behind it is ready (a busy machine gets `wait` seconds
    to say so); the merged OpenAPI document."""
    deadline = time.monotonic() + wait
    while True:
        try:
            ready = await fetch(http, "GET", "/readyz")
        except TRANSPORT_ERRORS as exc:
            raise PlatformDown(
                f"the gateway at {gateway} does not answer ({exc!r}); start the platform with `make up`"
            ) from exc
        if ready.status_code == 200:
            break
        if time.monotonic() > deadline:
            if only_slow(ready):  # a loaded machine: the probes time out, the services do answer
                break
            raise PlatformDown(f"the platform at {gateway} is not ready: {ready.text[:800]}")
        await asyncio.sleep(2)
    while True:  # every service's paths in it: a body must not depend on which service was slow
        document = await fetch(http, "GET", "/openapi.json")
        if document.status_code != 200:
            raise PlatformDown(f"the gateway has no merged OpenAPI document: {problem(document)}")
        states = document.json().get("info", {}).get("x-ipops-services", {})
        missing = {name: state for name, state in states.items() if state != "included"}
        if not missing:
            break
        if time.monotonic() > deadline:
            raise PlatformDown(f"the gateway cannot describe every service's API: {missing}")
        await asyncio.sleep(2)
    return Schema(document.json())


async def client_for(op: Api, role: str, tenant: str, name: str) -> tuple[str, str]:
    """A gateway client for a bank or an agency: made the first time, its secret renewed after."""
    client_id = f"demo-{role}-{tenant}"
    body = {"client_id": client_id, "name": name, "role": role, "tenant_id": tenant}
    created = await op.write("POST", "/api/v1/gateway/clients", f"client:{client_id}", body, exists=(409,))
    if created is None:
        created = await op.write(
            "POST",
            f"/api/v1/gateway/clients/{client_id}/secret",
            f"secret:{client_id}:{time.time()}",
            count_as="renewed",
        )
    return client_id, str(created["client_secret"])


async def callers(ctx: Context, http: aiohttp.ClientSession, op: Api) -> None:
    async def make(role: str, tenant: str, name: str) -> Api:
        return Api(http, await client_for(op, role, tenant, name), run=op.run, tally=op.tally, limit=op.limit)

    for bank_id, name in ctx.world.banks:
        ctx.banks[bank_id] = await make("bank", bank_id, name)
    for agency_id, name in ctx.world.agencies:
        ctx.agencies[agency_id] = await make("agency", agency_id, name)


async def load(ctx: Context) -> None:
    """The district's parts: the operator's registrations first, then everything else at once."""
    await pledge.pool(ctx)
    await trusteeship.agencies(ctx)
    await asyncio.gather(
        pledge.run(ctx), trusteeship.run(ctx), navigation.run(ctx), enforcement.run(ctx), operations.run(ctx)
    )


def progress_bar(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=quiet,
        transient=False,
    )


async def run(options: Options) -> Outcome:
    started = time.monotonic()
    tally = Tally()
    # as many connections as requests in flight, each kept alive for the whole run
    connector = aiohttp.TCPConnector(limit=options.concurrency, keepalive_timeout=3)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(base_url=options.gateway, connector=connector, timeout=timeout) as http:
        schema = await check_up(http, options.gateway)
        op = Api(
            http,
            (options.client_id, operator_secret(options)),
            run=f"seed-{options.seed}",
            tally=tally,
            limit=asyncio.Semaphore(options.concurrency),
        )
        ctx = Context(world=world.build(options.seed, options.scale), schema=schema, operator=op)
        with progress_bar(options.quiet) as bar:
            tasks = {name: bar.add_task(name, total=part.steps(ctx)) for name, part in PARTS.items()}
            ctx.advance = lambda name, steps: bar.advance(tasks[name], steps)
            await callers(ctx, http, op)
            await load(ctx)
        owners = [o for o in PARTS if schema.has_path(f"/api/v1/{o}/statistics/indicators")]
        figures, differing = await report.settled_progress(http, op, owners)
    notes = ctx.notes + [f"no business date taken by {k} ({v} facts dated today)" for k, v in schema.undated.items()]
    notes += [f"the public figure differs from its service's: {d}" for d in differing]
    return Outcome(time.monotonic() - started, tally, figures, notes)


def main(options: Options) -> int:
    console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)
    try:
        outcome = asyncio.run(run(options))
    except PlatformDown as exc:
        console.print(f"[bold red]The platform is not up:[/] {exc}")
        return 2
    except DemoError as exc:
        console.print(f"[bold red]The demo stopped:[/] {exc}")
        return 1
    report.show(console, outcome.seconds, outcome.tally, outcome.progress, outcome.notes)
    return 0
