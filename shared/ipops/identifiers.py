"""Identifiers real Chinese IP data uses, validated at the edge.

- Unified social credit codes (GB 32100-2015) through python-stdnum's `stdnum.cn.uscc`.
- Patent application numbers: 12 digits + check (since 2003, type in the 5th digit) or 8 digits +
  check (before 2003, type in the 3rd digit); check = sum(digit * weight) mod 11 with weights
  2..9 repeating, 10 written `X`. A `ZL`/`CN` prefix and the dot are accepted and normalised away.
- Trademark registration numbers: digits.
"""

from __future__ import annotations

import re
from enum import StrEnum

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError


class PatentType(StrEnum):
    """The kind of right a Chinese application number encodes."""

    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"
    PCT_INVENTION = "pct_invention"
    PCT_UTILITY_MODEL = "pct_utility_model"


_TYPE_DIGIT = {
    "1": PatentType.INVENTION,
    "2": PatentType.UTILITY_MODEL,
    "3": PatentType.DESIGN,
    "8": PatentType.PCT_INVENTION,
    "9": PatentType.PCT_UTILITY_MODEL,
}

_PATENT_RE = re.compile(r"^(?:ZL|CN)?\s*(\d{8}|\d{12})\.?([0-9X])$")
_TRADEMARK_RE = re.compile(r"^\d{1,10}$")


def patent_check_digit(body: str) -> str:
    """The check character of an 8- or 12-digit application number body."""
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(body))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def normalize_patent_number(value: str) -> str:
    """`ZL202010123456.2` -> `202010123456.2`; raises ValueError when the number is not valid."""
    compact = value.strip().upper().replace(" ", "")
    match = _PATENT_RE.match(compact)
    if not match:
        raise ValueError("a Chinese patent application number is 8 or 12 digits, a dot and a check digit")
    body, check = match.groups()
    expected = patent_check_digit(body)
    if check != expected:
        raise ValueError(f"check digit is {check}, expected {expected}")
    if patent_type(body) is None:
        raise ValueError("the type digit is not 1, 2, 3, 8 or 9")
    return f"{body}.{check}"


def patent_type(number: str) -> PatentType | None:
    """The type a (normalised or bare) application number encodes, None when unknown."""
    body = number.split(".")[0]
    digit = body[4] if len(body) == 12 else body[2] if len(body) == 8 else ""
    return _TYPE_DIGIT.get(digit)


def patent_filing_year(number: str) -> int:
    """The filing year an application number encodes (2-digit years before 2003)."""
    body = number.split(".")[0]
    if len(body) == 12:
        return int(body[:4])
    yy = int(body[:2])
    return 1900 + yy if yy >= 85 else 2000 + yy


def is_valid_patent_number(value: str) -> bool:
    """True when `value` is a valid application number."""
    try:
        normalize_patent_number(value)
    except ValueError:
        return False
    return True


def make_patent_number(year: int, type_digit: str, serial: int) -> str:
    """A valid 12-digit application number, for fixtures and generated data."""
    body = f"{year:04d}{type_digit}{serial:07d}"
    return f"{body}.{patent_check_digit(body)}"


def normalize_uscc(value: str) -> str:
    """A validated unified social credit code, upper-case; ValueError otherwise."""
    try:
        return str(uscc.validate(value.strip()))
    except StdnumError as exc:
        raise ValueError(f"not a valid unified social credit code: {exc}") from exc


def normalize_trademark_number(value: str) -> str:
    """A trademark registration number: digits only."""
    compact = value.strip()
    if not _TRADEMARK_RE.match(compact):
        raise ValueError("a trademark registration number is 1 to 10 digits")
    return compact
