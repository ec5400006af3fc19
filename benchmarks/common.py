"""Helpers the benchmark scripts share: percentiles, a result line the runner collects, and the
infrastructure addresses `scripts/bench.sh` exports."""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: Sequence[float]) -> float:
    """The median, NaN for no values."""
    return statistics.median(values) if values else float("nan")


def emit(name: str, result: dict[str, Any]) -> None:
    """Print the result line `scripts/bench.sh` collects into docs/BENCHMARKS.md."""
    print("RESULT " + json.dumps({"benchmark": name, **result}, ensure_ascii=False, default=str), flush=True)


def env(name: str) -> str:
    """A variable `scripts/bench.sh` sets (the broker and database of the benchmark run)."""
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"{name} is not set: run benchmarks through `make bench` (scripts/bench.sh)")
    return value
