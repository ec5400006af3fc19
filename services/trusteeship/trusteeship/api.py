"""Trusteeship routes under /api/v1/trusteeship, one router per aggregate.

Every agency write takes an `Idempotency-Key`. An agency reads only enterprises it holds or held;
another agency's enterprise is 404. The order below is the order of registration, which keeps
path matching as it was.
"""

from __future__ import annotations

from fastapi import APIRouter

from trusteeship.agencies.api import router as agencies
from trusteeship.docket.api import router as docket
from trusteeship.enrolments.api import router as enrolments
from trusteeship.enterprises.api import router as enterprises
from trusteeship.statistics.api import router as statistics
from trusteeship.worklogs.api import router as worklogs

router = APIRouter(prefix="/api/v1/trusteeship", tags=["trusteeship"])
for aggregate in (agencies, enrolments, enterprises, docket, worklogs, statistics):
    router.include_router(aggregate)
