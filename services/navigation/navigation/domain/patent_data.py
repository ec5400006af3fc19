# ruff: noqa: RUF001  (full-width forms are the data: Chinese headers and punctuation)
"""How raw patent bibliographic data is read: column names, applicant-name variants and patent
type (legal status has its own vocabulary: `domain.legal_status`). These are the rules the
landscape analysis applies (in SQL, over the whole data set); they live here as plain data so they
are reviewed in one place.

Guarantees: two spellings of one applicant that differ only in character width, letter case,
punctuation, spacing or a legal-form suffix (有限公司, 股份有限公司, Co., Ltd., Inc., ...) merge
into one key; anything else stays apart (we never guess that two different names are one firm).
Letters and digits of every script are kept (삼성, トヨタ), never only the Chinese ones.
"""

from __future__ import annotations

# Canonical column names of an uploaded data set, and the header spellings commercial databases
# (incoPat, PatSnap, CNIPA's own export) use for them.
COLUMNS: tuple[str, ...] = (
    "publication_number",
    "application_number",
    "title",
    "abstract",
    "applicants",
    "inventors",
    "application_date",
    "publication_date",
    "ipc",
    "legal_status",
    "region",
    "pct",
    "family_id",
    "address",
)
# Title and abstract are recognised but not analysed (they are kept in the snapshot file only).
ANALYSED_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in ("title", "abstract"))
REQUIRED_COLUMNS: tuple[str, ...] = ("application_number", "applicants")
LIST_COLUMNS = frozenset({"applicants", "inventors", "ipc"})

COLUMN_ALIASES: dict[str, str] = {
    "公开号": "publication_number",
    "公开（公告）号": "publication_number",
    "公开(公告)号": "publication_number",
    "申请号": "application_number",
    "标题": "title",
    "名称": "title",
    "摘要": "abstract",
    "申请人": "applicants",
    "申请(专利权)人": "applicants",
    "申请（专利权）人": "applicants",
    "发明人": "inventors",
    "申请日": "application_date",
    "公开日": "publication_date",
    "公开（公告）日": "publication_date",
    "公开(公告)日": "publication_date",
    "ipc分类号": "ipc",
    "ipc_codes": "ipc",
    "法律状态": "legal_status",
    "省市": "region",
    "国家/省市": "region",
    "country": "region",
    "province": "region",
    "pct_flag": "pct",
    "同族号": "family_id",
    "地址": "address",
    "applicant_address": "address",
}

# Legal-form suffixes stripped from the end of an applicant name (longest first, repeatedly).
CN_SUFFIXES: tuple[str, ...] = ("股份有限公司", "有限责任公司", "有限公司", "公司")
# English legal forms, stripped only as whole words at the end ("TESCO" keeps its "CO").
EN_SUFFIX_WORDS: tuple[str, ...] = (
    "CO",
    "LTD",
    "LIMITED",
    "CORP",
    "CORPORATION",
    "INC",
    "INCORPORATED",
    "COMPANY",
    "GMBH",
    "AG",
    "LLC",
    "PLC",
    "SA",
    "KK",
)

# Full-width forms (U+FF01..U+FF5E) and the ideographic space fold to their ASCII counterparts.
FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
HALF_WIDTH = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " "

# The type digit of a Chinese application number (5th of 12, 3rd of 8).
PATENT_TYPES: dict[str, str] = {
    "1": "invention",
    "2": "utility_model",
    "3": "design",
    "8": "pct_invention",
    "9": "pct_utility_model",
}

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t", "是", "pct"})

# "Fastest-growing": the last three application years against the three before, and a subclass
# needs this many filings in the earlier window to be ranked (from 1 to 5 is noise, not growth).
GROWTH_WINDOW_YEARS = 3
GROWTH_MIN_BASE = 3


def canonical_column(name: str) -> str | None:
    """The canonical column a header names, or None when it is not one we read."""
    cleaned = name.strip().lstrip("\ufeff")
    lowered = cleaned.lower()
    if lowered in COLUMNS:
        return lowered
    return COLUMN_ALIASES.get(cleaned) or COLUMN_ALIASES.get(lowered)
