"""The milestones' HTTP contract and its presenter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from ipops.fields import BoundedDate
from operations.models import Milestone


class MilestoneCreate(BaseModel):
    """A milestone of goal 七 (service cluster), 八 (industrial clusters, Huaming IP town) or 九
    (operation centres), achieved on a date, with its evidence."""

    goal: Literal[7, 8, 9]
    title_zh: str = Field(min_length=1, max_length=300)
    title_en: str = Field(min_length=1, max_length=300)
    achieved_on: BoundedDate
    evidence: str = Field(min_length=1, max_length=1000, description="a reference or URL of the evidence")


class MilestonePublic(BaseModel):
    """A recorded milestone."""

    id: str
    goal: int
    title_zh: str
    title_en: str
    achieved_on: date
    evidence: str
    recorded_at: datetime


class MilestonePage(BaseModel):
    """A page of milestones."""

    items: list[MilestonePublic]
    total: int


def milestone_public(row: Milestone) -> MilestonePublic:
    """A milestone row as the API shows it."""
    return MilestonePublic(id=row.id, goal=row.goal, title_zh=row.title_zh, title_en=row.title_en,
                           achieved_on=row.achieved_on, evidence=row.evidence, recorded_at=row.recorded_at)  # fmt: skip
