# ruff: noqa: RUF001  (full-width punctuation is the report's typography)
"""The landscape as a page a person reads and prints: HTML with charts drawn as inline SVG on the
server. Nothing is fetched from anywhere (no CDN, no fonts, no scripts), so the page renders the
same offline, in an archive, and on paper.

The page is `templates/report.html.j2`, rendered by Jinja2 with autoescaping on: every text taken
from the data (applicant and inventor names, titles, the district's name) is escaped by the
template engine, never by hand. This module only chooses what each section shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from navigation.datasets import charts

IPC_SECTIONS = {
    "A": "人类生活必需",
    "B": "作业；运输",
    "C": "化学；冶金",
    "D": "纺织；造纸",
    "E": "固定建筑物",
    "F": "机械工程；照明；加热；武器；爆破",
    "G": "物理",
    "H": "电学",
}
LEGAL_LABELS = {"valid": "有效 valid", "pending": "审中 pending", "invalid": "失效 invalid", "unknown": "未知 unknown"}
TYPE_LABELS = {
    "invention": "发明 invention",
    "utility_model": "实用新型 utility model",
    "design": "外观设计 design",
    "pct_invention": "PCT 发明 (national phase)",
    "pct_utility_model": "PCT 实用新型 (national phase)",
}

_ENV = Environment(
    loader=PackageLoader("navigation.datasets", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["pct"] = charts.pct
_ENV.filters["num"] = charts.num


def _bars(items: Sequence[dict[str, Any]], label: str = "code", share: str = "share") -> list[tuple[str, int, Any]]:
    return [(item[label], item["filings"], item[share]) for item in items]


def _charts(landscape: dict[str, Any]) -> dict[str, dict | None]:
    """Every chart of the page, by name."""
    ipc = landscape["ipc"]
    district = landscape["district"]
    families = landscape.get("families")
    return {
        "years": charts.vertical(
            [(str(p["year"]), p["filings"]) for p in landscape["years"]["series"]], title="filings per year"
        ),
        "applicants": charts.horizontal(
            _bars(landscape["applicants"]["top"], "name", "share_of_filings"), title="top applicants"
        ),
        "sections": charts.horizontal(
            [(f"{s['code']} {IPC_SECTIONS.get(s['code'], '')}", s["filings"], s["share"]) for s in ipc["sections"]],
            title="IPC sections",
        ),
        "classes": charts.horizontal(_bars(ipc["classes"]), title="IPC classes"),
        "subclasses": charts.horizontal(_bars(ipc["subclasses"]), title="IPC subclasses"),
        "legal": charts.stacked(
            [(LEGAL_LABELS.get(m["value"], m["value"]), m["filings"]) for m in landscape["legal_status"]],
            title="legal status",
        ),
        "types": charts.stacked(
            [(TYPE_LABELS.get(m["value"], m["value"]), m["filings"]) for m in landscape["patent_types"]],
            title="patent type",
        ),
        "regions": charts.horizontal(_bars(landscape["regions"][:20], "value"), title="regions"),
        "district": charts.stacked(
            [("district", district["district_filings"]), ("rest", district["other_filings"])], title="district"
        ),
        "families": charts.vertical(
            [(str(p["year"]), p["filings"]) for p in families["per_year"]], title="families per first year"
        )
        if families
        else None,
    }


def _tables(landscape: dict[str, Any], meta: Sequence[tuple[str, str]]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of every table of the page, formatted, by name."""
    quality = landscape["quality"]
    pct, num = charts.pct, charts.num
    return {
        "meta": [*meta, ("records", num(landscape["records"])), ("applications", num(landscape["applications"]))],
        "quality": [
            ("missing application number", quality["missing_application_number"]),
            ("invalid application number (check digit/type)", quality["invalid_application_number"]),
            ("duplicate records merged (same application)", quality["duplicate_records"]),
            ("applications without application date (year from number)", quality["without_application_date"]),
            ("applications without applicants", quality["without_applicants"]),
            ("applications without legal status", quality.get("without_legal_status", "—")),
        ],
        "years": [(p["year"], num(p["filings"]), pct(p["growth"])) for p in landscape["years"]["series"]],
        "applicants": [
            (a["name"], num(a["filings"]), pct(a["share"]), pct(a["share_of_filings"]), a["variants"])
            for a in landscape["applicants"]["top"]
        ],
        "growing": [
            (g["subclass"], g["earlier"], g["recent"], pct(g["growth"])) for g in landscape["ipc"]["fastest_growing"]
        ],
        "district": [(d["name"], num(d["filings"])) for d in landscape["district"]["top_district_applicants"]],
        "inventors": [(i["name"], num(i["filings"])) for i in landscape["inventors"]["top"][:10]],
        # both absent from landscapes stored before they were computed
        "unmapped": [(u["value"], num(u["count"])) for u in landscape.get("unmapped_legal_status", [])],
        "merges": [
            (m["canonical"], "; ".join(m["variants"]), num(m["filings"]), ", ".join(m["sources"]))
            for m in landscape.get("applicant_merges", [])
        ],
    }


def render(landscape: dict[str, Any], *, title: str, subtitle: str = "", meta: Sequence[tuple[str, str]] = ()) -> str:
    """The whole report page for a landscape JSON (as `landscape.analyse` returns it)."""
    return _ENV.get_template("report.html.j2").render(
        land=landscape,
        title=title,
        subtitle=subtitle,
        tables=_tables(landscape, meta),
        charts=_charts(landscape),
    )
