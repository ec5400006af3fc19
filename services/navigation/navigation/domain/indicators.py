"""What the navigation service contributes to the plan's figures: the counting rule of each
indicator it owns (`ipops.indicators.catalogue.owned_by("navigation")`), one definition each.

navigation_industry_planning / navigation_enterprise_operation (stock, 累计 15 / 45):
    An industry-planning (GB/T 39551.3) or enterprise-operation (GB/T 39551.4) project counts, once,
    from its acceptance date (验收, the Beijing date the district office accepted it; a history
    entered late gives that date) for good. The subject is the project's id. A project not accepted
    (proposed, in progress, under review, rejected) does not count. Nothing takes an accepted
    project back out: acceptance is final in the project's life (no revocation exists), so an
    accepted project stays counted in every later year.

high_value_portfolios (stock, 累计 20):
    A patent list counts while a portfolio holding it qualifies (>= 50 granted in-force inventions
    and >= 10 PCT applications, none counted toward an earlier-qualified portfolio: see
    `domain.portfolio`). ONE PATENT LIST COUNTS ONCE: portfolios are grouped by their list's key
    (the hash of the sorted, distinct, normalised application numbers), so twenty registrations of
    one list count 1. A portfolio qualifies over a spell, from the date it started qualifying to
    the date it stopped (its patents fell below the thresholds, were counted elsewhere, its list
    changed, or it was withdrawn). The spells of the portfolios sharing a list are merged when
    they meet or when no 31 December falls between them (a year-end stock cannot see that gap):
    the list counts 1 over each merged spell, from its earliest qualification. The subject is the
    list's key and the start of the spell (`<key>:<yyyymmdd>`), so a list that stopped qualifying
    over a year end and qualifies again later counts again from then, and its earlier years stay.
    A spell that ends ends its contribution from that date (stock: no longer counted at the end of
    that year unless it ended on 1 January of the next).

Pure functions: given the state of a record, the contributions it makes (quantity 0: it does not
count, or no longer does). The use cases write them to the ledger in the change's transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from navigation.enums import ProjectKind, ProjectStatus

OWNER = "navigation"
INDUSTRY_PLANNING = "navigation_industry_planning"
ENTERPRISE_OPERATION = "navigation_enterprise_operation"
HIGH_VALUE_PORTFOLIOS = "high_value_portfolios"

PROJECT_INDICATORS: dict[ProjectKind, str] = {
    ProjectKind.INDUSTRY_PLANNING: INDUSTRY_PLANNING,
    ProjectKind.ENTERPRISE_OPERATION: ENTERPRISE_OPERATION,
}


@dataclass(frozen=True)
class Contribution:
    """One record's contribution to one indicator (quantity 0: it does not count)."""

    indicator: str
    subject: str
    quantity: int
    start_on: date
    end_on: date | None = None


@dataclass(frozen=True)
class Spell:
    """A portfolio's qualification from `start` up to `end` (None: it still qualifies)."""

    start: date
    end: date | None = None


def project_contributions(
    project_id: str, kind: ProjectKind, status: ProjectStatus, accepted_on: date | None, today: date
) -> list[Contribution]:
    """What a project contributes: 1 from its acceptance date to its kind's indicator when it is
    accepted, 0 otherwise (dated today: a zero is never shown); nothing for a reserved kind."""
    indicator = PROJECT_INDICATORS.get(kind)
    if indicator is None:
        return []
    if status is ProjectStatus.ACCEPTED and accepted_on is not None:
        return [Contribution(indicator, project_id, 1, accepted_on)]
    return [Contribution(indicator, project_id, 0, accepted_on or today)]


def patent_list_key(application_numbers: Iterable[str]) -> str:
    """The key of a patent list: the first 32 hex digits of the SHA-256 of its distinct normalised
    application numbers, sorted, one per line (order and repetition do not matter)."""
    canonical = "\n".join(sorted(set(application_numbers)))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def spell_subject(list_key: str, start: date) -> str:
    """The ledger subject of one spell of a list."""
    return f"{list_key}:{start:%Y%m%d}"


def _meets(current: Spell, following: Spell) -> bool:
    """Whether `following` continues `current`: overlapping, touching, or no year end between."""
    if current.end is None or following.start <= current.end:
        return True
    return following.start.year == current.end.year


def merge_spells(spells: Iterable[Spell]) -> list[Spell]:
    """The spells of a list's portfolios merged into the spells the list counts over, by start."""
    merged: list[Spell] = []
    for spell in sorted(spells, key=lambda s: (s.start, s.end is None, s.end or s.start)):
        if merged and _meets(merged[-1], spell):
            last = merged[-1]
            end = None if last.end is None or spell.end is None else max(last.end, spell.end)
            merged[-1] = Spell(last.start, end)
        else:
            merged.append(spell)
    return merged


def portfolio_list_contributions(list_key: str, spells: Iterable[Spell]) -> list[Contribution]:
    """What one patent list contributes: 1 over each merged spell of the portfolios holding it,
    from the earliest qualification in the spell. A spell that ends on the day it starts counts 0."""
    out = []
    for spell in merge_spells(spells):
        counts = spell.end is None or spell.end > spell.start
        out.append(Contribution(HIGH_VALUE_PORTFOLIOS, spell_subject(list_key, spell.start), int(counts),
                                spell.start, spell.end))  # fmt: skip
    return out


def end_of_spell(start_on: date, on: date) -> date:
    """When a spell that started on `start_on` ends if it stops on `on` (never before it started:
    history entered out of order must not make a negative spell)."""
    return max(start_on, on)


def spell_after_change(qualifies: bool, spell: Spell | None, on: date, *, list_changed: bool) -> Spell | None:
    """A portfolio's latest spell after a reassessment dated `on`.

    - its list changed: the spell it had belonged to the old list (whose contribution the caller
      ends on `on`); it has a new spell from `on` if it qualifies, none otherwise;
    - it qualifies and did not: a new spell from `on`, unless its last spell ended this same year
      (then that spell goes on: a year-end stock never saw the gap);
    - it stopped qualifying: the spell ends on `on`;
    - otherwise unchanged."""
    if list_changed:
        return Spell(on) if qualifies else None
    if spell is None:
        return Spell(on) if qualifies else None
    if spell.end is None:
        return spell if qualifies else Spell(spell.start, end_of_spell(spell.start, on))
    if not qualifies:
        return spell
    return Spell(spell.start) if on.year == spell.end.year else Spell(on)
