"""The statistics' HTTP contract."""

from __future__ import annotations

from pydantic import BaseModel, Field


class YearFigures(BaseModel):
    """What the register holds for one Beijing year (the plan's judgement is /statistics/indicators,
    which reads the indicator ledger: the same definitions as the public figures)."""

    year: int
    transactions_registered: int = Field(description="contracts signed in the year and registered")
    transactions_rescinded: int = Field(description="of those, rescinded since")
    contract_amount: str = Field(description="yuan: contracts of the year still standing")
    royalties: str = Field(description="yuan: royalties reported for the year, standing contracts")
    verified_revenue_reports: int
    agencies_at_revenue_line: int = Field(description="agencies whose verified revenue of the year is 10M+ yuan")
    training_sessions: int
    training_attendance: int
    commissioners_registered: int
    commissioners_total: int = Field(description="registered by the end of the year")
    investments: int
    investment_amount: str = Field(description="yuan")
    milestones: int
