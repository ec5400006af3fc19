"""The plan's navigation targets (Dongli plan, tasks 2 and 3): what the statistics measure against.

A project counts toward its target when accepted; projects approved and still running are shown
beside it as the pipeline, never added to the achieved figure.
"""

from __future__ import annotations

PROJECT_TARGETS = {"industry_planning": 15, "enterprise_operation": 45}
PORTFOLIO_TARGET = 20


def progress(achieved: int, target: int) -> float:
    """Achieved over target, capped at nothing (over-achievement shows as more than 1)."""
    return round(achieved / target, 4) if target else 0.0
