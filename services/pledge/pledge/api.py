"""Pledge routes under /api/v1/pledge, one router per aggregate, included in the order that keeps
path matching as it was (the literal paths before the `{id}` ones they would otherwise match).
Every write goes through `idempotent_write` (an `Idempotency-Key` is required)."""

from __future__ import annotations

from fastapi import APIRouter

from pledge.banks import api as banks
from pledge.claims import api as claims
from pledge.insurance import api as insurance
from pledge.loans import api as loans
from pledge.pools import api as pools
from pledge.rights import api as rights
from pledge.statistics import api as statistics

router = APIRouter(prefix="/api/v1/pledge", tags=["pledge"])
for aggregate in (banks, rights, loans, claims, pools, insurance, statistics):
    router.include_router(aggregate.router)
