"""Enforcement routes under /api/v1/enforcement, one router per aggregate. The order is the order
paths are matched in: cases, deadlines, the calendar, then satisfaction and statistics."""

from __future__ import annotations

from fastapi import APIRouter

from enforcement.calendar.api import router as calendar
from enforcement.cases.api import router as cases
from enforcement.deadlines.api import router as deadlines
from enforcement.statistics.api import router as statistics

router = APIRouter(prefix="/api/v1/enforcement", tags=["enforcement"])
router.include_router(cases)
router.include_router(deadlines)
router.include_router(calendar)
router.include_router(statistics)
