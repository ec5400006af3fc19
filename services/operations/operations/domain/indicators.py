"""What counts toward the plan's indicators that the operations service owns, rule by rule.

Each function decides one record's contribution from plain facts; the use cases call them in the
transaction of the change and hand the result to `ipops.indicators.ledger.contribute`. A result of
None means the record does not count (its contribution is withdrawn).

- transactions_licensing (flow, yuan; goal 五: +20 %/year): a contract counts its amount in the
  Beijing year it was contracted (`contracted_on`); running royalties reported for a year count in
  that year (one contribution per licence and year). A rescinded contract takes its amount and its
  royalties back out (their contributions go to 0): the figure is of deals that stand.
- operation_agencies (stock, count; goal 一: 5 agencies with 10,000,000.00 yuan a year): an agency
  counts from 1 January of the FIRST year whose verified revenue (the latest verified version for
  that year) is at least 10,000,000.00 yuan, and keeps counting after it (a later year below the
  line does not remove it: the plan asks to cultivate such agencies, and a verified year stays
  achieved). A verified correction that brings that year below the line moves the start to the
  next qualifying year, or withdraws the agency if none is left.
- overseas_trademarks (stock, count; goal 三: 5 marks): a mark counts once, from the first date
  one of its designations was protected, until the date it was lapsed in every designated party
  (refused parties never protected it, so they do not keep it alive).
- alliances (stock, count; task 1: 5): an alliance counts while it has at least 3 current members
  and is in one of the plan's industries; from the day it qualified until the day it stopped.
- patent_pools (stock, count; task 1: 5): a pool counts while it holds patents contributed by at
  least 2 current members and has published licensing terms, in one of the plan's industries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from operations.enums import DesignationStatus, Industry

AGENCY_REVENUE_LINE_FEN = 10_000_000_00  # 1000万元 (task 13)
ALLIANCE_MIN_MEMBERS = 3
POOL_MIN_CONTRIBUTING_MEMBERS = 2
PLAN_INDUSTRIES = frozenset(Industry) - {Industry.OTHER}


@dataclass(frozen=True)
class Counts:
    """A record's contribution: `quantity` from `start_on` (Beijing), until `end_on` if it ends."""

    quantity: int
    start_on: date
    end_on: date | None = None


def transaction_amount(amount_fen: int, contracted_on: date, rescinded: bool) -> Counts | None:
    """A contract's amount, in the year it was contracted; nothing once rescinded."""
    if rescinded or amount_fen == 0:
        return None
    return Counts(amount_fen, contracted_on)


def royalty_amount(amount_fen: int, year: int, rescinded: bool) -> Counts | None:
    """Royalties reported for `year`, counted in that year; nothing once the licence is rescinded."""
    if rescinded or amount_fen == 0:
        return None
    return Counts(amount_fen, date(year, 1, 1))


def operation_agency(verified_by_year: dict[int, int]) -> Counts | None:
    """An agency from the first year its verified revenue reached the line (`verified_by_year`:
    year -> the revenue in fen of the latest verified version of that year)."""
    years = sorted(y for y, fen in verified_by_year.items() if fen >= AGENCY_REVENUE_LINE_FEN)
    if not years:
        return None
    return Counts(1, date(years[0], 1, 1))


@dataclass(frozen=True)
class DesignationFacts:
    """A designation as the counting rule reads it."""

    status: str
    protected_on: date | None  # the first day it was protected, if it ever was
    status_on: date  # the day it entered its current status


def overseas_mark(designations: Sequence[DesignationFacts]) -> Counts | None:
    """A mark from its first protection until it is lapsed in every party that protected it."""
    protected = [d for d in designations if d.protected_on is not None]
    if not protected:
        return None
    start = min(d.protected_on for d in protected if d.protected_on is not None)
    alive = [d for d in designations if d.status in (DesignationStatus.PROTECTED, DesignationStatus.PENDING)]
    if alive:
        return Counts(1, start)
    end = max(d.status_on for d in protected)
    return Counts(1, start, max(end, start))


def alliance(industry: str, current_members: int, qualified_on: date) -> Counts | None:
    """An alliance while it has enough current members in a plan industry, from `qualified_on`
    (the day the change that made it qualify took effect, or the start it already counts from)."""
    if industry not in PLAN_INDUSTRIES or current_members < ALLIANCE_MIN_MEMBERS:
        return None
    return Counts(1, qualified_on)


def patent_pool(
    industry: str, contributing_members: int, terms_published_on: date | None, qualified_on: date
) -> Counts | None:
    """A pool with patents of >= 2 current members and published terms, in a plan industry."""
    if industry not in PLAN_INDUSTRIES or terms_published_on is None:
        return None
    if contributing_members < POOL_MIN_CONTRIBUTING_MEMBERS:
        return None
    return Counts(1, qualified_on)


def stopped(previous: Counts | None, now: Counts | None, on: date) -> Counts | None:
    """A stock that no longer qualifies keeps its history: it counted from its start until `on`.
    (None when it never counted, or when it still counts: then `now` stands.)"""
    if now is not None or previous is None or previous.quantity == 0:
        return now
    return Counts(previous.quantity, previous.start_on, max(on, previous.start_on))
