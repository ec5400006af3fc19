# ruff: noqa: RUF001  (full-width punctuation and dashes are the report's typography)
"""The landscape as a page a person reads and prints: HTML with charts drawn as inline SVG on the
server. Nothing is fetched from anywhere (no CDN, no fonts, no scripts), so the page renders the
same offline, in an archive, and on paper. Every text taken from the data is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

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
PALETTE = ("#2f5d8a", "#e07b39", "#4c9a6a", "#b84a4a", "#7d5ba6", "#8c7a3c", "#3a8fa3", "#999999")

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:60em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em} td,th{border:1px solid #ccc;padding:.25em .6em}
th{background:#f2f2f2;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#555;font-size:.9em} section{page-break-inside:avoid;break-inside:avoid}
svg text{font-size:11px;fill:#222} .note{color:#666;font-size:.85em}
@media print{body{margin:0;max-width:none} a{color:inherit;text-decoration:none}}
"""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _num(value: int | float | None) -> str:
    return "–" if value is None else f"{value:,}"


def bar_chart_vertical(points: Sequence[tuple[str, int]], *, title: str, width: int = 720, height: int = 260) -> str:
    """Columns, one per label (filings per year)."""
    if not points:
        return '<p class="note">no data</p>'
    top = max(v for _, v in points) or 1
    left, bottom, plot_h = 50, 40, height - 60
    step = (width - left - 10) / len(points)
    bar_w = max(step * 0.7, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#888"/>',
    ]
    for tick in range(0, 5):
        value = top * tick / 4
        y = height - bottom - plot_h * tick / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 5}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{value:,.0f}</text>')
    label_every = max(1, len(points) // 16)
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top
        x = left + i * step + (step - bar_w) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {value:,}</title></rect>'
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_horizontal(
    rows: Sequence[tuple[str, int, float | None]], *, title: str, width: int = 720, label_width: int = 260
) -> str:
    """One bar per row with its count and share (top applicants, IPC, regions)."""
    if not rows:
        return '<p class="note">no data</p>'
    row_h = 20
    height = row_h * len(rows) + 10
    top = max(v for _, v, _ in rows) or 1
    plot_w = width - label_width - 110
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}">'
    ]
    for i, (label, value, share) in enumerate(rows):
        y = 5 + i * row_h
        w = plot_w * value / top
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{escape(shown)}</text>')
        parts.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="{PALETTE[i % 7]}">'
            f"<title>{escape(label)}: {value:,}</title></rect>"
        )
        parts.append(f'<text x="{label_width + w + 5:.1f}" y="{y + 13}">{value:,} ({_pct(share)})</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(parts_in: Sequence[tuple[str, int]], *, title: str, width: int = 720) -> str:
    """One bar split by shares, with a legend (legal status, patent type, district vs rest)."""
    total = sum(v for _, v in parts_in)
    if not total:
        return '<p class="note">no data</p>'
    height = 34 + 18 * ((len(parts_in) + 2) // 3)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}">'
    ]
    x = 0.0
    for i, (label, value) in enumerate(parts_in):
        w = (width - 2) * value / total
        out.append(
            f'<rect x="{x + 1:.1f}" y="2" width="{w:.1f}" height="22" fill="{PALETTE[i % len(PALETTE)]}">'
            f"<title>{escape(label)}: {value:,}</title></rect>"
        )
        x += w
    for i, (label, value) in enumerate(parts_in):
        lx, ly = 1 + (i % 3) * (width // 3), 40 + (i // 3) * 18
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(f'<text x="{lx + 14}" y="{ly}">{escape(label)}: {value:,} ({_pct(value / total)})</text>')
    out.append("</svg>")
    return "".join(out)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(str(c))}</td>' if i in numeric else f"<td>{escape(str(c))}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(landscape: dict[str, Any], *, title: str, subtitle: str = "", meta: Sequence[tuple[str, str]] = ()) -> str:
    """The whole report page for a landscape JSON (as `analysis.analyse` returns it)."""
    years = landscape["years"]
    applicants = landscape["applicants"]
    ipc = landscape["ipc"]
    quality = landscape["quality"]
    district = landscape["district"]
    families = landscape.get("families")
    inventors = landscape["inventors"]
    apps = landscape["applications"]
    sections: list[str] = []

    meta_rows = [*meta, ("records", _num(landscape["records"])), ("applications", _num(apps))]
    sections.append(
        "<section><h2>数据说明 Data</h2>"
        + _table(["", ""], meta_rows)
        + _table(
            ["quality check", "records"],
            [
                ("missing application number", quality["missing_application_number"]),
                ("invalid application number (check digit/type)", quality["invalid_application_number"]),
                ("duplicate records merged (same application)", quality["duplicate_records"]),
                ("applications without application date (year from number)", quality["without_application_date"]),
                ("applications without applicants", quality["without_applicants"]),
            ],
            numeric=[1],
        )
        + "</section>"
    )
    series = years["series"]
    sections.append(
        "<section><h2>申请趋势 Filings per year</h2>"
        + bar_chart_vertical([(str(p["year"]), p["filings"]) for p in series], title="filings per year")
        + _table(
            ["year", "filings", "growth"],
            [(p["year"], _num(p["filings"]), _pct(p["growth"])) for p in series],
            numeric=[1, 2],
        )
        + f'<p class="note">CAGR {years["first"]}–{years["last"]}: {_pct(years["cagr"])}. Applications are '
        "published about 18 months after filing, so the last two years are incomplete.</p></section>"
    )
    sections.append(
        "<section><h2>主要申请人 Top applicants</h2>"
        + bar_chart_horizontal(
            [(a["name"], a["filings"], a["share_of_filings"]) for a in applicants["top"]], title="top applicants"
        )
        + f"<p>{_num(applicants['distinct'])} distinct applicants after merging name variants. "
        f"CR4 = {_pct(applicants['cr4'])}, HHI = {_num(applicants['hhi'])} "
        "(shares of applicant-filings; HHI on the 0–10,000 scale).</p>"
        + _table(
            ["applicant", "filings", "share", "of filings", "spellings merged"],
            [
                (a["name"], _num(a["filings"]), _pct(a["share"]), _pct(a["share_of_filings"]), a["variants"])
                for a in applicants["top"]
            ],
            numeric=[1, 2, 3, 4],
        )
        + "</section>"
    )
    sections.append(
        "<section><h2>技术分布 IPC distribution</h2><h3>Sections</h3>"
        + bar_chart_horizontal(
            [(f"{s['code']} {IPC_SECTIONS.get(s['code'], '')}", s["filings"], s["share"]) for s in ipc["sections"]],
            title="IPC sections",
        )
        + "<h3>Classes</h3>"
        + bar_chart_horizontal([(s["code"], s["filings"], s["share"]) for s in ipc["classes"]], title="IPC classes")
        + "<h3>Subclasses</h3>"
        + bar_chart_horizontal(
            [(s["code"], s["filings"], s["share"]) for s in ipc["subclasses"]], title="IPC subclasses"
        )
        + "<h3>Fastest-growing subclasses</h3>"
        + (
            f'<p class="note">filings {ipc["window"]["recent"][0]}–{ipc["window"]["recent"][1]} against '
            f"{ipc['window']['earlier'][0]}–{ipc['window']['earlier'][1]}; at least {ipc['window']['min_base']} "
            "filings in the earlier window.</p>"
            if ipc["window"]
            else ""
        )
        + _table(
            ["subclass", "earlier", "recent", "growth"],
            [(g["subclass"], g["earlier"], g["recent"], _pct(g["growth"])) for g in ipc["fastest_growing"]],
            numeric=[1, 2, 3],
        )
        + "</section>"
    )
    sections.append(
        "<section><h2>法律状态与专利类型 Legal status and patent type</h2>"
        + stacked_bar(
            [(LEGAL_LABELS.get(m["value"], m["value"]), m["filings"]) for m in landscape["legal_status"]],
            title="legal status",
        )
        + stacked_bar(
            [(TYPE_LABELS.get(m["value"], m["value"]), m["filings"]) for m in landscape["patent_types"]],
            title="patent type",
        )
        + f"<p>PCT: {_num(landscape['pct']['filings'])} filings ({_pct(landscape['pct']['share'])}).</p></section>"
    )
    sections.append(
        "<section><h2>区域分布 Regions</h2>"
        + bar_chart_horizontal(
            [(r["value"], r["filings"], r["share"]) for r in landscape["regions"][:20]], title="regions"
        )
        + "</section>"
    )
    sections.append(
        f"<section><h2>本区申请人 District ({escape(str(district['district_name'] or ''))}) vs the rest</h2>"
        + stacked_bar(
            [("district", district["district_filings"]), ("rest", district["other_filings"])], title="district"
        )
        + _table(
            ["district applicant", "filings"],
            [(d["name"], _num(d["filings"])) for d in district["top_district_applicants"]],
            numeric=[1],
        )
        + "</section>"
    )
    sections.append(
        "<section><h2>发明人 Inventors</h2>"
        + f"<p>{_num(inventors['distinct'])} distinct inventors; {inventors['mean_per_application']} per application "
        f"on average; {_num(inventors['applications_without_inventors'])} applications name none.</p>"
        + _table(["inventor", "filings"], [(i["name"], _num(i["filings"])) for i in inventors["top"][:10]], numeric=[1])
        + "</section>"
    )
    if families:
        sections.append(
            "<section><h2>同族 Families</h2>"
            + f"<p>{_num(families['families'])} families over {_num(families['applications_with_family'])} "
            f"applications (mean size {families['mean_family_size']}, largest {families['largest_family_size']}).</p>"
            + bar_chart_vertical(
                [(str(p["year"]), p["filings"]) for p in families["per_year"]], title="families per first year"
            )
            + "</section>"
        )
    header = f"<h1>{escape(title)}</h1>" + (f'<p class="meta">{escape(subtitle)}</p>' if subtitle else "")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        + header
        + "".join(sections)
        + f'<p class="note">{escape(landscape["schema"])}</p></body></html>'
    )
