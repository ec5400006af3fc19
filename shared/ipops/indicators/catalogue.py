"""The plan's indicators (Dongli plan, goals 一-六 and task 1), as data shared by services and gateway.

This module says WHAT is measured and which target it is judged against; it does not say what
counts. The counting rule of each indicator lives once, in the `domain/indicators.py` of its
`owner` service, with the rule written in words beside the code. Services announce contributions
(`ipops.indicators.ledger.contribute`); the gateway and the service add them up with the same
arithmetic (`ipops.indicators.figures`).

Measures - how a year's value is formed from contributions (each has a quantity, a start date and,
for stocks, maybe an end date; all Beijing dates):
- flow:  the sum of the quantities whose start falls in the year (loans disbursed in 2021);
- stock: the sum of the quantities counting on 31 December of the year: started on or before it and
         not ended by it (SMEs covered at the end of 2021). Cumulative targets are stocks;
- level: the mean of the quantities dated in the year (a yearly survey score); a year without one
         has no value.
"""

# ruff: noqa: RUF001  (full-width parentheses are the right punctuation in Chinese text)
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Measure = Literal["flow", "stock", "level"]
Unit = Literal["count", "yuan", "points"]
TargetKind = Literal["cumulative", "growth", "per_year"]

# The quantity of a contribution is an integer in the unit's base: fen, tenths of a point, items.
SCALE: dict[Unit, int] = {"count": 1, "yuan": 100, "points": 10}
PLACES: dict[Unit, int] = {"count": 0, "yuan": 2, "points": 1}


@dataclass(frozen=True)
class Indicator:
    """One indicator of the plan and the target it is judged against."""

    id: str
    owner: str  # the service that holds the facts and defines what counts
    goal: int | None  # 主要目标 (一)-(六), None for one set by a task only
    task: int | None  # 主要任务 number, where the plan sets it in a task
    title_zh: str
    title_en: str
    measure: Measure
    unit: Unit
    target: TargetKind
    target_value: Decimal | None = None  # cumulative / per_year: the level to reach
    growth_pct: Decimal | None = None  # growth: compound average % a year from the base year

    def value_of(self, quantity: int | Decimal) -> Decimal:
        """A base-unit quantity as the indicator's value (fen -> yuan with two places)."""
        return (Decimal(quantity) / SCALE[self.unit]).quantize(Decimal(1).scaleb(-PLACES[self.unit]))


def _i(*args: object, **kwargs: object) -> Indicator:
    return Indicator(*args, **kwargs)  # type: ignore[arg-type]


D = Decimal
CATALOGUE: tuple[Indicator, ...] = (
    # (一) professional operation agencies
    _i("operation_agencies", "operations", 1, 1, "年营收千万元以上的专业知识产权运营机构",
       "Professional IP operation agencies with 10M+ yuan yearly revenue", "stock", "count", "cumulative", D(5)),
    # task 1: alliances and patent pools
    _i("alliances", "operations", None, 1, "重点产业知识产权联盟", "Industry IP alliances",
       "stock", "count", "cumulative", D(5)),
    _i("patent_pools", "operations", None, 1, "产业专利池", "Industry patent pools",
       "stock", "count", "cumulative", D(5)),
    # (二) navigation
    _i("navigation_industry_planning", "navigation", 2, 2, "产业规划类专利导航项目",
       "Industry-planning patent navigation projects", "stock", "count", "cumulative", D(15)),
    _i("navigation_enterprise_operation", "navigation", 2, 2, "企业运营类专利导航项目",
       "Enterprise-operation patent navigation projects", "stock", "count", "cumulative", D(45)),
    # (三) portfolios and overseas marks
    _i("high_value_portfolios", "navigation", 3, 3, "高价值专利组合（各含50件以上发明专利、10件以上PCT申请）",
       "High-value patent portfolios (each 50+ invention patents, 10+ PCT applications)",
       "stock", "count", "cumulative", D(20)),
    _i("overseas_trademarks", "operations", 3, 4, "海外注册商标", "Overseas trademark registrations",
       "stock", "count", "cumulative", D(5)),
    # (四) management standard, trusteeship, valid patents
    _i("certified_organisations", "trusteeship", 4, 5, "通过知识产权管理规范国家标准（GB/T 29490）认证的单位",
       "Organisations certified to GB/T 29490 (IP management standard)", "stock", "count", "cumulative", D(300)),
    _i("trusteeship_smes", "trusteeship", 4, 6, "知识产权托管服务累计覆盖中小微企业",
       "Small and micro enterprises covered by IP trusteeship", "stock", "count", "cumulative", D(1000)),
    _i("enterprises_with_valid_patents", "trusteeship", 4, 6, "拥有有效专利企业数量",
       "Enterprises holding a valid patent", "stock", "count", "growth", growth_pct=D(15)),
    # (五) finance and transactions
    _i("pledge_amount", "pledge", 5, 8, "专利、商标质押融资金额", "IP pledge financing amount",
       "flow", "yuan", "growth", growth_pct=D(30)),
    _i("insurance_amount", "pledge", 5, 8, "知识产权保险金额", "IP insurance amount",
       "flow", "yuan", "growth", growth_pct=D(30)),
    _i("pledge_count", "pledge", 5, 8, "质押次数", "Number of IP pledges",
       "flow", "count", "growth", growth_pct=D(30)),
    _i("mixed_pledges", "pledge", 5, 8, "专利、商标混合质押", "Mixed patent-trademark pledges",
       "stock", "count", "cumulative", D(10)),
    _i("transactions_licensing", "operations", 5, 1, "知识产权交易、许可额", "IP transaction and licensing amount",
       "flow", "yuan", "growth", growth_pct=D(20)),
    # (六) protection
    _i("enforcement_cases", "enforcement", 6, None, "专利、商标行政执法办案量",
       "Administrative patent and trademark enforcement cases", "flow", "count", "growth", growth_pct=D(20)),
    _i("enterprises_protected", "enforcement", 6, None, "每年获得维权服务的企业",
       "Enterprises receiving rights-protection services a year", "flow", "count", "per_year", D(100)),
    _i("satisfaction", "enforcement", 6, None, "知识产权保护工作社会满意度（分）",
       "Public satisfaction with IP protection (survey, points of 100)", "level", "points", "per_year", D(80)),
)  # fmt: skip

BY_ID: dict[str, Indicator] = {i.id: i for i in CATALOGUE}


def owned_by(service: str) -> tuple[Indicator, ...]:
    """The indicators whose facts `service` holds."""
    return tuple(i for i in CATALOGUE if i.owner == service)


def indicator(indicator_id: str) -> Indicator:
    """The catalogue entry (KeyError for an unknown id: a typo is a bug, not a new indicator)."""
    return BY_ID[indicator_id]
