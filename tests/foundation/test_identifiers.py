"""Identifiers real data uses: patent application numbers with check digits, credit codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from ipops.identifiers import (
    PatentType,
    is_valid_patent_number,
    make_patent_number,
    normalize_patent_number,
    normalize_trademark_number,
    normalize_uscc,
    patent_check_digit,
    patent_filing_year,
    patent_type,
)


@pytest.mark.parametrize(
    ("raw", "normalised", "kind"),
    [
        ("202010123456.2", "202010123456.2", PatentType.INVENTION),  # DOMAIN.md's example
        ("ZL202010123456.2", "202010123456.2", PatentType.INVENTION),
        ("CN 202020123456.X".replace("X", patent_check_digit("202020123456")), None, PatentType.UTILITY_MODEL),
        ("98123456.X".replace("X", patent_check_digit("98123456")), None, PatentType.INVENTION),
    ],
)
def test_valid_numbers_normalise_and_carry_their_type(raw: str, normalised: str | None, kind: PatentType) -> None:
    number = normalize_patent_number(raw)
    if normalised:
        assert number == normalised
    assert patent_type(number) is kind


def test_check_digit_follows_the_published_weights() -> None:
    # 2 0 2 0 1 0 1 2 3 4 5 6 with weights 2 3 4 5 6 7 8 9 2 3 4 5: sum 134, 134 mod 11 = 2
    assert patent_check_digit("202010123456") == "2"


@pytest.mark.parametrize("bad", ["202010123456.3", "20201012345.2", "202040123456.0", "abc", "", "202010123456"])
def test_invalid_numbers_are_refused(bad: str) -> None:
    assert not is_valid_patent_number(bad)


@given(
    year=st.integers(min_value=2003, max_value=2030),
    digit=st.sampled_from("12389"),
    serial=st.integers(0, 9_999_999),
)
def test_generated_numbers_validate_and_any_other_check_digit_fails(year: int, digit: str, serial: int) -> None:
    number = make_patent_number(year, digit, serial)
    assert normalize_patent_number(number) == number
    assert patent_filing_year(number) == year
    body, check = number.split(".")
    for other in "0123456789X":
        if other != check:
            assert not is_valid_patent_number(f"{body}.{other}")


def test_credit_codes() -> None:
    assert normalize_uscc("91110000600037341L") == "91110000600037341L"
    with pytest.raises(ValueError, match="credit code"):
        normalize_uscc("91110000600037341A")


def test_trademark_numbers_are_digits() -> None:
    assert normalize_trademark_number(" 12345678 ") == "12345678"
    with pytest.raises(ValueError):
        normalize_trademark_number("TM123")


def _full_width(text: str) -> str:
    """Digits, capitals and the dot as full-width characters, as some exports write them."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() or c == "." else c for c in text)


@pytest.mark.parametrize("raw", ["202010123456.2", "ZL202010123456.2"])
def test_full_width_numbers_are_folded_before_the_check(raw: str) -> None:
    assert normalize_patent_number(_full_width(raw)) == "202010123456.2"
    assert normalize_patent_number("202010123456\u30022") == "202010123456.2"  # ideographic full stop
    assert normalize_trademark_number(_full_width("12345678")) == "12345678"


def _with_check(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17 + "0")


@pytest.mark.parametrize(
    "first17",
    [
        "91120116MA05JNQE7",  # market regulation, enterprise
        "Y1120116MA05Q1234",  # registration authority "other" (GB 32100: Y)
        "N2120116MA05Q1234",  # agriculture authority, a letter first
        "A1110000000000000",  # authority A
        "5112011650000000X"[:17],  # civil affairs
    ],
)
def test_every_authority_gb_32100_allows_is_accepted_with_its_check_character(first17: str) -> None:
    code = _with_check(first17)
    assert normalize_uscc(code) == code
    assert normalize_uscc(_full_width(code.lower()).lower()) == code  # full-width and lower case fold
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(ValueError, match="check character"):
        normalize_uscc(code[:-1] + wrong)


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("9112011A" + "MA05JNQE7" + "0", "six digits"),  # a letter in the division code
        ("I1120116MA05JNQE70", "without I, O, S, V, Z"),  # I is not in the alphabet
        ("91120116MA05JNQE7", "18 characters"),
    ],
)
def test_malformed_credit_codes_say_what_is_wrong(bad: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        normalize_uscc(bad)
