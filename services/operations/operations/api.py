"""Operations routes under /api/v1/operations, one router per aggregate.

Every write takes an `Idempotency-Key` (declared required). An agency acts only on its own records;
another agency's record is 404, like a missing one. The order below is the order of registration.
"""

from __future__ import annotations

from fastapi import APIRouter

from operations.agencies.api import router as agencies
from operations.alliances.api import router as alliances
from operations.fund.api import router as fund
from operations.milestones.api import router as milestones
from operations.pools.api import router as pools
from operations.statistics.api import router as statistics
from operations.talent.api import router as talent
from operations.trademarks.api import router as trademarks
from operations.transactions.api import router as transactions

router = APIRouter(prefix="/api/v1/operations", tags=["operations"])
for aggregate in (agencies, transactions, pools, alliances, trademarks, fund, talent, milestones, statistics):
    router.include_router(aggregate)
