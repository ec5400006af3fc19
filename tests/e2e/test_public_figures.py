"""The issue's "done when" on the running platform (real processes, PostgreSQL, Kafka): after
a bank's loans are paid out and a milestone of goal 八 is recorded through the gateway, the
public figures - `/public/progress`, the
dashboard as chromium renders it (zh and en, with a screenshot), the annual evaluation's workbook
and printable page - show for every indicator and year the same figure as the owning service's
`/statistics/indicators`; an indicator without a source names none."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import httpx
from openpyxl import load_workbook

from ipops.clock import district_today
from ipops.identifiers import make_patent_number
from ipops.indicators.catalogue import CATALOGUE
from tests.e2e.conftest import Caller
from tests.e2e.test_scenarios import appraised_right, credit_code, pool_for
from tests.gateway.browser import dump_dom, not_blank, screenshot, series_cells
from tests.testing import eventually

# The services that own indicators; each serves /statistics/indicators.
OWNERS = ("pledge", "trusteeship", "navigation", "enforcement", "operations")
P = "/api/v1/pledge"


async def owners_statistics(operator: Caller, owners: tuple[str, ...] = OWNERS) -> dict[str, dict[str, Any]]:
    """indicator -> its series as its owning service gives it."""
    out: dict[str, dict[str, Any]] = {}
    for owner in owners:
        body = await operator.json(f"/api/v1/{owner}/statistics/indicators")
        out.update({s["indicator"]: s for s in body["indicators"]})
    return out


async def public_progress(gateway: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    r = await gateway.get("/api/v1/public/progress")
    assert r.status_code == 200, r.text
    return {s["indicator"]: s for s in r.json()["indicators"]}


def differences(public: dict[str, dict[str, Any]], owned: dict[str, dict[str, Any]]) -> list[str]:
    """Where the public figure is not the owner's (series by year, judgement, source)."""
    out = []
    for indicator, theirs in owned.items():
        ours = public[indicator]
        if not ours["has_source"]:
            out.append(f"{indicator}: no source announced at the gateway")
        for field in ("series", "judgement", "owner", "target", "measure"):
            if ours[field] != theirs[field]:
                out.append(f"{indicator}.{field}: public {ours[field]} != {theirs['owner']} {theirs[field]}")
    return out


async def agree(gateway: httpx.AsyncClient, operator: Caller, owners: tuple[str, ...] = OWNERS) -> Any:
    """Wait until every owner's figures arrived at the gateway; returns (public, owned)."""
    last: list[str] = []

    async def same() -> Any:
        nonlocal last
        owned = await owners_statistics(operator, owners)
        public = await public_progress(gateway)
        last = differences(public, owned)
        return (public, owned) if not last else None

    try:
        return await eventually(same, timeout=90, interval=1.0, message="public figures differ")
    except AssertionError as exc:
        raise AssertionError("\n".join(last[:20])) from exc


async def paid_out_loan(bank: Caller, serial: int, amount: str, disbursed: str, *, mixed: bool) -> str:
    owner = credit_code(serial)
    await bank.ok(f"{P}/enterprises", {"credit_code": owner, "name": f"Dongli Enterprise {serial}"})
    rights = [await appraised_right(bank, owner, "patent", make_patent_number(2020, "1", serial), "900000.00")]
    if mixed:
        rights.append(await appraised_right(bank, owner, "trademark", f"3{serial}", "500000.00"))
    loan = await bank.ok(
        f"{P}/loans",
        {"enterprise_credit_code": owner, "amount": amount, "term_months": 12, "right_ids": rights},
    )
    for move, fields in [
        ("approve", {}),
        ("register", {"registration_number": f"Y{serial}", "registered_date": disbursed}),
        ("disburse", {"disbursed_date": disbursed}),
    ]:
        await bank.ok(f"{P}/loans/{loan['id']}/transitions", {"move": move, **fields}, status=200)
    return str(loan["id"])


def _cell(value: Any) -> Decimal | None:
    # A workbook gives numbers back as int or float; "no data yet" is text.
    return None if value is None or isinstance(value, str) else Decimal(str(value))


