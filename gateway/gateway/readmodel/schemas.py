"""The public progress document: every indicator of the plan as its owner's statistics give it
(`ipops.indicators.statistics.IndicatorSeries`, field for field), and the milestones of goals
七-九."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from ipops.indicators.statistics import IndicatorStatistics


class MilestonePublic(BaseModel):
    """A milestone recorded by an operator, with the date it was reached and its evidence."""

    milestone_id: str
    title_zh: str
    title_en: str
    achieved_on: date
    evidence: str


class GoalMilestones(BaseModel):
    """One of goals 七-九: not a number but milestones; none recorded yet is "no data yet"."""

    goal: int
    title_zh: str
    title_en: str
    status: Literal["recorded", "no_data"]
    milestones: list[MilestonePublic]


class ReadModelInfo(BaseModel):
    """Which rebuild of the read model answered."""

    generation: int | None
    reset_at: datetime | None


class PlanProgress(IndicatorStatistics):
    """Every indicator of goals 一-六 with its series since the base year (the current year marked
    year to date), its target, its judgement for `judged_year` and its owner; then goals 七-九."""

    judged_year: int = Field(description="the latest complete year, at most the plan's final year")
    milestones: list[GoalMilestones]
    read_model: ReadModelInfo


# Goals 七-九 of the plan (seeds/004: 主要目标), which are judged by milestones, not by numbers.
MILESTONE_GOALS: tuple[tuple[int, str, str], ...] = (
    (7, "以专利审查协作天津中心为引领的知识产权服务业聚集区",
     "An IP service industry cluster led by the Patent Examination Cooperation Tianjin Center"),
    (8, "智能装备、医疗器械知识产权产业聚集区与华明知识产权特色小镇",
     "Intelligent-equipment and medical-device IP industry clusters, and the Huaming IP town"),
    (9, "依托高校、科研院所的多个知识产权运营中心",
     "IP operation centres built on universities and research institutes"),
)  # fmt: skip
