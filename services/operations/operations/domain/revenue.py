"""Rules of agencies' revenue reports.

Guarantees: a report is for a completed or the current Beijing year, never a future one (and not
before the plan's base year); the first report for a year is version 1 and each correction the
next version, so history is never overwritten; the figure of a year is the latest VERIFIED version
(a pending or rejected correction does not displace a verified figure).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ipops.errors import RuleViolation
from operations.enums import RevenueStatus

BASE_YEAR = 2018  # the plan measures growth from 2018


@dataclass(frozen=True)
class Version:
    """One version of a year's report, as the rules read it."""

    version: int
    status: str
    revenue_fen: int


def check_year(year: int, current_year: int) -> None:
    """A revenue report is for the current or an earlier year (Beijing), not before the base year."""
    if year > current_year:
        raise RuleViolation(
            f"{year} is a future year: revenue is reported for a year under way or past", field="body.year"
        )
    if year < BASE_YEAR:
        raise RuleViolation(f"the plan's figures start in {BASE_YEAR}", field="body.year")


def next_version(existing: Iterable[Version]) -> int:
    """The version a new report for the year takes: one more than the highest so far."""
    return max((v.version for v in existing), default=0) + 1


def counted(existing: Iterable[Version]) -> Version | None:
    """The version that is the agency's figure for the year: the latest verified one."""
    verified = [v for v in existing if v.status == RevenueStatus.VERIFIED]
    return max(verified, key=lambda v: v.version, default=None)
