"""The plan's high-value patent portfolio (高价值专利组合, task 3): at least 50 invention patents
and at least 10 PCT applications in one enterprise's portfolio.

Guarantees:
- Counts are over distinct application numbers.
- An invention counts when it is one (type digit 1, or 8: a PCT application that entered China as
  an invention) AND it is granted and in force. Pending, rejected, withdrawn and lapsed inventions,
  and those whose status was never recorded, are listed but never counted.
- A PCT application counts as filed, whatever its status: a patent flagged as filed under the PCT
  (or naming its PCT/CNyyyy/nnnnnn number), or one of type 8 or 9 (it came through the PCT).
- A utility model or design never counts as an invention.
- One patent counts toward at most one qualifying portfolio. Portfolios are assessed in order of
  seniority (first qualified first, then registered first); a portfolio that qualifies claims every
  patent that counted for it, and a later portfolio counts only patents no earlier qualifying
  portfolio claimed. A portfolio that does not qualify claims nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from navigation.enums import PortfolioPatentStatus

MIN_INVENTIONS = 50
MIN_PCT = 10
INVENTION_TYPES = frozenset({"invention", "pct_invention"})
PCT_TYPES = frozenset({"pct_invention", "pct_utility_model"})
COUNTED_STATUSES = frozenset({PortfolioPatentStatus.IN_FORCE.value})
COUNTING_RULE = (
    "inventions: granted and in force (type 1 or 8); PCT: applications filed under the PCT "
    "(flag, PCT number, or type 8/9), any status; a patent counted toward an earlier-qualified "
    "portfolio counts for no other"
)


@dataclass(frozen=True)
class Holding:
    """One patent of a portfolio as the rule sees it."""

    application_number: str
    patent_type: str
    pct: bool
    legal_status: str | None = None  # None: registered before statuses were recorded

    @property
    def is_invention(self) -> bool:
        """An invention patent or application, whatever its status."""
        return self.patent_type in INVENTION_TYPES

    @property
    def counts_as_invention(self) -> bool:
        """A granted invention in force."""
        return self.is_invention and self.legal_status in COUNTED_STATUSES

    @property
    def counts_as_pct(self) -> bool:
        """A PCT application filed."""
        return self.pct or self.patent_type in PCT_TYPES


@dataclass(frozen=True)
class Assessment:
    """How a portfolio measures against the definition, and what it listed that did not count."""

    patent_count: int
    invention_count: int
    pct_count: int
    inventions_listed: int = 0
    inventions_not_in_force: int = 0
    inventions_counted_elsewhere: int = 0
    pct_counted_elsewhere: int = 0
    counted_elsewhere_in: tuple[str, ...] = ()

    @property
    def qualified(self) -> bool:
        """At least 50 counted inventions and at least 10 counted PCT applications."""
        return self.invention_count >= MIN_INVENTIONS and self.pct_count >= MIN_PCT

    @property
    def qualified_but_for_earlier(self) -> bool:
        """It would qualify if no earlier-qualified portfolio counted some of its patents."""
        inventions = self.invention_count + self.inventions_counted_elsewhere
        return (
            not self.qualified
            and inventions >= MIN_INVENTIONS
            and self.pct_count + self.pct_counted_elsewhere >= MIN_PCT
        )

    @property
    def inventions_short(self) -> int:
        """Inventions still missing (0 when enough)."""
        return max(0, MIN_INVENTIONS - self.invention_count)

    @property
    def pct_short(self) -> int:
        """PCT applications still missing (0 when enough)."""
        return max(0, MIN_PCT - self.pct_count)


def assess(holdings: Iterable[Holding], counted_by: Mapping[str, str] | None = None) -> Assessment:
    """Count a portfolio's distinct patents; those in `counted_by` (application number -> the
    portfolio that counts it) are counted there, not here."""
    claimed = counted_by or {}
    unique = list({h.application_number: h for h in holdings}.values())
    free = [h for h in unique if h.application_number not in claimed]
    taken = [h for h in unique if h.application_number in claimed]
    return Assessment(
        patent_count=len(unique),
        invention_count=sum(1 for h in free if h.counts_as_invention),
        pct_count=sum(1 for h in free if h.counts_as_pct),
        inventions_listed=sum(1 for h in unique if h.is_invention),
        inventions_not_in_force=sum(1 for h in unique if h.is_invention and not h.counts_as_invention),
        inventions_counted_elsewhere=sum(1 for h in taken if h.counts_as_invention),
        pct_counted_elsewhere=sum(1 for h in taken if h.counts_as_pct),
        counted_elsewhere_in=tuple(sorted({claimed[h.application_number] for h in taken})),
    )


def allocate(portfolios: Sequence[tuple[str, Iterable[Holding]]]) -> dict[str, Assessment]:
    """Assess portfolios given in order of seniority (`seniority`): each qualifying portfolio
    claims the patents that counted for it, and no later portfolio counts them."""
    counted_by: dict[str, str] = {}
    result: dict[str, Assessment] = {}
    for portfolio_id, items in portfolios:
        holdings = list(items)
        assessment = assess(holdings, counted_by)
        result[portfolio_id] = assessment
        if assessment.qualified:
            for h in holdings:
                if h.counts_as_invention or h.counts_as_pct:
                    counted_by.setdefault(h.application_number, portfolio_id)
    return result


def seniority(first_qualified_at: datetime | None, created_at: datetime, portfolio_id: str) -> tuple[object, ...]:
    """The order portfolios claim patents in: those that ever qualified by when they first did,
    then the others by registration; the id breaks ties."""
    if first_qualified_at is None:
        return (1, created_at, portfolio_id)
    return (0, first_qualified_at, portfolio_id)
