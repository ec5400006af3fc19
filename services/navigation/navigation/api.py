"""The navigation service's routes, under /api/v1/navigation: each aggregate's router, included in
the order that keeps path matching as it was (the public routes, under /public, last)."""

from __future__ import annotations

from fastapi import APIRouter

from navigation.datasets import api as datasets
from navigation.enterprises import api as enterprises
from navigation.portfolios import api as portfolios
from navigation.projects import api as projects
from navigation.statistics import api as statistics

router = APIRouter()
for aggregate_router in (
    projects.router,
    datasets.router,
    enterprises.router,
    portfolios.router,
    statistics.router,
    projects.public_router,
    statistics.public_router,
):
    router.include_router(aggregate_router)
