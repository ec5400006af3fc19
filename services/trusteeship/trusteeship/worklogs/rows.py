"""The model one row of a bulk upload is validated by: a `WorkLogCreate`, with the field checks
that run Python code (a check character, a calendar date, a decimal's form) done once per
distinct value of the upload instead of once per row.

An upload of tens of thousands of rows names a few hundred enterprises, a few hundred dates and a
handful of hours; the profile of a 10,000-row upload had these Python checks as most of the
validation time (benchmarks/profile.md, "Bulk work logs"). Each field keeps its own type: a
memoised field is validated by a `TypeAdapter` of exactly the annotation `WorkLogCreate` declares,
and a refusal is reported with that adapter's own error type and message, so a bad row reads the
same as before. Only successes are cached (`functools.lru_cache` does not keep exceptions), and
only for text, the form every CSV and XLSX cell and most JSON Lines values arrive in; anything
else is validated uncached.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PlainValidator, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from ipops import identifiers
from ipops.fields import BoundedDate, PatentNumber, TrademarkNumber
from trusteeship.worklogs.schemas import Hours, WorkLogCreate

# Distinct values kept per field: far above what one upload holds, bounded for a long-running
# process (an entry is a short string and its value).
_CACHE_SIZE = 65_536


def _memoised(annotation: Any) -> PlainValidator:
    """Validate as `annotation` does, remembering each distinct text's result."""
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)

    @functools.lru_cache(maxsize=_CACHE_SIZE)
    def cached(value: str) -> Any:
        return adapter.validate_python(value)

    def validate(value: Any) -> Any:
        try:
            return cached(value) if type(value) is str else adapter.validate_python(value)
        except ValidationError as exc:
            # A scalar's validation stops at its first error: re-raise it as this field's own.
            error = exc.errors(include_url=False)[0]
            raise PydanticCustomError(error["type"], "{message}", {"message": error["msg"]}) from None

    return PlainValidator(validate)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _credit_code(value: str) -> str:
    # The check-digit computation was 70 % of parsing time before it was cached.
    return identifiers.normalize_uscc(value)


class WorkLogRow(WorkLogCreate):
    """One row of a bulk upload: a WorkLogCreate whose Python-checked fields are memoised."""

    credit_code: Annotated[str, AfterValidator(_credit_code)]
    work_date: Annotated[date, _memoised(BoundedDate)]
    hours: Annotated[Decimal | None, _memoised(Hours | None)] = None
    patent_numbers: list[Annotated[str, _memoised(PatentNumber)]] = Field(default_factory=list, max_length=100)
    trademark_numbers: list[Annotated[str, _memoised(TrademarkNumber)]] = Field(default_factory=list, max_length=100)


ROW = TypeAdapter(WorkLogRow)
