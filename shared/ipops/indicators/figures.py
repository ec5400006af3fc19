"""Adding contributions up into yearly values: the one arithmetic of the indicator system.

Used by each owning service for its own statistics and by the gateway for the public figures, on
the same `indicator_contribution` rows, so the two can only differ if a contribution did not
arrive. Stock semantics: a contribution counts at the end of year Y when it started in Y or
before and has no end, or ends in a later year (an end on 1 January Y+1 still counts for Y).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.indicators.catalogue import Indicator
from ipops.indicators.ledger import IndicatorContribution

# (start_year, end_year or None, summed quantity, number of contributions)
Group = tuple[int, int | None, int, int]


def yearly_values(entry: Indicator, groups: Iterable[Group], years: Sequence[int]) -> dict[int, Decimal | None]:
    """Each year's value of `entry` from its contributions grouped by (start year, end year).

    Flow and stock years without contributions are 0 (the source exists and counted nothing);
    a level year without a figure is None (no survey that year)."""
    groups = list(groups)
    values: dict[int, Decimal | None] = {}
    for year in years:
        if entry.measure == "flow":
            values[year] = entry.value_of(sum(q for start, _, q, _ in groups if start == year))
        elif entry.measure == "stock":
            values[year] = entry.value_of(
                sum(q for start, end, q, _ in groups if start <= year and (end is None or end > year))
            )
        else:
            total = sum(q for start, _, q, _ in groups if start == year)
            count = sum(n for start, _, _, n in groups if start == year)
            mean = (Decimal(total) / count).quantize(Decimal(1), ROUND_HALF_UP) if count else None
            values[year] = None if mean is None else entry.value_of(mean)
    return values


async def contribution_groups(session: AsyncSession, indicator_ids: Iterable[str]) -> dict[str, list[Group]]:
    """Contributions summed per indicator and (start year, end year), in one query. Only rows that
    count (quantity > 0) take part, so a withdrawn record neither adds nor counts as a survey."""
    ids = list(indicator_ids)
    grouped: dict[str, list[Group]] = defaultdict(list)
    if not ids:
        return grouped
    table = IndicatorContribution
    rows = await session.execute(
        select(
            col(table.indicator),
            col(table.start_year),
            col(table.end_year),
            func.sum(table.quantity),
            func.count(),
        )
        .where(col(table.indicator).in_(ids), col(table.quantity) > 0)
        .group_by(col(table.indicator), col(table.start_year), col(table.end_year))
    )
    for indicator_id, start, end, total, count in rows.all():
        grouped[indicator_id].append((int(start), None if end is None else int(end), int(total), int(count)))
    return grouped


async def contributing_subjects(session: AsyncSession, indicator_id: str, year: int, stock: bool) -> list[str]:
    """The subjects that make up one year's value (the annual report lists them)."""
    table = IndicatorContribution
    query = select(col(table.subject)).where(col(table.indicator) == indicator_id, col(table.quantity) > 0)
    if stock:
        query = query.where(
            col(table.start_year) <= year, (col(table.end_year).is_(None)) | (col(table.end_year) > year)
        )
    else:
        query = query.where(col(table.start_year) == year)
    return list((await session.execute(query.order_by(col(table.subject)))).scalars())
