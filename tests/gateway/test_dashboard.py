"""The public dashboard in a real headless chromium (Debian's): every indicator of the plan with
its per-year values and the chart the gateway draws (checked in a screenshot and in the DOM), in
Chinese and English; the charts themselves; and the API docs page, served from the gateway."""

from __future__ import annotations

from typing import Any

import httpx

from gateway.main import create_app
from tests import testing
from tests.gateway.browser import dump_dom, not_blank, screenshot, series_cells
from tests.gateway.cdp import chromium
from tests.gateway.conftest import serve_uvicorn
from tests.gateway.test_read_model import CURRENT, EVENTS, publish, settled_when

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


async def _filled(base: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        async with httpx.AsyncClient(base_url=base) as client:
            body: dict[str, Any] = (await client.get("/api/v1/public/progress")).json()
        return body if settled_when(body) else None

    return await testing.eventually(probe, timeout=60, interval=0.5, message="read model did not fill")


async def test_dashboard_shows_every_indicator_with_its_chart_in_chromium(gateway_settings, tmp_path) -> None:
    """chromium run as a program: the page's DOM after its scripts ran shows, for every
    indicator, the same values by year as /progress; the screenshot is drawn (the charts' bar
    colour, not a blank page); Chinese and English."""
    settings = gateway_settings(run_background_tasks=True)
    async with serve_uvicorn(create_app(settings)) as base:
        await publish(settings, EVENTS)
        progress = await _filled(base)
        expected = {
            s["indicator"]: {v["year"]: (v["value"] if s["has_source"] and v["value"] is not None else "—")
                             for v in s["series"]}
            for s in progress["indicators"]
        }  # fmt: skip
        for lang, title, no_data in (("zh", "规划目标进展", "暂无数据"), ("en", "Plan Progress", "No data yet")):
            dom = await dump_dom(f"{base}/?lang={lang}", tmp_path / f"profile-{lang}")
            assert 'data-ready="true"' in dom, dom[-3000:]
            assert title in dom
            assert series_cells(dom) == expected
            agencies = dom.split('data-indicator="operation_agencies"', 1)[1].split("</article>", 1)[0]
            assert no_data in agencies
            assert f"/api/v1/public/charts/pledge_amount.svg?lang={lang}" in dom
            assert f"/api/v1/public/report/2022?lang={lang}&amp;format=xlsx" in dom
            # goal 八's recorded milestone, its evidence escaped (text from an event is not markup)
            milestones = dom.split('id="milestones"', 1)[1].split("</ul>", 1)[0]
            assert ("华明知识产权特色小镇挂牌" if lang == "zh" else "Huaming IP town opened") in milestones, milestones
            assert "&lt;2021&gt;" in milestones

            png = tmp_path / f"dashboard-{lang}.png"
            width, height, pixels = await screenshot(f"{base}/?lang={lang}", png, tmp_path / f"shot-{lang}")
            assert (width, height) == (1280, 2000)
            assert not_blank(pixels) > 0.05
            assert sum(1 for p in pixels if near(p, BAR)) > 500  # the charts' bars were drawn


async def test_charts_are_svg_with_target_and_year_to_date(gateway_settings) -> None:
    settings = gateway_settings(run_background_tasks=True)
    async with serve_uvicorn(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as client:
        await publish(settings, EVENTS)
        await _filled(base)
        r = await client.get("/api/v1/public/charts/pledge_amount.svg", params={"lang": "en"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        assert r.headers["cache-control"].startswith("public")
        svg = r.text
        assert svg.count('class="bar"') + svg.count('class="bar ytd"') == CURRENT - 2018 + 1
        assert f'class="bar ytd" data-year="{CURRENT}"' in svg and "year to date" in svg
        assert "2,000,000.00" in svg and 'class="target"' in svg  # the 30 % growth path
        zh = (await client.get("/api/v1/public/charts/pledge_amount.svg")).text
        assert "年初至今" in zh and "质押融资金额" in zh
        nothing = (await client.get("/api/v1/public/charts/operation_agencies.svg", params={"lang": "en"})).text
        assert "No data yet" in nothing and 'class="bar' not in nothing
        missing = await client.get("/api/v1/public/charts/nonsense.svg")
        assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "indicator"


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
