"""What makes a piece of work loggable, the same for a single entry and for each row of a bulk
upload: the agency holds the enterprise, the type is within its contracted scope, and the date is
neither in the future nor before the enterprise was enrolled with it.

`check_work` returns every problem of a row as (field, message) rather than raising, so a bulk
upload can report all bad rows at once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

NOT_HELD = "the agency does not hold this enterprise"


def check_work(
    *,
    service_type: str,
    work_date: date,
    scope: Collection[str],
    held_since: date | None,
    today: date,
) -> list[tuple[str, str]]:
    """The rule violations of one piece of work; empty when it may be logged."""
    if held_since is None:
        return [("credit_code", NOT_HELD)]
    problems = []
    if scope and service_type not in scope:
        problems.append(("service_type", f"{service_type} is outside the agency's contracted scope"))
    if work_date > today:
        problems.append(("work_date", f"{work_date} is in the future"))
    elif work_date < held_since:
        problems.append(("work_date", f"{work_date} is before the enrolment started on {held_since}"))
    return problems
