"""The field types accept exactly what their schema declares (issue 15: the schema let through
values the server refused - credit codes and patent numbers of any form, `""` as money, dates
outside the bounds - so a client validating by the schema, or a fuzzer, could not trust it).

Each test pairs the server's verdict with the JSON Schema validator's on the type's own declared
schema: what the schema refuses the server refuses, and what the server accepts the schema
allows; the check character alone is left to the named format."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from stdnum.cn import uscc

from ipops import identifiers
from ipops.fields import (
    DATE_PATTERN,
    PATENT_NUMBER_FORMAT,
    USCC_FORMAT,
    BoundedDate,
    BoundedDateTime,
    CreditCode,
    JsonInt,
    PatentNumber,
    Percent,
    PositiveYuan,
    TrademarkNumber,
    Yuan,
)

VALID_USCC = "91350100M000100Y43"


_ADAPTERS: dict[int, TypeAdapter[Any]] = {}
_VALIDATORS: dict[int, Any] = {}


def adapter(kind: Any) -> TypeAdapter[Any]:
    if id(kind) not in _ADAPTERS:
        _ADAPTERS[id(kind)] = TypeAdapter(kind)
    return _ADAPTERS[id(kind)]


def accepts(kind: Any, value: Any) -> bool:
    try:
        adapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


def schema_of(kind: Any) -> dict[str, Any]:
    schema: dict[str, Any] = adapter(kind).json_schema()
    return schema


def schema_allows(kind: Any, value: Any) -> bool:
    if id(kind) not in _VALIDATORS:  # the validator Schemathesis itself uses
        _VALIDATORS[id(kind)] = jsonschema_rs.validator_for(schema_of(kind))
    return bool(_VALIDATORS[id(kind)].is_valid(value))


class TestDeclaredSchemas:
    def test_identifiers_declare_pattern_lengths_and_their_check_format(self) -> None:
        for kind, fmt in ((CreditCode, USCC_FORMAT), (PatentNumber, PATENT_NUMBER_FORMAT)):
            schema = schema_of(kind)
            assert schema["type"] == "string" and schema["format"] == fmt
            # the pattern bounds the length (18 to 35, 9 to 30 characters)
            assert schema["pattern"] and "minLength" not in schema and "maxLength" not in schema
        assert schema_of(TrademarkNumber)["maxLength"] == 10

    def test_money_is_a_pattern_string_that_refuses_the_empty_string(self) -> None:
        for kind in (Yuan, PositiveYuan):
            schema = schema_of(kind)
            assert schema["type"] == "string" and not schema_allows(kind, "")
            assert not schema_allows(kind, 1000) and not schema_allows(kind, "-1") and not schema_allows(kind, "1.001")

    def test_money_is_written_with_two_decimals_in_responses(self) -> None:
        class Out(BaseModel):
            amount: Yuan

        assert Out(amount=Decimal("5")).model_dump_json() == '{"amount":"5.00"}'
        assert Out.model_json_schema(mode="serialization")["properties"]["amount"]["type"] == "string"

    def test_bounded_date_declares_its_bounds_in_the_pattern(self) -> None:
        schema = schema_of(BoundedDate)
        assert schema["format"] == "date" and schema["pattern"] == DATE_PATTERN
        assert "2000-01-01" in schema["description"] and "2100-12-31" in schema["description"]

    def test_bounded_datetime_declares_its_form(self) -> None:
        schema = schema_of(BoundedDateTime)
        assert schema["format"] == "date-time" and schema["pattern"].startswith(DATE_PATTERN[:-1])
        assert "2000-01-01" in schema["description"] and "2100-12-31" in schema["description"]

    def test_the_types_work_as_query_parameters_too(self) -> None:
        from fastapi import FastAPI, Query
        from fastapi.testclient import TestClient

        app = FastAPI()

        @app.get("/x")
        def x(day: BoundedDate | None = Query(None), code: CreditCode | None = Query(None)) -> dict[str, str]:
            return {"day": str(day), "code": str(code)}

        client = TestClient(app)
        assert client.get("/x", params={"day": "2024-02-29", "code": VALID_USCC.lower()}).json() == {
            "day": "2024-02-29",
            "code": VALID_USCC,
        }
        assert client.get("/x", params={"day": "0"}).status_code == 422  # not a timestamp
        parameters = app.openapi()["paths"]["/x"]["get"]["parameters"]
        assert parameters[0]["schema"]["anyOf"][0]["pattern"] == DATE_PATTERN


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        (CreditCode, VALID_USCC, True),
        (CreditCode, VALID_USCC.lower(), True),
        (CreditCode, "9135 0100 M000-100Y43", True),
        (CreditCode, "".join(chr(ord(c) + 0xFEE0) for c in VALID_USCC), True),  # full-width
        (CreditCode, VALID_USCC[:-1] + "4", False),  # check character
        (CreditCode, VALID_USCC[:17], False),
        (CreditCode, "", False),
        (CreditCode, VALID_USCC + "\t", False),
        (PatentNumber, "202010123456.2", True),
        (PatentNumber, "ZL202010123456.2", True),
        (PatentNumber, "cn 2020 1012 3456.2", True),
        (PatentNumber, "\uff12\uff10\uff12\uff10\uff11\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff0e\uff12", True),
        (PatentNumber, "2020101234562", True),
        (PatentNumber, "202010123456.3", False),
        (PatentNumber, "202010123456", False),
        (PatentNumber, "", False),
        (TrademarkNumber, "12345678", True),
        (TrademarkNumber, "\uff11\uff12\uff13", True),
        (TrademarkNumber, "", False),
        (TrademarkNumber, "12345678901", False),
        (TrademarkNumber, " 1", False),
        (Yuan, "0", True),
        (Yuan, "1000000.50", True),
        (Yuan, "99999999999999.99", True),
        (Yuan, "100000000000000", False),
        (Yuan, "", False),
        (Yuan, "-1", False),
        (Yuan, "1.001", False),
        (Yuan, "01", False),
        (Yuan, "1e3", False),
        (Yuan, 1000, False),
        (Yuan, 10.5, False),
        (PositiveYuan, "0.01", True),
        (PositiveYuan, "10", True),
        (PositiveYuan, "0", False),
        (PositiveYuan, "0.00", False),
        (Percent, "100", True),
        (Percent, "100.0000", True),
        (Percent, "99.9999", True),
        (Percent, "0", True),
        (Percent, "100.01", False),
        (Percent, "101", False),
        (Percent, "1.00001", False),
        (BoundedDate, "2000-01-01", True),
        (BoundedDate, "2100-12-31", True),
        (BoundedDate, "2024-02-29", True),
        (BoundedDate, "1999-12-31", False),
        (BoundedDate, "2101-01-01", False),
        (BoundedDate, "2023-02-29", False),
        (BoundedDate, "0", False),
        (BoundedDate, 0, False),
        (BoundedDate, "2024-01-01T00:00:00", False),
        (BoundedDateTime, "2000-01-01T00:00:00Z", True),
        (BoundedDateTime, "2100-12-31T23:59:59.123456+08:00", True),
        (BoundedDateTime, "2024-02-29t12:00:00z", True),
        (BoundedDateTime, "2024-01-01T00:00:00-23:59", True),
        (BoundedDateTime, "2024-01-01T00:00:00", False),  # no offset: which instant?
        (BoundedDateTime, "2024-01-01 00:00:00Z", False),
        (BoundedDateTime, "1999-12-31T23:59:59Z", False),
        (BoundedDateTime, "2101-01-01T00:00:00Z", False),
        (BoundedDateTime, "2023-02-29T00:00:00Z", False),
        (BoundedDateTime, "2024-01-01T24:00:00Z", False),
        (BoundedDateTime, "2024-01-01T00:00:60Z", False),
        (BoundedDateTime, "2024-01-01T00:00:00.1234567Z", False),
        (BoundedDateTime, "2024-01-01", False),
        (BoundedDateTime, 0, False),
    ],
)
def test_server_and_schema_agree(kind: Any, value: Any, ok: bool) -> None:
    assert accepts(kind, value) is ok
    if ok:
        assert schema_allows(kind, value), "the server accepts what the schema refuses"
    elif not schema_allows(kind, value):
        pass  # refused by both
    else:
        # only the rules a pattern cannot carry may refuse a value the schema allows
        assert kind in (CreditCode, PatentNumber, BoundedDate, BoundedDateTime), (
            f"{value!r} allowed by the schema, refused by the server"
        )


def test_python_values_pass_as_they_are() -> None:
    assert TypeAdapter(Yuan).validate_python(Decimal("12.30")) == Decimal("12.30")
    assert TypeAdapter(BoundedDate).validate_python(date(2024, 1, 1)) == date(2024, 1, 1)
    at = datetime(2024, 1, 1, tzinfo=UTC)
    assert TypeAdapter(BoundedDateTime).validate_python(at) == at


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_whatever_the_schema_refuses_the_server_refuses(value: str) -> None:
    for kind in (CreditCode, PatentNumber, TrademarkNumber, Yuan, PositiveYuan, Percent, BoundedDate, BoundedDateTime):
        if not schema_allows(kind, value):
            assert not accepts(kind, value), (kind, value)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{9}", re.ASCII), fullmatch=True))
def test_every_code_with_its_check_character_is_accepted_and_allowed(body: str) -> None:
    code = body + uscc.calc_check_digit(body + "0")
    assert accepts(CreditCode, code) and schema_allows(CreditCode, code)


@settings(max_examples=200, deadline=None)
@given(st.integers(2003, 2100), st.sampled_from("12389"), st.integers(0, 9_999_999), st.sampled_from(["", "ZL", "CN"]))
def test_every_valid_patent_number_is_accepted_and_allowed(year: int, kind: str, serial: int, prefix: str) -> None:
    number = prefix + identifiers.make_patent_number(year, kind, serial)
    assert accepts(PatentNumber, number) and schema_allows(PatentNumber, number)


class _Counted(BaseModel):
    year: JsonInt = Field(ge=2000, le=2100)


@pytest.mark.parametrize(
    ("value", "ok"),
    [(2020, True), (2020.0, True), (2020.5, False), (True, False), ("2020", False), (None, False), (1999, False)],
)
def test_a_json_integer_is_what_json_schema_calls_one(value: Any, ok: bool) -> None:
    """13 and 13.0 are JSON Schema integers; true and "13" are not, though pydantic's lax int reads
    them; the bounds are declared as minimum/maximum, so a generated client checks them too."""
    if ok:
        assert _Counted.model_validate({"year": value}).year == 2020
    else:
        with pytest.raises(ValidationError):
            _Counted.model_validate({"year": value})
    schema = _Counted.model_json_schema()["properties"]["year"]
    assert (schema["type"], schema["minimum"], schema["maximum"]) == ("integer", 2000, 2100)
