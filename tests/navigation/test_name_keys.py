"""The SQL applicant-name key agrees with the independent Python one on arbitrary names, and
spelling variants of one name always share a key."""

# ruff: noqa: RUF001  (full-width forms are the point)
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from navigation.datasets.landscape import name_keys
from tests.navigation import reference

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
ASCII = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,&()-")
FULL = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xAC40)
KANA = st.characters(min_codepoint=0x30A1, max_codepoint=0x30F6)
NAMES = st.text(st.one_of(CJK, ASCII, FULL, HANGUL, KANA, st.just("\u3000")), min_size=1, max_size=24)
SUFFIXES = ["", "有限公司", "股份有限公司", " Co., Ltd.", " CO LTD", " Inc.", " Corporation", "（天津）有限公司"]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@settings(max_examples=60, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=30))
def test_sql_key_equals_python_key(names: list[str]) -> None:
    assert name_keys(names) == [reference.applicant_key(n) for n in names]


@settings(max_examples=40, deadline=None)
@given(st.text(st.one_of(CJK, st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), min_size=2, max_size=10), st.data())
def test_variants_of_one_name_share_a_key(base: str, data: st.DataObject) -> None:
    suffix = data.draw(st.sampled_from(SUFFIXES))
    name = base + suffix
    variants = [name, full_width(name), name.lower(), f" {name} ", unicodedata.normalize("NFKC", name)]
    keys = name_keys(variants)
    assert len(set(keys)) == 1, dict(zip(variants, keys, strict=True))
