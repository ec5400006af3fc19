"""Debian's headless chromium run as a program (no DevTools session): a page's screenshot and
its DOM after the page's scripts ran. `--virtual-time-budget` lets the page's fetches and
rendering finish before the dump or the shot. scripts/install-browser.sh installs chromium."""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser
from pathlib import Path

from tests.gateway.cdp import CHROMIUM, decode_png

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=20000",
]


async def _run(profile: Path, *args: str) -> bytes:
    process = await asyncio.create_subprocess_exec(
        str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode(errors="replace")[-2000:]
    return out


async def dump_dom(url: str, profile: Path) -> str:
    """The page's DOM, serialised, after its scripts ran."""
    return (await _run(profile, "--dump-dom", url)).decode()


async def screenshot(
    url: str, png: Path, profile: Path, size: str = "1280,2000"
) -> tuple[int, int, list[tuple[int, int, int]]]:
    """A PNG of the page at `size` written to `png`; returns its pixels."""
    await _run(profile, f"--screenshot={png}", f"--window-size={size}", url)
    assert png.exists() and png.stat().st_size > 0, "no screenshot written"
    return decode_png(png.read_bytes())


class SeriesCells(HTMLParser):
    """The per-year values a page shows: `<table class="series" data-indicator=...>` cells with
    `data-year` (the dashboard), or `<tr data-indicator=...>` cells with `data-year` (the report)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, dict[int, str]] = {}
        self._indicator: str | None = None
        self._year: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("table", "tr") and a.get("data-indicator"):
            self._indicator = a["data-indicator"]
        if tag == "td" and self._indicator and a.get("data-year"):
            self._year, self._text = int(a["data-year"] or 0), []

    def handle_data(self, data: str) -> None:
        if self._year is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._year is not None and self._indicator:
            self.values.setdefault(self._indicator, {})[self._year] = "".join(self._text).strip()
            self._year = None


def series_cells(html: str) -> dict[str, dict[int, str]]:
    """indicator -> year -> the text shown."""
    parser = SeriesCells()
    parser.feed(html)
    return parser.values


def not_blank(pixels: list[tuple[int, int, int]]) -> float:
    """The share of pixels that are not (nearly) white."""
    return sum(1 for p in pixels if sum(p) < 720) / max(len(pixels), 1)
