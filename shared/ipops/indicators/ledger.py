"""The indicator ledger: each service's record of what it contributes to the plan's figures.

A row per (indicator, subject): the subject is the record that counts (a loan id, a case id, an
enterprise's hashed credit code and year). `contribute` is called by a use case in the transaction
of the change that makes the record count, stop counting or count differently; it writes the row
and, only when something changed, the event announcing it (transactional outbox). So the service's
own statistics (read from this table) and the public figure (the gateway's copy of the same rows)
cannot drift apart, and a replay or a repeated call changes nothing.

The gateway keeps the same table (with rows of every owner) as its read model of the figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, col

from ipops.clock import utc_now
from ipops.contracts.indicators import ContributionRecordedV1
from ipops.db import PlatformTable, utc_column
from ipops.events.outbox import add_to_outbox
from ipops.indicators.catalogue import indicator as catalogue_entry


class IndicatorContribution(PlatformTable, table=True):
    """The current contribution of one record to one indicator."""

    __tablename__ = "indicator_contribution"

    indicator: str = Field(primary_key=True, max_length=64)
    subject: str = Field(primary_key=True, max_length=128)
    owner: str = Field(max_length=32)
    quantity: int = Field(sa_column=Column(BigInteger, nullable=False))
    start_on: date
    end_on: date | None = None
    # Years kept beside the dates so every database adds up by year with plain integer SQL.
    start_year: int
    end_year: int | None = None
    revision: int
    reason: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_column())


def _differs(row: IndicatorContribution, quantity: int, start_on: date, end_on: date | None) -> bool:
    return (row.quantity, row.start_on, row.end_on) != (quantity, start_on, end_on)


Key = tuple[str, str]  # (indicator, subject)
Locked = Mapping[Key, IndicatorContribution]


async def lock_current(session: AsyncSession, keys: Iterable[Key]) -> dict[Key, IndicatorContribution]:
    """The current rows of several (indicator, subject) pairs, locked, in one statement: a use
    case that sets a record's contributions to several indicators passes them to `contribute` and
    `withdraw` as `locked`, instead of one read each (#17). A pair without a row is absent."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    table = IndicatorContribution
    rows = await session.scalars(
        select(table).where(tuple_(col(table.indicator), col(table.subject)).in_(wanted)).with_for_update()
    )
    return {(row.indicator, row.subject): row for row in rows}


async def _current(session: AsyncSession, key: Key, locked: Locked | None) -> IndicatorContribution | None:
    if locked is not None:  # a pair the caller forgot to lock reads as new: its insert then fails
        return locked.get(key)
    return await session.get(IndicatorContribution, key, with_for_update=True)


async def contribute(
    session: AsyncSession,
    *,
    owner: str,
    indicator: str,
    subject: str,
    quantity: int,
    start_on: date,
    end_on: date | None = None,
    reason: str,
    locked: Locked | None = None,
) -> bool:
    """Set `subject`'s contribution to `indicator` (0 = it does not count); announce it if changed.

    Returns whether anything changed. The caller holds the lock of the record that decides (the
    loan, the case); two use cases on one subject therefore never race here. `locked`: the rows
    `lock_current` read for this and its sibling contributions (a pair missing has no row)."""
    entry = catalogue_entry(indicator)
    if entry.owner != owner:
        raise ValueError(f"{owner} does not own indicator {indicator} ({entry.owner} does)")
    if quantity < 0:
        raise ValueError(f"a contribution is never negative ({indicator}/{subject}: {quantity})")
    if end_on is not None and end_on < start_on:
        raise ValueError(f"{indicator}/{subject} ends ({end_on}) before it starts ({start_on})")
    row = await _current(session, (indicator, subject), locked)
    if row is not None and not _differs(row, quantity, start_on, end_on):
        return False
    if row is None and quantity == 0:
        return False  # never counted, still does not: nothing to announce
    now = utc_now()
    if row is None:
        row = IndicatorContribution(
            indicator=indicator, subject=subject, owner=owner, quantity=quantity, start_on=start_on, end_on=end_on,
            start_year=start_on.year, end_year=end_on.year if end_on else None, revision=1, reason=reason[:200],
            recorded_at=now,
        )  # fmt: skip
        session.add(row)
    else:
        row.quantity, row.start_on, row.end_on = quantity, start_on, end_on
        row.start_year, row.end_year = start_on.year, end_on.year if end_on else None
        row.revision += 1
        row.reason, row.recorded_at = reason[:200], now
    payload = ContributionRecordedV1(
        indicator=indicator, subject=subject, owner=owner, quantity=quantity, start_on=start_on, end_on=end_on,
        revision=row.revision, reason=row.reason, recorded_at=now,
    )  # fmt: skip
    add_to_outbox(session, payload, source=owner, key=f"{indicator}:{subject}", subject=subject)
    return True


async def withdraw(
    session: AsyncSession, *, owner: str, indicator: str, subject: str, reason: str, locked: Locked | None = None
) -> bool:
    """The subject no longer counts at all (withdrawn, cancelled, corrected away)."""
    row = await _current(session, (indicator, subject), locked)
    if row is None or row.quantity == 0:
        return False
    return await contribute(
        session, owner=owner, indicator=indicator, subject=subject, quantity=0,
        start_on=row.start_on, end_on=row.end_on, reason=reason, locked={(indicator, subject): row},
    )  # fmt: skip


async def apply_recorded(session: AsyncSession, event: ContributionRecordedV1) -> bool:
    """The gateway's side: keep the latest revision of a contribution another service announced.
    An older or repeated revision changes nothing (events may be redelivered)."""
    row = await session.get(IndicatorContribution, (event.indicator, event.subject), with_for_update=True)
    if row is not None and row.revision >= event.revision:
        return False
    values: dict[str, Any] = {
        "owner": event.owner, "quantity": event.quantity, "start_on": event.start_on, "end_on": event.end_on,
        "start_year": event.start_on.year, "end_year": event.end_on.year if event.end_on else None,
        "revision": event.revision, "reason": event.reason[:200], "recorded_at": event.recorded_at,
    }  # fmt: skip
    if row is None:
        session.add(IndicatorContribution(indicator=event.indicator, subject=event.subject, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return True
