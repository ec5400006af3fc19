# ruff: noqa: RUF001  (full-width punctuation is right in the template's Chinese text)
"""The XLSX template agencies fill in for a bulk upload of work logs (openpyxl). Reading an
uploaded workbook and the error report of a refused one are every service's: `ipops.workbooks`."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from trusteeship.enums import ServiceType
from trusteeship.worklogs.columns import COLUMNS, SERVICE_TYPE_NAMES

_LAST_ROW = 1_048_576  # Excel's last row: validations and formats cover the whole column
_FORMATS = {"date": "yyyy-mm-dd", "decimal": "0.00", "text": "@", "list": "@", "enum": "@"}
_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FFF2CC")


def _saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validations(sheet: Worksheet) -> None:
    kinds = {c.kind: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    rules = {
        "enum": DataValidation(
            type="list",
            formula1='"' + ",".join(t.value for t in ServiceType) + '"',
            error="请从下拉列表中选择服务类型",
            prompt="从下拉列表选择；各值的含义见“填写说明”",
        ),
        "date": DataValidation(
            type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)", error="请填写日期"
        ),
        "decimal": DataValidation(
            type="decimal", operator="between", formula1="0", formula2="1000", error="工时为 0 至 1000 的数"
        ),
    }
    for kind, rule in rules.items():
        rule.allow_blank = True
        rule.showErrorMessage = True
        rule.add(f"{kinds[kind]}2:{kinds[kind]}{_LAST_ROW}")
        sheet.add_data_validation(rule)


def _instructions(book: openpyxl.Workbook) -> None:
    sheet = book.create_sheet("填写说明")
    sheet.append(["列名", "字段名", "必填", "说明", "示例"])
    for column in COLUMNS:
        sheet.append([column.label, column.field, "是" if column.required else "否", column.note, column.example])
    sheet.append([])
    sheet.append(["服务类型取值", "含义"])
    for value, name in SERVICE_TYPE_NAMES.items():
        sheet.append([value.value, name])
    sheet.append([])
    for line in (
        "第一个工作表的第一行是表头（中文列名或英文字段名均可），从第二行起每行一条工作记录。",
        "整份文件要么全部导入，要么全部不导入：任何一行不合格，都不保存，并按行号（即 Excel 左侧的行号）列出问题。",
        "出错时可请求 XLSX 格式的错误报告：原样保留各行，末尾两列为原行号与错误；改正后可直接重新上传该报告。",
    ):
        sheet.append([line])
    for row in (sheet[1], sheet[len(COLUMNS) + 3]):
        for cell in row:
            cell.font = _BOLD
    for letter, width in zip("ABCDE", (18, 20, 6, 50, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def template_xlsx() -> bytes:
    """The template: the first sheet has the Chinese headers (each with a comment opening with the
    English field name), a text, date or number format per column, drop-down and range checks;
    the second sheet explains each column and each service type. No example row to delete."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "工作记录"
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = _BOLD
        if column.required:
            cell.fill = _REQUIRED
        need = "必填" if column.required else "选填"
        cell.comment = Comment(f"{column.field}\n{need}：{column.note}", "ipops", width=240, height=90)
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        dimension.number_format = _FORMATS[column.kind]
    sheet.freeze_panes = "A2"
    _validations(sheet)
    _instructions(book)
    return _saved(book)