def _value(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


async def test_public_figures_equal_the_owning_services_everywhere(
    gateway: httpx.AsyncClient, operator: Caller, make_caller: Any, platform: Any, tmp_path: Any
) -> None:
    bank = await make_caller("bank", "bank-figures")
    await pool_for(operator, "bank-figures", "10000000.00")
    await paid_out_loan(bank, 810001, "1000000.00", "2018-05-02", mixed=False)
    await paid_out_loan(bank, 810002, "1500000.00", "2022-03-01", mixed=True)
    await paid_out_loan(bank, 810003, "200000.00", district_today().isoformat(), mixed=False)
    milestone = {
        "goal": 8, "title_zh": "华明知识产权特色小镇挂牌", "title_en": "Huaming IP town opened",
        "achieved_on": "2021-09-01", "evidence": "东丽区政府文件 <2021> 12 号",
    }  # fmt: skip
    recorded = await operator.ok("/api/v1/operations/milestones", milestone)

    async def milestone_public() -> Any:
        body = (await gateway.get("/api/v1/public/progress")).json()
        goal = next(g for g in body["milestones"] if g["goal"] == 8)
        return [m for m in goal["milestones"] if m["milestone_id"] == recorded["id"]] or None

    [shown_milestone] = await eventually(milestone_public, timeout=60, message="the milestone did not arrive")
    assert (shown_milestone["achieved_on"], shown_milestone["evidence"]) == ("2021-09-01", milestone["evidence"])

    public, owned = await agree(gateway, operator)
    assert set(public) == {i.id for i in CATALOGUE}
    assert Decimal(owned["pledge_amount"]["series"][0]["value"]) >= Decimal("1000000.00")
    for indicator, series in public.items():  # nothing without a source shows a number
        if not series["has_source"]:
            assert {v["value"] for v in series["series"]} == {None}, indicator
            assert series["judgement"]["status"] == "no_data"

    # the workbooks of 2022 and of the current year, sheet 1, against the owners' series
    for year in (2022, district_today().year):
        r = await gateway.get(f"/api/v1/public/report/{year}", params={"format": "xlsx", "lang": "en"})
        assert r.status_code == 200, r.text
        rows = list(load_workbook(BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))[3:]
        by_title = {row[1]: row for row in rows}
        for series in owned.values():
            row = by_title[series["title_en"]]
            expected = [_value(v["value"]) for v in series["series"] if v["year"] <= year]
            assert [_cell(v) for v in row[4 : 4 + len(expected)]] == expected, series["indicator"]

    # what a browser shows: the dashboard and the printable evaluation, zh and en
    base = platform.apps["gateway"].url
    for lang in ("zh", "en"):
        dom = await dump_dom(f"{base}/?lang={lang}", tmp_path / f"dash-{lang}")
        assert 'data-ready="true"' in dom, dom[-3000:]
        # goal 八's entry of the list (other tests' milestones of goals 七 and 九 share the database)
        milestones = dom.split('id="milestones"', 1)[1].split('data-goal="8"', 1)[1].split('data-goal="9"', 1)[0]
        assert ("华明知识产权特色小镇挂牌" if lang == "zh" else "Huaming IP town opened") in milestones, milestones
        assert "&lt;2021&gt;" in dom  # text from an event is text, not markup
        shown = series_cells(dom)
        for indicator, series in owned.items():
            assert shown[indicator] == {v["year"]: v["value"] or "—" for v in series["series"]}, indicator
        width, height, pixels = await screenshot(f"{base}/?lang={lang}", tmp_path / f"dash-{lang}.png", tmp_path / "s")
        assert (width, height) == (1280, 2000) and not_blank(pixels) > 0.02
        bars = sum(1 for p in pixels if all(abs(a - b) <= 12 for a, b in zip(p, (47, 111, 223), strict=True)))
        assert bars > 200, bars  # the charts' bars were drawn
        page = await dump_dom(f"{base}/api/v1/public/report/2022?format=html&lang={lang}", tmp_path / f"rep-{lang}")
        cells = series_cells(page)
        for indicator, series in owned.items():
            expected = {
                v["year"]: f"{Decimal(v['value']):,}" if v["value"] is not None else "—"
                for v in series["series"]
                if v["year"] <= 2022
            }
            assert cells[indicator] == expected, indicator
