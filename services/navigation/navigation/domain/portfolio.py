"""The plan's high-value patent portfolio (高价值专利组合, task 3): at least 50 invention patents
and at least 10 PCT applications in one enterprise's portfolio.

Guarantees: counts are over distinct application numbers; an invention is type digit 1, or 8 (a
PCT application that entered China as an invention); a PCT application is a patent flagged as
filed under the PCT (or naming its PCT/CNyyyy/nnnnnn number), or one of type 8 or 9 (it came
through the PCT). A utility model or design never counts as an invention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_INVENTIONS = 50
MIN_PCT = 10
INVENTION_TYPES = frozenset({"invention", "pct_invention"})
PCT_TYPES = frozenset({"pct_invention", "pct_utility_model"})


@dataclass(frozen=True)
class Holding:
    """One patent of a portfolio as the rule sees it."""

    application_number: str
    patent_type: str
    pct: bool


@dataclass(frozen=True)
class Assessment:
    """How a portfolio measures against the definition."""

    patent_count: int
    invention_count: int
    pct_count: int

    @property
    def qualified(self) -> bool:
        """At least 50 inventions and at least 10 PCT applications."""
        return self.invention_count >= MIN_INVENTIONS and self.pct_count >= MIN_PCT

    @property
    def inventions_short(self) -> int:
        """Inventions still missing (0 when enough)."""
        return max(0, MIN_INVENTIONS - self.invention_count)

    @property
    def pct_short(self) -> int:
        """PCT applications still missing (0 when enough)."""
        return max(0, MIN_PCT - self.pct_count)


def assess(holdings: Iterable[Holding]) -> Assessment:
    """Count a portfolio's distinct patents, inventions and PCT applications."""
    unique = {h.application_number: h for h in holdings}
    inventions = sum(1 for h in unique.values() if h.patent_type in INVENTION_TYPES)
    pct = sum(1 for h in unique.values() if h.pct or h.patent_type in PCT_TYPES)
    return Assessment(patent_count=len(unique), invention_count=inventions, pct_count=pct)
