"""The NPL stop line: when a bank's claims stop being paid, which claims a stop refuses and how the
bank comes back. Every choice is data (`StopLine`, part of an agreement version's terms).

- The ratio (`NplFigures`) is the regulator's by default: non-performing principal (defaulted or
  compensated loans still on the books) over the outstanding principal of the bank's covered loans
  on the day it is measured (`balance`); the terms may choose the yearly `flow` instead (principal
  defaulted this district year over principal paid out this district year).
- A ratio without a base is undefined: the bank is stopped or not, as `empty_base` says.
- A bank is over the line when its ratio is strictly above the threshold.
- A stop refuses the claims `refuses` names, never the claim on the loan whose default tripped the
  line: that loan defaulted while the bank was still under it.
- The line is measured after each default, and on the date of each approval and each claim. A
  stopped bank comes back by an operator's reinstatement, or also on its own when the ratio is
  measured at or under the line again (`comeback`). A reinstatement holds until a default takes
  the bank over the line again: the operator reviewed the ratio the bank had.

Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ipops.money import format_yuan
from pledge.enums import Comeback, EmptyBase, NplBasis, StopScope


@dataclass(frozen=True)
class StopLine:
    """A bank's NPL stop line; no threshold, no line."""

    threshold: Decimal | None = None  # percent
    basis: NplBasis = NplBasis.BALANCE
    empty_base: EmptyBase = EmptyBase.NOT_STOPPED
    refuses: StopScope = StopScope.ALL_CLAIMS
    comeback: Comeback = Comeback.OPERATOR


@dataclass(frozen=True)
class NplFigures:
    """The two sides of the ratio in fen, and what they were measured over (for the reason)."""

    non_performing_fen: int
    base_fen: int
    basis: NplBasis = NplBasis.BALANCE
    period: str = ""  # the day (balance) or the year (flow) measured


@dataclass(frozen=True)
class Stop:
    """A bank's stop: since when, and the loan whose default tripped it (None when it was tripped
    by a measurement at approval or claim time)."""

    since: datetime
    tripped_by_loan_id: str | None = None


def over_the_line(line: StopLine, figures: NplFigures) -> bool:
    """True when the ratio is above the threshold, or undefined and the terms stop on that."""
    if line.threshold is None:
        return False
    if figures.base_fen <= 0:
        return line.empty_base is EmptyBase.STOPPED
    return Fraction(figures.non_performing_fen) * 100 > Fraction(line.threshold) * figures.base_fen


def stop_move(
    line: StopLine, *, stopped: bool, over: bool, reinstated: bool = False, at_default: bool = False
) -> Literal["stop", "lift"] | None:
    """What a measurement does to the bank: stop it, lift its stop, or nothing. A bank an operator
    reinstated is stopped again only by a default that takes it over the line (the operator
    reviewed the ratio it had), not by a measurement at approval or claim time."""
    if over and not stopped and (at_default or not reinstated):
        return "stop"
    if stopped and not over and line.threshold is not None and line.comeback is Comeback.AUTOMATIC:
        return "lift"
    return None


def refuses_claim(
    line: StopLine, stop: Stop | None, *, loan_id: str, disbursed_at: datetime | None, defaulted_at: datetime | None
) -> bool:
    """True when the bank's stop refuses the claim on this loan."""
    if stop is None or loan_id == stop.tripped_by_loan_id:
        return False
    if line.refuses is StopScope.DEFAULTED_AFTER_STOP:
        return defaulted_at is None or defaulted_at > stop.since
    if line.refuses is StopScope.DISBURSED_AFTER_STOP:
        return disbursed_at is None or disbursed_at > stop.since
    return True


def stop_reason(line: StopLine, figures: NplFigures) -> str:
    """Why the bank is stopped, with the figures."""
    if figures.basis is NplBasis.FLOW:
        measured = f"principal defaulted in {figures.period} {format_yuan(figures.non_performing_fen)} of " + (
            f"{format_yuan(figures.base_fen)} disbursed in {figures.period}"
        )
    else:
        measured = f"non-performing principal {format_yuan(figures.non_performing_fen)} of " + (
            f"{format_yuan(figures.base_fen)} outstanding on {figures.period}"
        )
    if figures.base_fen <= 0:
        return f"{measured}: the ratio is undefined and the agreement stops the bank then"
    return f"{measured} passes the {line.threshold}% line"
