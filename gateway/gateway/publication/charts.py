"""An indicator's per-year chart as SVG, drawn by the gateway (no script, no CDN, no font file):
one bar per year since the base year, the value above it, the current year hatched and labelled
"year to date", and the target - a dashed line at the level for cumulative and per-year targets,
the compound growth path from the base year's value for growth targets. An indicator without a
source says "no data yet" and draws no bar.

Coordinates are computed in Decimal and printed with one place, so a drawing never goes through a
float either.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from gateway.publication.labels import Lang, number, text, title
from ipops.indicators.statistics import IndicatorSeries

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 48, 44
BAR = "#2f6fdf"
TARGET = "#c8102e"


def _px(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), ROUND_HALF_UP))


def _target_levels(series: IndicatorSeries) -> dict[int, Decimal]:
    """The level the plan asks for in each year (for growth: the base value grown at the rate)."""
    years = [v.year for v in series.series]
    if series.target in ("cumulative", "per_year") and series.target_value is not None:
        return dict.fromkeys(years, series.target_value)
    base = series.series[0].value if series.series else None
    if series.target == "growth" and series.growth_pct is not None and base:
        rate = 1 + series.growth_pct / 100
        return {y: base * rate ** (y - years[0]) for y in years}
    return {}


def chart_svg(series: IndicatorSeries, lang: Lang) -> str:
    """The chart of one indicator in `lang`."""
    heading = escape(title(series, lang))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{heading}" data-indicator="{escape(series.indicator)}" font-family="sans-serif">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold" fill="#1d2433">{heading}</text>',
    ]
    if not series.has_source:
        parts.append(
            f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" font-size="18" fill="#6b7280" '
            f'class="no-data">{escape(text(lang, "no_data"))}</text></svg>'
        )
        return "".join(parts)
    parts.extend(_bars(series, lang))
    parts.extend(_target(series, lang))
    parts.append("</svg>")
    return "".join(parts)


def _scale(series: IndicatorSeries) -> Decimal:
    values = [v.value for v in series.series if v.value is not None]
    return max([Decimal(1), *values, *_target_levels(series).values()])


def _y(value: Decimal, top_value: Decimal) -> Decimal:
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * value / top_value


def _slot(series: IndicatorSeries) -> Decimal:
    return Decimal(WIDTH - LEFT - RIGHT) / max(len(series.series), 1)


def _bars(series: IndicatorSeries, lang: Lang) -> list[str]:
    top_value, slot = _scale(series), _slot(series)
    bar_width = min(Decimal(56), slot * Decimal("0.6"))
    parts = [
        '<defs><pattern id="ytd" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#a9c3f2"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BAR}" stroke-width="3"/>'
        "</pattern></defs>",
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" stroke="#5b6475"/>',
    ]
    for i, point in enumerate(series.series):
        centre = LEFT + slot * i + slot / 2
        year_label = str(point.year) + (f" ({text(lang, 'ytd')})" if point.year_to_date else "")
        parts.append(
            f'<text x="{_px(centre)}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" fill="#1d2433">'
            f"{escape(year_label)}</text>"
        )
        if point.value is None:
            continue
        y = _y(point.value, top_value)
        height = max(Decimal(1), HEIGHT - BOTTOM - y)
        fill = "url(#ytd)" if point.year_to_date else BAR
        css = "bar ytd" if point.year_to_date else "bar"
        parts.append(
            f'<rect class="{css}" data-year="{point.year}" x="{_px(centre - bar_width / 2)}" '
            f'y="{_px(HEIGHT - BOTTOM - height)}" width="{_px(bar_width)}" height="{_px(height)}" fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{_px(centre)}" y="{_px(y - 4)}" text-anchor="middle" font-size="11" fill="#1d2433">'
            f"{escape(number(point.value, lang))}</text>"
        )
    return parts


def _target(series: IndicatorSeries, lang: Lang) -> list[str]:
    levels = _target_levels(series)
    if not levels:
        return []
    top_value, slot = _scale(series), _slot(series)
    points = [
        f"{_px(LEFT + slot * i + slot / 2)},{_px(_y(levels[p.year], top_value))}" for i, p in enumerate(series.series)
    ]
    if series.target != "growth":
        y = _px(_y(next(iter(levels.values())), top_value))
        points = [f"{LEFT},{y}", f"{WIDTH - RIGHT},{y}"]
    label = f"{text(lang, 'target_line')}"
    return [
        f'<polyline class="target" points="{" ".join(points)}" fill="none" stroke="{TARGET}" stroke-width="2" '
        'stroke-dasharray="6 4"/>',
        f'<text x="{WIDTH - RIGHT}" y="38" text-anchor="end" font-size="11" fill="{TARGET}">- - {escape(label)}</text>',
    ]
