"""The annual performance evaluation as an XLSX workbook (openpyxl).

Sheet 1, the indicators: goal, indicator, unit, source service, the base year's value and each
year's value up to the report's year, the average growth, the target and the evaluation. Then one
sheet per indicator (named by its id, which fits Excel's 31 characters) listing the records that
make up its value of the report's year. Values are written as numbers (Decimal: openpyxl stores
them exactly as written), "no data yet" as text.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from gateway.publication.labels import OWNERS, UNITS, Lang, status, target, text, title
from gateway.publication.report import AnnualReport, ReportLine

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMAT = {"yuan": "#,##0.00", "count": "#,##0", "points": "0.0"}


def workbook_bytes(report: AnnualReport, lang: Lang) -> bytes:
    """The workbook of `report` in `lang`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = text(lang, "indicators")
    _summary(sheet, report, lang)
    for line in report.lines:
        _records(book.create_sheet(line.series.indicator), line, report, lang)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def header(report: AnnualReport, lang: Lang) -> list[str]:
    """The summary sheet's column titles (the HTML page uses the same)."""
    years = [text(lang, "base", year=report.base_year)]
    years += [text(lang, "value_of_year", year=y) for y in report.years[1:]]
    if report.year == report.current_year:
        years[-1] += f" ({text(lang, 'ytd')})"
    return [
        text(lang, "goal"), text(lang, "indicator"), text(lang, "unit"), text(lang, "owner"), *years,
        text(lang, "growth"), text(lang, "target"), text(lang, "status"),
    ]  # fmt: skip


def _summary(sheet: Worksheet, report: AnnualReport, lang: Lang) -> None:
    sheet.append([text(lang, "report_title", year=report.year)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([text(lang, "note")])
    sheet.append(header(report, lang))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for line in report.lines:
        s = line.series
        values: list[object] = [v.value if s.has_source else text(lang, "no_data") for v in s.series]
        growth = s.judgement.average_growth_pct
        sheet.append([
            s.goal, title(s, lang), UNITS[lang][s.unit], OWNERS[lang][s.owner], *values,
            growth if growth is not None else None, target(s, lang), status(s.judgement.status, lang),
        ])  # fmt: skip
        for cell in sheet[sheet.max_row][4 : 4 + len(values)]:
            cell.number_format = NUMBER_FORMAT[s.unit]
    sheet.column_dimensions["B"].width = 60
    sheet.freeze_panes = "C4"


def _records(sheet: Worksheet, line: ReportLine, report: AnnualReport, lang: Lang) -> None:
    sheet.append([title(line.series, lang)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([text(lang, "subjects", year=report.year)])
    sheet.append([text(lang, "subject")])
    if not line.series.has_source:
        sheet.append([text(lang, "no_data")])
    elif not line.subjects:
        sheet.append([text(lang, "no_records")])
    for subject in line.subjects:
        sheet.append([subject])
    sheet.column_dimensions["A"].width = 48
