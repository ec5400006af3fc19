# ruff: noqa: RUF001, RUF002  (the en dash marks a missing figure, as in print)
"""The landscape report's charts as geometry: each function turns labelled counts into the shapes
of one inline SVG (positions already formatted), and the report's template draws them. No markup
is written here, so no text taken from the data is ever placed in a page unescaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PALETTE = ("#2f5d8a", "#e07b39", "#4c9a6a", "#b84a4a", "#7d5ba6", "#8c7a3c", "#3a8fa3", "#999999")
WIDTH = 720


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal ("–" when unknown)."""
    return "–" if value is None else f"{value * 100:.1f}%"


def num(value: float | None) -> str:
    """A count with thousands separators ("–" when unknown)."""
    return "–" if value is None else f"{value:,}"


def vertical(points: Sequence[tuple[str, int]], *, title: str, width: int = WIDTH, height: int = 260) -> dict | None:
    """Columns, one per label (filings per year); None without data."""
    if not points:
        return None
    top = max(v for _, v in points) or 1
    left, bottom, plot_h = 50, 40, height - 60
    base = height - bottom
    step = (width - left - 10) / len(points)
    bar_w = max(step * 0.7, 1)
    ticks = []
    for tick in range(0, 5):
        y = base - plot_h * tick / 4
        ticks.append({"y": f"{y:.1f}", "label_y": f"{y + 4:.1f}", "value": f"{top * tick / 4:,.0f}"})
    label_every = max(1, len(points) // 16)
    bars = []
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top
        x = left + i * step + (step - bar_w) / 2
        bars.append(
            {
                "x": f"{x:.1f}",
                "y": f"{base - h:.1f}",
                "width": f"{bar_w:.1f}",
                "height": f"{h:.1f}",
                "tip": f"{label}: {value:,}",
                "label": label if i % label_every == 0 else None,
                "label_x": f"{x + bar_w / 2:.1f}",
            }
        )
    return {
        "width": width,
        "height": height,
        "title": title,
        "left": left,
        "right": width - 5,
        "base": base,
        "label_y": base + 14,
        "fill": PALETTE[0],
        "ticks": ticks,
        "bars": bars,
    }


def horizontal(
    rows: Sequence[tuple[str, int, float | None]], *, title: str, width: int = WIDTH, label_width: int = 260
) -> dict | None:
    """One bar per row with its count and share (top applicants, IPC, regions); None without data."""
    if not rows:
        return None
    row_h = 20
    top = max(v for _, v, _ in rows) or 1
    plot_w = width - label_width - 110
    bars: list[dict[str, Any]] = []
    for i, (label, value, share) in enumerate(rows):
        y = 5 + i * row_h
        w = plot_w * value / top
        bars.append(
            {
                "text_y": y + 13,
                "y": y + 2,
                "shown": label if len(label) <= 34 else label[:33] + "…",
                "width": f"{w:.1f}",
                "fill": PALETTE[i % 7],
                "tip": f"{label}: {value:,}",
                "value_x": f"{label_width + w + 5:.1f}",
                "value": f"{value:,} ({pct(share)})",
            }
        )
    return {
        "width": width,
        "height": row_h * len(rows) + 10,
        "title": title,
        "label_x": label_width - 6,
        "bar_x": label_width,
        "bar_height": row_h - 6,
        "bars": bars,
    }


def stacked(parts: Sequence[tuple[str, int]], *, title: str, width: int = WIDTH) -> dict | None:
    """One bar split by shares, with a legend (legal status, patent type, district vs rest); None
    when the parts sum to nothing."""
    total = sum(v for _, v in parts)
    if not total:
        return None
    segments = []
    legend = []
    x = 0.0
    for i, (label, value) in enumerate(parts):
        w = (width - 2) * value / total
        fill = PALETTE[i % len(PALETTE)]
        segments.append({"x": f"{x + 1:.1f}", "width": f"{w:.1f}", "fill": fill, "tip": f"{label}: {value:,}"})
        x += w
        lx, ly = 1 + (i % 3) * (width // 3), 40 + (i // 3) * 18
        legend.append(
            {
                "x": lx,
                "y": ly,
                "box_y": ly - 9,
                "text_x": lx + 14,
                "fill": fill,
                "text": f"{label}: {value:,} ({pct(value / total)})",
            }
        )
    return {
        "width": width,
        "height": 34 + 18 * ((len(parts) + 2) // 3),
        "title": title,
        "segments": segments,
        "legend": legend,
    }
