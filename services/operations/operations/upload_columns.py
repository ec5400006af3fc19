# ruff: noqa: RUF001  (full-width punctuation is right in the templates' Chinese text)
"""The columns of the two bulk uploads (transactions, overseas marks), once: the template to
download is built from them, and the upload reads a header by the same Chinese labels (or the
English field names), so whatever the template gives, the upload takes.

Enumerations are written as their English values (what the API takes); the template offers them
in a drop-down and its instructions sheet gives each value's Chinese meaning.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response

from ipops.uploads import XLSX_MEDIA_TYPE
from ipops.workbooks import Check, TemplateColumn, template_csv, template_xlsx
from operations.enums import DesignationStatus, PaymentForm, RightKind, TransactionKind

_DATE = Check("date", "请填写日期", bounds=("DATE(2000,1,1)", "DATE(2100,12,31)"))
_AMOUNT = Check("decimal", "金额为不小于 0 的数，单位元，最多两位小数", bounds=("0", "1000000000000"))


def _choose(values: type[TransactionKind] | type[RightKind] | type[PaymentForm], what: str) -> Check:
    return Check(
        "list", f"请从下拉列表中选择{what}", choices=tuple(v.value for v in values), prompt="各值的含义见“填写说明”"
    )


def _date(field: str, label: str, required: bool, note: str) -> TemplateColumn:
    return TemplateColumn(field, label, required, note, "2025-03-04", 12, "yyyy-mm-dd", _DATE)


TRANSACTION_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("kind", "合同类型", True, "转让或许可的类别，从下拉列表选择", "ordinary_licence", 18,
                   check=_choose(TransactionKind, "合同类型")),
    TemplateColumn("right_kind", "权利类型", True, "专利或商标（一份合同只含一类）", "patent", 12,
                   check=_choose(RightKind, "权利类型")),
    TemplateColumn("right_numbers", "专利号/商标号", True, "多个用分号 ; 分隔", "202010123456.2;12345678", 28),
    TemplateColumn("transferor_credit_code", "让与人/许可人信用代码", True, "18 位统一社会信用代码",
                   "91110108MA01A2B3C4", 22),
    TemplateColumn("transferor_name", "让与人/许可人", True, "1 至 200 字", "北京某某科技有限公司", 24),
    TemplateColumn("transferee_credit_code", "受让人/被许可人信用代码", True, "18 位统一社会信用代码",
                   "91120110MA05J1K2Q2", 22),
    TemplateColumn("transferee_name", "受让人/被许可人", True, "1 至 200 字", "天津某某制造有限公司", 24),
    TemplateColumn("territory", "地域范围", False, "不填为 CN", "CN", 10),
    _date("start_date", "起始日", True, "合同生效日"),
    _date("end_date", "终止日", False, "许可期限届满日（转让不填）"),
    TemplateColumn("amount", "金额", True, "合同金额，单位元，最多两位小数", "100000.00", 14, "0.00", _AMOUNT),
    TemplateColumn("payment_form", "支付方式", True, "从下拉列表选择", "lump_sum", 16,
                   check=_choose(PaymentForm, "支付方式")),
    _date("contracted_on", "签订日期", True, "合同签订日（北京时间），金额计入该年"),
    TemplateColumn("recordal_number", "备案号", False, "国家知识产权局备案号", "", 18),
    _date("recordal_date", "备案日期", False, "备案日"),
    TemplateColumn("agency_id", "运营机构", False, "居间的运营机构编号（机构上传时为本机构）", "", 16),
    TemplateColumn("navigation_project_id", "导航项目", False, "相关的专利导航项目编号", "", 16),
    TemplateColumn("pool_id", "专利池", False, "许可出自的专利池编号", "", 14),
)  # fmt: skip

MARK_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("ir_number", "国际注册号", True, "WIPO 国际注册号，1 至 10 位数字", "1234567", 12),
    TemplateColumn("basic_mark_number", "基础商标注册号", True, "国内基础商标的注册号", "12345678", 16),
    TemplateColumn("mark", "商标", True, "商标名称，1 至 200 字", "东力", 16),
    TemplateColumn("owner_credit_code", "注册人信用代码", True, "18 位统一社会信用代码", "91120110MA05J1K2Q2", 22),
    TemplateColumn("owner_name", "注册人", True, "1 至 200 字", "天津某某制造有限公司", 24),
    TemplateColumn("nice_classes", "尼斯分类", True, "1 至 45，多个用分号 ; 分隔", "7;9", 12),
    _date("ir_date", "国际注册日", True, "国际注册日期"),
    TemplateColumn("designations", "指定国家", True,
                   "ISO 3166-1 两位代码（或 EM、BX、OA，不含 CN），多个用分号 ; 分隔，可带状态：US:protected",
                   "US:protected;JP;EM:pending", 30),
)  # fmt: skip

# Chinese header -> field, for reading an upload's header (the English field names are read too).
COLUMN_ALIASES: dict[str, str] = {c.label: c.field for c in (*TRANSACTION_COLUMNS, *MARK_COLUMNS)}

# An instructions sheet's tables of values: (title, header) -> {value: its Chinese meaning}.
Legends = dict[tuple[str, str], dict[str, str]]
_TRANSACTION_LEGENDS: Legends = {
    ("合同类型取值", "含义"): {
        TransactionKind.ASSIGNMENT: "转让", TransactionKind.EXCLUSIVE_LICENCE: "独占许可",
        TransactionKind.SOLE_LICENCE: "排他许可", TransactionKind.ORDINARY_LICENCE: "普通许可",
        TransactionKind.SUB_LICENCE: "分许可",
    },
    ("权利类型取值", "含义"): {RightKind.PATENT: "专利", RightKind.TRADEMARK: "商标"},
    ("支付方式取值", "含义"): {
        PaymentForm.LUMP_SUM: "一次总付", PaymentForm.INSTALMENTS: "分期支付", PaymentForm.RUNNING_ROYALTY: "提成支付",
    },
}  # fmt: skip
_MARK_LEGENDS: Legends = {
    ("指定国家状态取值", "含义"): {
        DesignationStatus.PENDING: "审查中（不写状态时）", DesignationStatus.PROTECTED: "已获保护",
        DesignationStatus.REFUSED: "被驳回", DesignationStatus.LAPSED: "已失效",
    },
    ("指定国家代码（举例）", "含义"): {
        "US": "美国", "JP": "日本", "KR": "韩国", "EM": "欧盟", "BX": "比荷卢", "OA": "非洲知识产权组织",
    },
}  # fmt: skip
_LINES = (
    "第一个工作表的第一行是表头（中文列名或英文字段名均可），从第二行起每行一条记录。",
    "整份文件要么全部导入，要么全部不导入：任何一行不合格，都不保存，并按行号（即 Excel 左侧的行号）列出问题。",
    "出错时可请求 XLSX 格式的错误报告：原样保留各行，末尾两列为原行号与错误；改正后可直接重新上传该报告。",
)
_TEMPLATES: dict[str, tuple[str, tuple[TemplateColumn, ...], Legends, str]] = {
    "transaction": ("交易登记", TRANSACTION_COLUMNS, _TRANSACTION_LEGENDS, "交易批量导入模板"),
    "trademark": ("海外商标", MARK_COLUMNS, _MARK_LEGENDS, "海外商标批量导入模板"),
}


def template(what: str, fmt: str) -> Response:
    """The template of the `what` upload (`transaction` or `trademark`) as an attachment: XLSX with
    drop-downs and instructions, or its header as one CSV line."""
    title, columns, legends, name = _TEMPLATES[what]
    ascii_name = f"{what}-upload-template.{fmt}"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(f'{name}.{fmt}')}"
    headers = {"Content-Disposition": disposition}
    if fmt == "csv":
        return Response(template_csv(columns), media_type="text/csv; charset=utf-8", headers=headers)
    legend_text = {title: {str(k): v for k, v in meanings.items()} for title, meanings in legends.items()}
    content = template_xlsx(title, columns, legends=legend_text, lines=_LINES)
    return Response(content, media_type=XLSX_MEDIA_TYPE, headers=headers)
