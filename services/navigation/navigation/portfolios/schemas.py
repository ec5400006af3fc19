"""The HTTP contract of portfolios and the presenter that turns a portfolio row into it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from ipops.fields import CreditCode, PatentNumber
from navigation.common import BusinessDate, Name200, Text300
from navigation.domain import portfolio as rules
from navigation.enums import PortfolioPatentStatus
from navigation.models import Portfolio
from navigation.models import PortfolioPatent as PortfolioPatentRow


class PortfolioPatent(BaseModel):
    """One patent of a portfolio."""

    application_number: PatentNumber
    legal_status: PortfolioPatentStatus = Field(
        description="in_force (granted and in force), pending, rejected, withdrawn or lapsed: only in-force "
        "inventions count toward the 50"
    )
    pct: StrictBool = Field(default=False, description="filed (also) as a PCT international application")
    pct_application_number: str | None = Field(
        default=None, pattern=r"^PCT/[A-Z]{2}[0-9]{4}/[0-9]{6}$", description="e.g. PCT/CN2021/123456"
    )

    @model_validator(mode="after")
    def _pct_number_implies_pct(self) -> PortfolioPatent:
        if self.pct_application_number is not None:
            self.pct = True
        return self


Patents = Annotated[list[PortfolioPatent], Field(max_length=20_000)]


class PortfolioCreate(BaseModel):
    """Register an enterprise's patent portfolio (checked at once against the 50/10 definition:
    granted, in-force inventions and PCT applications filed, none counted by an earlier-qualified
    portfolio)."""

    credit_code: CreditCode
    enterprise_name: Name200
    name: Text300
    project_id: str | None = Field(default=None, max_length=36, description="the navigation project behind it")
    patents: Patents = Field(default_factory=list)
    effective_on: BusinessDate | None = Field(
        default=None,
        description="the date (Beijing) this list took effect, when history is entered late: a portfolio "
        "that starts or stops qualifying through it does so from this date. Default today",
    )


class PortfolioPatentsReplace(BaseModel):
    """The portfolio's whole patent list (replaces the previous one)."""

    patents: Patents
    effective_on: BusinessDate | None = Field(
        default=None,
        description="the date (Beijing) this list took effect, when history is entered late: a portfolio "
        "that starts or stops qualifying through it does so from this date. Default today",
    )


class PortfolioWithdrawal(BaseModel):
    """Withdraw a portfolio (its registrant or the district office): it stops counting."""

    reason: str = Field(min_length=1, max_length=500)
    withdrawn_on: BusinessDate | None = Field(
        default=None, description="the date (Beijing) it was withdrawn, when entered late. Default today"
    )


class PortfolioPublic(BaseModel):
    """A portfolio and how it measures against the plan's definition: what counted, and what it
    listed that did not."""

    id: str
    credit_code: str
    enterprise_name: str
    name: str
    project_id: str | None
    owner_org_id: str | None
    patent_count: int
    invention_count: int = Field(
        description="granted, in-force inventions (type 1 or 8) not counted toward an earlier-qualified portfolio"
    )
    pct_count: int = Field(
        description="PCT applications filed (any status) not counted toward an earlier-qualified portfolio"
    )
    qualified: bool
    inventions_short: int = Field(description="invention patents still missing to reach 50")
    pct_short: int = Field(description="PCT applications still missing to reach 10")
    inventions_listed: int = Field(description="inventions listed, of any status")
    inventions_not_in_force: int = Field(
        description="listed inventions not counted: pending, rejected, withdrawn, lapsed or no status recorded"
    )
    inventions_counted_elsewhere: int = Field(
        description="in-force inventions already counted toward an earlier-qualified portfolio"
    )
    pct_counted_elsewhere: int = Field(
        description="PCT applications already counted toward an earlier-qualified portfolio"
    )
    counted_elsewhere_in: list[str] = Field(description="the earlier-qualified portfolios that count them")
    counting_rule: str = Field(description="what counts, in one sentence")
    first_qualified_at: datetime | None
    patent_list_key: str | None = Field(
        description="the key its patent list counts under: portfolios holding one list count once"
    )
    qualified_on: date | None = Field(description="start (Beijing date) of its latest qualification")
    disqualified_on: date | None = Field(description="when its latest qualification ended (null: it goes on)")
    withdrawn_on: date | None
    withdrawal_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class PortfolioPage(BaseModel):
    """A page of portfolios."""

    items: list[PortfolioPublic]
    total: int


class PortfolioPatentPublic(BaseModel):
    """One patent of a portfolio as it was counted."""

    model_config = ConfigDict(from_attributes=True)

    application_number: str
    patent_type: str = Field(description="from the type digit: invention, utility_model, design, pct_*")
    legal_status: PortfolioPatentStatus | None = Field(
        description="as registered; null when registered before it was recorded"
    )
    pct: bool
    pct_application_number: str | None


class PortfolioPatentList(BaseModel):
    """The patents of a portfolio."""

    items: list[PortfolioPatentPublic]


def portfolio_public(portfolio: Portfolio) -> PortfolioPublic:
    """A portfolio with what it still lacks."""
    assessment = rules.Assessment(portfolio.patent_count, portfolio.invention_count, portfolio.pct_count)
    not_counted = {
        "inventions_listed": portfolio.inventions_listed,
        "inventions_not_in_force": portfolio.inventions_not_in_force,
        "inventions_counted_elsewhere": portfolio.inventions_counted_elsewhere,
        "pct_counted_elsewhere": portfolio.pct_counted_elsewhere,
        "counted_elsewhere_in": list(portfolio.counted_elsewhere_in),
    }
    return PortfolioPublic(
        id=portfolio.id,
        credit_code=portfolio.credit_code,
        enterprise_name=portfolio.enterprise_name,
        name=portfolio.name,
        project_id=portfolio.project_id,
        owner_org_id=portfolio.owner_org_id,
        patent_count=portfolio.patent_count,
        invention_count=portfolio.invention_count,
        pct_count=portfolio.pct_count,
        qualified=portfolio.qualified,
        inventions_short=assessment.inventions_short,
        pct_short=assessment.pct_short,
        **not_counted,
        counting_rule=rules.COUNTING_RULE,
        first_qualified_at=portfolio.first_qualified_at,
        patent_list_key=portfolio.patent_list_key,
        qualified_on=portfolio.qualified_on,
        disqualified_on=portfolio.disqualified_on,
        withdrawn_on=portfolio.withdrawn_on,
        withdrawal_reason=portfolio.withdrawal_reason,
        version=portfolio.version,
        created_at=portfolio.created_at,
        updated_at=portfolio.updated_at,
    )


def portfolio_patent_public(row: PortfolioPatentRow) -> PortfolioPatentPublic:
    """One patent of a portfolio as it was counted."""
    return PortfolioPatentPublic.model_validate(row)
