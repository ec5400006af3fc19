"""Query parameters of every list route, defined once so every service pages the same way."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

# At most 500 rows a page: enough for an agency's screen, small enough to answer quickly.
Limit = Annotated[int, Query(ge=1, le=500, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
