"""What the run did and what the public progress shows afterwards (the figures the gateway adds up
from the services' announcements; they arrive by Kafka, so the demo waits for them to settle)."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

import aiohttp
from openpyxl import load_workbook
from rich.console import Console
from rich.table import Table

from scripts.demo.client import Api, Tally, fetch

PROGRESS = "/api/v1/public/progress"
REPORT_2022 = "/api/v1/public/report/2022"
YEARS = (2018, 2019, 2020, 2021, 2022)


def indicators(progress: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The indicator series of a progress answer (empty when it has none)."""
    if not progress:
        return []
    items = progress.get("indicators")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def year_values(entry: dict[str, Any]) -> dict[int, str | None]:
    return {int(p["year"]): p.get("value") for p in entry.get("series", []) if isinstance(p, dict) and "year" in p}


def _series(entries: list[dict[str, Any]]) -> dict[str, dict[int, str | None]]:
    return {str(e.get("indicator")): {y: v for y, v in year_values(e).items() if y in YEARS} for e in entries}


async def owners_figures(op: Api, owners: list[str]) -> dict[str, dict[int, str | None]]:
    """Each owning service's own figures, 2018-2022 (`/api/v1/<owner>/statistics/indicators`)."""
    figures: dict[str, dict[int, str | None]] = {}
    for owner in owners:
        figures |= _series(indicators(await op.get(f"/api/v1/{owner}/statistics/indicators")))
    return figures


async def settled_progress(
    http: aiohttp.ClientSession, op: Api, owners: list[str], timeout: float = 120.0
) -> tuple[dict[str, Any] | None, list[str]]:
    """The public progress once it shows, for every indicator of the services the demo fed, the
    figures those services show themselves (the contributions reach the gateway by Kafka); with
    the indicators that still differ after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        response = await fetch(http, "GET", PROGRESS, headers={"Cache-Control": "no-cache"})
        progress = response.json() if response.status_code == 200 else None
        public = _series(indicators(progress))
        own = await owners_figures(op, owners)
        differing = sorted(i for i, values in own.items() if public.get(i) != values)
        if not differing:
            return progress, await workbook_differences(http, indicators(progress), own)
        if time.monotonic() > deadline:
            return progress, [f"{i}: public {public.get(i)} vs service {own[i]}" for i in differing]
        await asyncio.sleep(2)


def _figure(cell: object) -> Decimal | None:
    """A workbook cell as a figure (a number, or None for text such as "No data yet")."""
    try:
        return Decimal(str(cell)) if isinstance(cell, int | float | str) else None
    except InvalidOperation:
        return None


async def workbook_differences(
    http: aiohttp.ClientSession, entries: list[dict[str, Any]], own: dict[str, dict[int, str | None]]
) -> list[str]:
    """Where the 2022 evaluation workbook (its indicator sheet, 2018-2022) shows another figure
    than the owning service's statistics."""
    reply = await fetch(http, "GET", REPORT_2022, params={"format": "xlsx", "lang": "en"})
    if reply.status_code != 200:
        return [f"the 2022 workbook: {reply.status_code} {reply.text[:200]}"]
    rows = list(load_workbook(BytesIO(reply.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    by_title = {row[1]: row for row in rows[3:] if len(row) > 8}
    differing = []
    for entry in entries:
        indicator = str(entry.get("indicator"))
        row = by_title.get(entry.get("title_en"))
        if indicator not in own:
            continue
        if row is None:
            differing.append(f"{indicator}: not in the 2022 workbook")
            continue
        shown = [_figure(cell) for cell in row[4:9]]
        expected = [None if own[indicator].get(y) is None else Decimal(str(own[indicator][y])) for y in YEARS]
        if shown != expected:
            differing.append(f"{indicator}: the 2022 workbook shows {shown} vs service {expected}")
    return differing


def compact(value: str | None, unit: str | None) -> str:
    """A figure short enough for a table: yuan in millions."""
    if value is None:
        return "-"
    if unit == "yuan":
        return f"{Decimal(value) / 1_000_000:,.1f} M"
    return value


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
        table.add_column("indicator", no_wrap=True)
        for year in YEARS:
            table.add_column(str(year), justify="right")
        table.add_column("2022 judgement", no_wrap=True)
        for entry in entries:
            values = year_values(entry)
            judgement = entry.get("judgement") or {}
            verdict = str(judgement.get("status", ""))
            if judgement.get("average_growth_pct") is not None:
                verdict += f" ({judgement['average_growth_pct']} %/yr)"
            unit = entry.get("unit")
            table.add_row(str(entry.get("indicator")), *[compact(values.get(y), unit) for y in YEARS], verdict)
        console.print(table)
    for note in notes:
        console.print(f"[yellow]note:[/] {note}")
