"""What the run did and what the public progress shows afterwards (the figures the gateway adds up
from the services' announcements; they arrive by Kafka, so the demo waits for them to settle)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from scripts.demo.client import Tally

PROGRESS = "/api/v1/public/progress"
YEARS = (2018, 2019, 2020, 2021, 2022)


def indicators(progress: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The indicator series of a progress answer (empty when it has none)."""
    if not progress:
        return []
    items = progress.get("indicators")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def year_values(entry: dict[str, Any]) -> dict[int, str | None]:
    return {int(p["year"]): p.get("value") for p in entry.get("series", []) if isinstance(p, dict) and "year" in p}


async def public_progress(http: httpx.AsyncClient, settle: float = 20.0) -> dict[str, Any] | None:
    """The public progress once two answers a second apart agree (the events have arrived), or
    after `settle` seconds."""
    deadline = time.monotonic() + settle
    last: Any = None
    while True:
        response = await http.get(PROGRESS, headers={"Cache-Control": "no-cache"})
        if response.status_code != 200:
            return None
        current = response.json()
        if current == last or time.monotonic() > deadline:
            return current if isinstance(current, dict) else None
        last = current
        await asyncio.sleep(1.5)


def show(console: Console, seconds: float, tally: Tally, progress: dict[str, Any] | None, notes: list[str]) -> None:
    counts = tally.counts
    console.print(
        f"[bold]Done in {seconds:.1f} s:[/] {counts['created']} writes made, {counts['replayed']} replayed "
        f"(made by an earlier run), {counts['existing']} already there, {counts['renewed']} client secrets renewed."
    )
    entries = indicators(progress)
    if not entries:
        console.print("The public progress shows no indicators.")
    else:
        table = Table(title="Public progress (/api/v1/public/progress)")
        table.add_column("indicator")
        for year in YEARS:
            table.add_column(str(year), justify="right")
        table.add_column("2022 judgement")
        for entry in entries:
            values = year_values(entry)
            judgement = entry.get("judgement") or {}
            verdict = str(judgement.get("status", ""))
            if judgement.get("average_growth_pct") is not None:
                verdict += f" ({judgement['average_growth_pct']} %/yr)"
            table.add_row(str(entry.get("indicator")), *[str(values.get(y) or "-") for y in YEARS], verdict)
        console.print(table)
    for note in notes:
        console.print(f"[yellow]note:[/] {note}")
