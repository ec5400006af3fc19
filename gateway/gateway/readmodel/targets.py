"""The plan's numeric targets (DOMAIN.md, "The plan's numeric targets (by 2022)"), as data.

Each target names the read-model figure (`source`) that measures it, or none when no service
records it yet: the public view then says "no data yet" rather than show an invented number.
"""

# ruff: noqa: RUF001  (full-width parentheses are the right punctuation in Chinese text)
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["cumulative", "growth", "per_year"]
Unit = Literal["count", "yuan", "points"]


@dataclass(frozen=True)
class Target:
    """One numeric target of the plan."""

    id: str
    plan_item: int
    title_zh: str
    title_en: str
    kind: Kind  # cumulative: a total to reach; growth: % a year; per_year: a level every year
    unit: Unit
    source: str | None  # the figure in the read model; None = no service records it yet
    target_value: int | None = None  # cumulative / per_year level
    growth_pct: int | None = None  # growth targets
    by_year: int = 2022


TARGETS: tuple[Target, ...] = (
    Target(
        id="operation_agencies",
        plan_item=1,
        title_zh="年营收千万元以上的专业知识产权运营机构",
        title_en="Professional IP operation agencies with 10M+ yuan yearly revenue",
        kind="cumulative",
        unit="count",
        source=None,
        target_value=5,
    ),
    Target(
        id="navigation_industry_planning",
        plan_item=2,
        title_zh="产业规划类专利导航项目",
        title_en="Industry-planning patent navigation projects",
        kind="cumulative",
        unit="count",
        source="projects_industry_planning",
        target_value=15,
    ),
    Target(
        id="navigation_enterprise_operation",
        plan_item=2,
        title_zh="企业运营类专利导航项目",
        title_en="Enterprise-operation patent navigation projects",
        kind="cumulative",
        unit="count",
        source="projects_enterprise_operation",
        target_value=45,
    ),
    Target(
        id="high_value_portfolios",
        plan_item=3,
        title_zh="高价值专利组合（各含50件以上发明专利、10件以上PCT申请）",
        title_en="High-value patent portfolios (each 50+ invention patents, 10+ PCT applications)",
        kind="cumulative",
        unit="count",
        source="high_value_portfolios",
        target_value=20,
    ),
    Target(
        id="overseas_trademarks",
        plan_item=3,
        title_zh="海外注册商标",
        title_en="Overseas trademark registrations",
        kind="cumulative",
        unit="count",
        source=None,
        target_value=5,
    ),
    Target(
        id="certified_organisations",
        plan_item=4,
        title_zh="通过知识产权管理规范（GB/T 29490）认证的单位",
        title_en="Organisations certified to GB/T 29490 (IP management standard)",
        kind="cumulative",
        unit="count",
        source=None,
        target_value=300,
    ),
    Target(
        id="trusteeship_smes",
        plan_item=4,
        title_zh="知识产权托管服务覆盖中小微企业",
        title_en="SMEs covered by IP trusteeship",
        kind="cumulative",
        unit="count",
        source="trusteeship_enterprises",
        target_value=1000,
    ),
    Target(
        id="enterprises_with_valid_patents",
        plan_item=4,
        title_zh="拥有有效专利的企业数量",
        title_en="Enterprises holding a valid patent",
        kind="growth",
        unit="count",
        source=None,
        growth_pct=15,
    ),
    Target(
        id="pledge_amount",
        plan_item=5,
        title_zh="知识产权质押融资金额",
        title_en="IP pledge financing amount",
        kind="growth",
        unit="yuan",
        source="pledge_amount",
        growth_pct=30,
    ),
    Target(
        id="insurance_amount",
        plan_item=5,
        title_zh="知识产权保险金额",
        title_en="IP insurance amount",
        kind="growth",
        unit="yuan",
        source=None,
        growth_pct=30,
    ),
    Target(
        id="pledge_count",
        plan_item=5,
        title_zh="知识产权质押融资笔数",
        title_en="Number of IP pledge loans",
        kind="growth",
        unit="count",
        source="pledge_count",
        growth_pct=30,
    ),
    Target(
        id="mixed_pledges",
        plan_item=5,
        title_zh="专利商标混合质押",
        title_en="Mixed patent-trademark pledges",
        kind="cumulative",
        unit="count",
        source="mixed_pledges",
        target_value=10,
    ),
    Target(
        id="transactions_licensing",
        plan_item=5,
        title_zh="知识产权交易许可金额",
        title_en="IP transaction and licensing amount",
        kind="growth",
        unit="yuan",
        source=None,
        growth_pct=20,
    ),
    Target(
        id="enforcement_cases",
        plan_item=6,
        title_zh="知识产权行政执法案件",
        title_en="Administrative IP enforcement cases",
        kind="growth",
        unit="count",
        source="enforcement_cases",
        growth_pct=20,
    ),
    Target(
        id="enterprises_protected",
        plan_item=6,
        title_zh="每年获得维权服务的企业",
        title_en="Enterprises receiving rights-protection services a year",
        kind="per_year",
        unit="count",
        source="enterprises_served",
        target_value=100,
    ),
    Target(
        id="satisfaction",
        plan_item=6,
        title_zh="知识产权保护社会满意度（分）",
        title_en="Public satisfaction with IP protection (points)",
        kind="per_year",
        unit="points",
        source="satisfaction",
        target_value=80,
    ),
)
