"""The district's year as a span of instants, so a query can select a year's rows by their aware
UTC timestamps: a row stamped 2025-12-31T17:00Z falls in 2026, the year it is in Beijing.

Pure: only `ipops.clock`'s zone.
"""

from __future__ import annotations

from datetime import datetime

from ipops.clock import DISTRICT_TZ, district_year


def district_year_span(year: int) -> tuple[datetime, datetime]:
    """[start, end) of the district's calendar `year`, as aware instants."""
    return datetime(year, 1, 1, tzinfo=DISTRICT_TZ), datetime(year + 1, 1, 1, tzinfo=DISTRICT_TZ)


def year_span_of(at: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the district year `at` falls in."""
    return district_year_span(district_year(at))
