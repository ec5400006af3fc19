"""Identifiers real Chinese IP data uses, validated at the edge.

- Unified social credit codes (GB 32100-2015): 18 characters from the code's alphabet (digits and
  capitals without I, O, S, V, Z); the 1st is the registration authority (9 market regulation,
  5 civil affairs, 1 establishment offices, Y other, N agriculture, ...), the 2nd the kind of
  organisation, 3rd-8th the administrative division (digits), 9th-17th the organisation code, the
  18th the check character (python-stdnum's `calc_check_digit`). stdnum's own format check wants
  digits in the first two places and refuses valid codes of authorities written with letters.
- Input as real exports write it: full-width digits, letters and dots (U+FF10-U+FF19, U+FF21-,
  U+FF0E) are folded to their ASCII forms (NFKC) before anything is checked.
- Patent application numbers: 12 digits + check (since 2003, type in the 5th digit) or 8 digits +
  check (before 2003, type in the 3rd digit); check = sum(digit * weight) mod 11 with weights
  2..9 repeating, 10 written `X`. A `ZL`/`CN` prefix and the dot are accepted and normalised away.
- Trademark registration numbers: digits.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from stdnum.cn import uscc


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


def fold_width(value: str) -> str:
    """Full-width digits, letters and punctuation as their ASCII forms (NFKC), and the
    ideographic full stop as a dot, so an export's full-width number reads as the number."""
    return unicodedata.normalize("NFKC", value).replace("。", ".")


def patent_check_digit(body: str) -> str:
    """The check character of an 8- or 12-digit application number body."""
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(body))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def normalize_patent_number(value: str) -> str:
    """`ZL202010123456.2` -> `202010123456.2`; raises ValueError when the number is not valid."""
    compact = fold_width(value).strip().upper().replace(" ", "")
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


_USCC_RE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$")


def normalize_uscc(value: str) -> str:
    """A validated unified social credit code, upper-case; ValueError otherwise."""
    code = uscc.compact(fold_width(value)).upper()
    if len(code) != 18:
        raise ValueError("not a valid unified social credit code: it has 18 characters")
    if not _USCC_RE.match(code):
        raise ValueError(
            "not a valid unified social credit code: digits and capitals without I, O, S, V, Z, "
            "with six digits (the administrative division) in places 3 to 8"
        )
    expected = uscc.calc_check_digit(code)
    if code[-1] != expected:
        raise ValueError(f"not a valid unified social credit code: check character is {code[-1]}, expected {expected}")
    return code


def normalize_trademark_number(value: str) -> str:
    """A trademark registration number: digits only."""
    compact = fold_width(value).strip()
    if not _TRADEMARK_RE.match(compact):
        raise ValueError("a trademark registration number is 1 to 10 digits")
    return compact
