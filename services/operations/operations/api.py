"""Operations routes under /api/v1/operations, one router per aggregate.

Every write takes an `Idempotency-Key` (declared required). An agency acts only on its own records;
another agency's record is 404, like a missing one. The order below is the order of registration.
"""

from __future__ import annotations

from fastapi import APIRouter

from operations.agencies.api import router as agencies
from operations.pools.api import router as pools
from operations.transactions.api import router as transactions

router = APIRouter(prefix="/api/v1/operations", tags=["operations"])
for aggregate in (agencies, transactions, pools):
    router.include_router(aggregate)
