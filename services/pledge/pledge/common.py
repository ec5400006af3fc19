"""What every pledge aggregate shares: the events' source, how the domain's field names are
turned into the request body's, which loan statuses count as live in a query, and the field
types of the HTTP contract only pledge uses (a name, a right's id); amounts, percentages and dates
are `ipops.fields`' declared forms."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated

from pydantic import Field

from ipops.errors import RuleViolation
from pledge.domain.loan import LIVE

SOURCE = "/ipops/pledge"

# A loan "lives" (holds its collateral, counts as outstanding) until it is terminal; as values
# for a query's `IN (...)`.
LIVE_VALUES = sorted(s.value for s in LIVE)

Name = Annotated[str, Field(min_length=1, max_length=200)]
# A right's id: random (UUID4 text since revision 0006), never a sequential integer.
RightId = Annotated[str, Field(min_length=1, max_length=36)]


@contextlib.contextmanager
def body_fields() -> Iterator[None]:
    """Name the domain's fields as the request body does (`terms.shares` -> `body.terms.shares`),
    the way schema validation errors name them."""
    try:
        yield
    except RuleViolation as exc:
        for error in exc.extensions.get("errors", []):
            if not error["field"].startswith("body."):
                error["field"] = f"body.{error['field']}"
        raise
