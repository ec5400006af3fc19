# ruff: noqa: RUF001  (full-width punctuation is right in the template's Chinese text)
"""The XLSX template agencies fill in for a bulk upload of work logs, built by the template builder
every service shares (`ipops.workbooks.template_xlsx`) from the work-log columns. Reading an
uploaded workbook and the error report of a refused one are every service's too."""

from __future__ import annotations

from ipops import workbooks
from ipops.workbooks import Check, TemplateColumn
from trusteeship.enums import ServiceType
from trusteeship.worklogs.columns import COLUMNS, SERVICE_TYPE_NAMES

_FORMATS = {"date": "yyyy-mm-dd", "decimal": "0.00", "text": "@", "list": "@", "enum": "@"}
_CHECKS = {
    "enum": Check(
        "list",
        "请从下拉列表中选择服务类型",
        choices=tuple(t.value for t in ServiceType),
        prompt="从下拉列表选择；各值的含义见“填写说明”",
    ),
    "date": Check("date", "请填写日期", bounds=("DATE(2000,1,1)", "DATE(2100,12,31)")),
    "decimal": Check("decimal", "工时为 0 至 1000 的数", bounds=("0", "1000")),
}
_LINES = (
    "第一个工作表的第一行是表头（中文列名或英文字段名均可），从第二行起每行一条工作记录。",
    "整份文件要么全部导入，要么全部不导入：任何一行不合格，都不保存，并按行号（即 Excel 左侧的行号）列出问题。",
    "出错时可请求 XLSX 格式的错误报告：原样保留各行，末尾两列为原行号与错误；改正后可直接重新上传该报告。",
)


def _columns() -> tuple[TemplateColumn, ...]:
    return tuple(
        TemplateColumn(c.field, c.label, c.required, c.note, c.example, c.width, _FORMATS[c.kind], _CHECKS.get(c.kind))
        for c in COLUMNS
    )


def template_xlsx() -> bytes:
    """The template: the first sheet has the Chinese headers (each with a comment opening with the
    English field name), a text, date or number format per column, drop-down and range checks;
    the second sheet explains each column and each service type. No example row to delete."""
    legend = {("服务类型取值", "含义"): {value.value: name for value, name in SERVICE_TYPE_NAMES.items()}}
    return workbooks.template_xlsx("工作记录", _columns(), legends=legend, lines=_LINES)
