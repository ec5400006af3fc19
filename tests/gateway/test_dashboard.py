"""The public dashboard in a real headless chromium (Debian's), on a phone-sized screen: it
renders the plan's progress from the read model with charts (checked in a screenshot), switches
between Chinese and English, fits the phone's width, and asks nothing of any other host."""

from __future__ import annotations

import base64
from typing import Any

from gateway.main import create_app
from gateway.readmodel.targets import TARGETS
from tests import testing
from tests.gateway.cdp import chromium, decode_png
from tests.gateway.conftest import serve_uvicorn
from tests.gateway.test_read_model import EVENTS, by_id, publish

BAR = (47, 111, 223)  # --bar in dashboard.css


def near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


async def wait_for(page: Any, expression: str, message: str) -> Any:
    async def probe() -> Any:
        return await page.evaluate(expression)

    return await testing.eventually(probe, timeout=30, interval=0.2, message=message)


def requested(page: Any) -> list[str]:
    """Every URL the page asked for."""
    return [e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"]


async def chart_pixels(page: Any, target_id: str) -> tuple[int, int, list[tuple[int, int, int]]]:
    """A screenshot of one target's chart, as pixels."""
    box = await page.evaluate(
        f"""(() => {{ const el = document.querySelector('svg.chart[data-target="{target_id}"]');
        el.scrollIntoView(); const r = el.getBoundingClientRect();
        return {{x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}}; }})()"""
    )
    assert box["width"] > 100 and box["height"] > 50, box
    shot = await page.send(
        "Page.captureScreenshot",
        {"format": "png", "clip": {**box, "scale": 1}, "captureBeyondViewport": True},
    )
    return decode_png(base64.b64decode(shot["data"]))


async def test_dashboard_renders_charts_in_chromium(gateway_settings, tmp_path) -> None:
    settings = gateway_settings(run_background_tasks=True)
    async with serve_uvicorn(create_app(settings)) as base:
        await publish(settings, EVENTS)

        async def filled() -> bool:
            import httpx

            async with httpx.AsyncClient(base_url=base) as client:
                body = (await client.get("/api/v1/public/progress")).json()
            t = by_id(body)
            return t["pledge_count"]["current"] == 2 and t["enforcement_cases"]["current"] == 2

        await testing.eventually(filled, timeout=60, interval=0.5, message="read model did not fill")

        async with chromium(tmp_path / "profile") as page:
            await page.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
            )
            for domain in ("Network", "Page", "Runtime", "Log"):
                await page.send(f"{domain}.enable")
            await page.send("Page.navigate", {"url": f"{base}/"})
            ready = "!!document.body && document.body.dataset.ready === 'true'"
            await wait_for(page, ready, "the dashboard did not load its data")

            # Chinese first, every target of the plan as a card, "no data yet" where nothing is recorded
            assert await page.evaluate("document.documentElement.lang") == "zh-CN"
            assert "规划目标进展" in await page.evaluate("document.getElementById('title').textContent")
            cards = await page.evaluate("document.querySelectorAll('article.card').length")
            assert cards == len(TARGETS)
            no_data = await page.evaluate(
                "document.querySelector('article[data-target=\"operation_agencies\"]').textContent"
            )
            assert "暂无数据" in no_data
            bars = await page.evaluate(
                "document.querySelectorAll('svg.chart[data-target=\"pledge_amount\"] rect.bar').length"
            )
            assert bars == 2  # 2025 and 2026

            # the enforcement table shows the year's closing record and satisfaction
            row_2026 = await page.evaluate(
                "[...document.querySelectorAll('#cases tbody tr')].map(r => r.textContent).join('|')"
            )
            assert "77.5" in row_2026 and "0.0%" in row_2026

            # the phone's width is enough: nothing scrolls sideways but the tables' own boxes
            widths = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], widths

            # the chart is really drawn: its screenshot holds the bar colour and is not blank
            width, height, pixels = await chart_pixels(page, "pledge_amount")
            assert (width, height) != (0, 0)
            bar_pixels = sum(1 for p in pixels if near(p, BAR))
            non_white = sum(1 for p in pixels if sum(p) < 720)
            assert bar_pixels > 0.03 * len(pixels), (bar_pixels, len(pixels))
            assert non_white > bar_pixels  # labels and axis too, not just a coloured block

            # English on request
            await page.evaluate("document.getElementById('lang').click()")
            assert await page.evaluate("document.documentElement.lang") == "en"
            assert "Plan Progress" in await page.evaluate("document.getElementById('title').textContent")
            assert "No data yet" in await page.evaluate(
                "document.querySelector('article[data-target=\"operation_agencies\"]').textContent"
            )
            assert await page.evaluate("document.getElementById('lang').textContent") == "中文"

            # nothing was fetched from anywhere but the gateway, and nothing was refused by the CSP
            urls = requested(page)
            assert urls, "no request seen"
            assert all(u.startswith(base) or u.startswith("data:") for u in urls), urls
            errors = [
                e
                for e in page.events
                if e.get("method") == "Runtime.exceptionThrown"
                or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
            ]
            assert errors == [], errors


async def test_docs_page_loads_swagger_from_the_gateway(gateway_settings, tmp_path) -> None:
    async with serve_uvicorn(create_app(gateway_settings())) as base, chromium(tmp_path / "profile") as page:
        for domain in ("Network", "Page", "Runtime", "Log"):
            await page.send(f"{domain}.enable")
        await page.send("Page.navigate", {"url": f"{base}/docs"})
        rendered = "!!document.body && document.querySelectorAll('.opblock').length > 5"
        await wait_for(page, rendered, "Swagger UI did not render")
        assert await page.evaluate("document.body.textContent.includes('/api/v1/public/progress')")
        urls = requested(page)
        assert all(u.startswith(base) or u.startswith("data:") for u in urls), urls
