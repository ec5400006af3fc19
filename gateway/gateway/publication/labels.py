"""The words of the charts and the annual report, in Chinese and English, and how a value is
written (money with two decimals and a thousands separator, never through a float)."""

# ruff: noqa: RUF001  (full-width punctuation is right in Chinese text)
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ipops.indicators.statistics import IndicatorSeries

Lang = Literal["zh", "en"]

TEXT: dict[Lang, dict[str, str]] = {
    "zh": {
        "report_title": "东丽区知识产权运营服务体系建设 {year} 年度绩效评价",
        "indicators": "指标",
        "indicator": "指标",
        "goal": "目标序号",
        "owner": "数据来源",
        "unit": "单位",
        "base": "基准年（{year}）",
        "growth": "年均增幅（%）",
        "target": "目标",
        "status": "评价",
        "subjects": "计入 {year} 年数值的记录",
        "subject": "记录",
        "no_records": "无记录",
        "value_of_year": "{year} 年数值",
        "generated": "生成时间",
        "ytd": "年初至今",
        "no_data": "暂无数据",
        "target_line": "目标",
        "note": "年均增幅按基准年至评价年的复合年均增长率计算；当年为年初至今，不作评价。",
        "milestones": "目标（七）至（九）里程碑",
        "achieved_on": "达成日期",
        "evidence": "佐证",
    },
    "en": {
        "report_title": "Dongli district IP operations service system: performance evaluation {year}",
        "indicators": "Indicators",
        "indicator": "Indicator",
        "goal": "Goal",
        "owner": "Source",
        "unit": "Unit",
        "base": "Base year ({year})",
        "growth": "Average growth (%/year)",
        "target": "Target",
        "status": "Evaluation",
        "subjects": "Records counted in {year}",
        "subject": "Record",
        "no_records": "No records",
        "value_of_year": "Value {year}",
        "generated": "Generated",
        "ytd": "year to date",
        "no_data": "No data yet",
        "target_line": "Target",
        "note": "Average growth is the compound average annual growth from the base year to the judged year; "
        "the current year is year to date and not judged.",
        "milestones": "Goals 7-9: milestones",
        "achieved_on": "Reached on",
        "evidence": "Evidence",
    },
}

STATUS: dict[Lang, dict[str, str]] = {
    "zh": {"met": "已达成", "not_met": "未达成", "year_to_date": "年初至今", "no_base": "无基数",
           "no_data": "暂无数据"},
    "en": {"met": "met", "not_met": "not met", "year_to_date": "year to date", "no_base": "no base",
           "no_data": "no data yet"},
}  # fmt: skip

UNITS: dict[Lang, dict[str, str]] = {
    "zh": {"count": "个", "yuan": "元", "points": "分"},
    "en": {"count": "count", "yuan": "yuan", "points": "points"},
}

OWNERS: dict[Lang, dict[str, str]] = {
    "zh": {"pledge": "质押融资", "trusteeship": "知识产权托管", "navigation": "专利导航", "enforcement": "维权执法",
           "operations": "知识产权运营"},
    "en": {"pledge": "pledge", "trusteeship": "trusteeship", "navigation": "navigation", "enforcement": "enforcement",
           "operations": "operations"},
}  # fmt: skip


def text(lang: Lang, key: str, **values: object) -> str:
    """A phrase in `lang`, with its placeholders filled."""
    return TEXT[lang][key].format(**values)


def title(series: IndicatorSeries, lang: Lang) -> str:
    """The indicator's name in `lang`."""
    return series.title_zh if lang == "zh" else series.title_en


def number(value: Decimal | None, lang: Lang) -> str:
    """A value as printed: thousands separated, its own places (yuan two, points one, counts none)."""
    if value is None:
        return "—"
    return f"{value:,}"


def target(series: IndicatorSeries, lang: Lang) -> str:
    """What the plan asks of the indicator, in words."""
    if series.target == "growth":
        return f"+{series.growth_pct}% / 年" if lang == "zh" else f"+{series.growth_pct}% a year"
    if series.target == "per_year":
        return f"每年 ≥ {series.target_value}" if lang == "zh" else f"≥ {series.target_value} every year"
    return f"累计 ≥ {series.target_value}" if lang == "zh" else f"≥ {series.target_value} in all"


def status(code: str, lang: Lang) -> str:
    """A judgement's status in words."""
    return STATUS[lang][code]
