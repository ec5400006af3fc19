"""Annotated pydantic types for identifiers, money and dates, so every schema validates the same way
and the OpenAPI document says exactly what is accepted.

Each type validates in two steps, and documents both:
- the accepted input form, a `pattern` with `minLength`/`maxLength` in the schema, checked first
  (full match), so nothing outside it is ever accepted and a client or fuzzer reading the schema
  knows what to send;
- the rule no regular expression can carry (a check character, a calendar date), named by a
  custom `format` (`cn-uscc`, `cn-patent-number`) that generators may register a strategy for.
Patterns are written for ECMA-262 and Python alike: `[0-9]`, never `\\d` (Python's matches any
Unicode digit), no look-around. Each type names its rule in the error, and FastAPI reports the
field at fault as problem+json.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from ipops import identifiers

# Full-width forms (U+FF10-, U+FF21-, U+FF41-) are how Chinese exports often write these
# numbers; normalisation folds them to ASCII (identifiers.fold_width).
_DIGIT = "[0-9\uff10-\uff19]"
_ALNUM = "[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"

USCC_FORMAT = "cn-uscc"
PATENT_NUMBER_FORMAT = "cn-patent-number"

# 18 characters, upper or lower case, full-width or not, optionally grouped by spaces or hyphens
# (stdnum's `compact` removes both).
USCC_PATTERN = f"^(?:{_ALNUM}[ -]?){{17}}{_ALNUM}$"
USCC_LENGTH = (18, 35)
# An optional ZL/CN prefix, 8 or 12 digits, an optional dot (ASCII, full-width or ideographic)
# and the check character (0-9 or X); spaces may separate the parts and group the digits.
PATENT_NUMBER_PATTERN = (
    "^(?:[Zz\uff3a\uff5a][Ll\uff2c\uff4c] ?|[Cc\uff23\uff43][Nn\uff2e\uff4e] ?)?"
    f"(?:{_DIGIT} ?){{8}}(?:(?:{_DIGIT} ?){{4}})?"
    "[.\uff0e\u3002]? ?[0-9Xx\uff10-\uff19\uff38\uff58]$"
)
PATENT_NUMBER_LENGTH = (9, 32)
TRADEMARK_NUMBER_PATTERN = f"^{_DIGIT}{{1,10}}$"
TRADEMARK_NUMBER_LENGTH = (1, 10)


def _accepted_form(pattern: str, lengths: tuple[int, int], what: str) -> BeforeValidator:
    """Refuse a string outside the declared input form before any normalisation, so the server
    accepts nothing the schema does not allow."""
    compiled = re.compile(pattern)
    low, high = lengths

    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(f"{what} is a string")
        if not low <= len(value) <= high or not compiled.fullmatch(value):
            raise ValueError(f"{what} is not written in an accepted form")
        return value

    return BeforeValidator(check)


def _string_schema(pattern: str, lengths: tuple[int, int], **extra: Any) -> WithJsonSchema:
    """The declared form. With a check `format`, the lengths stay out of the schema: the pattern
    bounds them already (and the server checks them), and a declared length invites a generator to
    build a value of exactly that length from the pattern alone, which misses the check character
    (Schemathesis's coverage phase does)."""
    schema: dict[str, Any] = {"type": "string", "pattern": pattern, **extra}
    if "format" not in extra:
        schema |= {"minLength": lengths[0], "maxLength": lengths[1]}
    return WithJsonSchema(schema, mode="validation")


CreditCode = Annotated[
    str,
    _accepted_form(USCC_PATTERN, USCC_LENGTH, "a unified social credit code"),
    AfterValidator(identifiers.normalize_uscc),
    _string_schema(
        USCC_PATTERN,
        USCC_LENGTH,
        format=USCC_FORMAT,
        description="A unified social credit code (GB 32100-2015): 18 characters with a valid check "
        "character (the `cn-uscc` format); stored upper-case without separators.",
        examples=["91350100M000100Y43"],
    ),
]
PatentNumber = Annotated[
    str,
    _accepted_form(PATENT_NUMBER_PATTERN, PATENT_NUMBER_LENGTH, "a Chinese patent application number"),
    AfterValidator(identifiers.normalize_patent_number),
    _string_schema(
        PATENT_NUMBER_PATTERN,
        PATENT_NUMBER_LENGTH,
        format=PATENT_NUMBER_FORMAT,
        description="A Chinese patent application number: 8 or 12 digits and a check character, "
        "with a known type digit (the `cn-patent-number` format); `ZL`/`CN` prefix and dot optional, "
        "stored as `202010123456.2`.",
        examples=["202010123456.2"],
    ),
]
TrademarkNumber = Annotated[
    str,
    _accepted_form(TRADEMARK_NUMBER_PATTERN, TRADEMARK_NUMBER_LENGTH, "a trademark registration number"),
    AfterValidator(identifiers.normalize_trademark_number),
    _string_schema(
        TRADEMARK_NUMBER_PATTERN,
        TRADEMARK_NUMBER_LENGTH,
        description="A trademark registration number: 1 to 10 digits.",
        examples=["12345678"],
    ),
]

# Decimal quantities (amounts, percentages, hours) travel as strings: a JSON number cannot be
# trusted to its decimal places (0.57 arrives as 0.5700000000000001), and one spelling per
# quantity keeps the schema and the server in agreement. The pattern carries the places, the
# number of whole digits (no leading zeros), the sign (never negative) and, where there is one,
# a ceiling that is a power of ten (100 %, 1000 hours).


def decimal_pattern(places: int, whole_digits: int, *, positive: bool = False, ceiling_power: int | None = None) -> str:
    """The pattern of a non-negative decimal with at most `places` decimals and `whole_digits`
    whole digits; above zero when `positive`; at most 10**ceiling_power when that is given (the
    whole digits then stop below it)."""
    fraction = f"(?:\\.[0-9]{{1,{places}}})?"
    top = whole_digits if ceiling_power is None else ceiling_power
    alternatives = [f"[1-9][0-9]{{0,{top - 1}}}{fraction}"]
    if positive:
        # zero whole and a fraction that is not all zeros: the first non-zero digit at each place
        alternatives += [
            "0\\." + "0" * i + "[1-9]" + (f"[0-9]{{0,{places - 1 - i}}}" if i < places - 1 else "")
            for i in range(places)
        ]
    else:
        alternatives.append(f"0{fraction}")
    if ceiling_power is not None:
        alternatives.append("1" + "0" * ceiling_power + f"(?:\\.0{{1,{places}}})?")
    return "^(?:" + "|".join(alternatives) + ")$"


class DecimalText:
    """`Annotated[Decimal, DecimalText(places, whole_digits, ...)]`: a `Decimal` read from a string
    of the declared form (see `decimal_pattern`) and declared as that pattern; a `Decimal` built in
    Python passes as it is. The same bounds are checked on the value as well."""

    def __init__(
        self,
        places: int,
        whole_digits: int,
        *,
        positive: bool = False,
        ceiling_power: int | None = None,
        what: str = "a number",
        description: str | None = None,
        example: str | None = None,
    ) -> None:
        self.pattern = decimal_pattern(places, whole_digits, positive=positive, ceiling_power=ceiling_power)
        self._compiled = re.compile(self.pattern)
        self._places = places
        self._digits = (whole_digits if ceiling_power is None else ceiling_power + 1) + places
        self._positive = positive
        self._ceiling = None if ceiling_power is None else Decimal(10) ** ceiling_power
        self._message = (
            f'{what}: a string such as "{example or "10.5"}", at most {places} decimals, no sign or leading zeros'
        )
        self._schema: dict[str, Any] = {"type": "string", "pattern": self.pattern, "maxLength": self._digits + 1}
        if description:
            self._schema["description"] = description
        if example:
            self._schema["examples"] = [example]

    def _check(self, value: Any) -> Any:
        if isinstance(value, Decimal):  # built in Python, not read from a request
            return value
        if not isinstance(value, str) or not self._compiled.fullmatch(value):
            raise ValueError(self._message)
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        bounds: dict[str, Any] = {"gt": Decimal(0)} if self._positive else {"ge": Decimal(0)}
        if self._ceiling is not None:
            bounds["le"] = self._ceiling
        inner = core_schema.decimal_schema(max_digits=self._digits, decimal_places=self._places, **bounds)
        return core_schema.no_info_before_validator_function(self._check, inner)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        if handler.mode == "serialization":
            return {"type": "string"}
        return dict(self._schema)


# Amounts in yuan: at most 14 whole digits and two decimals, never negative, written in
# responses as a string with exactly two decimals ("1234.50").
_YUAN_OUT = {"type": "string", "pattern": r"^(?:0|[1-9][0-9]*)\.[0-9]{2}$", "examples": ["1000000.00"]}
_AS_STRING = PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json")
YUAN_PATTERN = decimal_pattern(2, 14)
POSITIVE_YUAN_PATTERN = decimal_pattern(2, 14, positive=True)

Yuan = Annotated[
    Decimal,
    DecimalText(
        2,
        14,
        what="an amount in yuan",
        description="An amount in yuan, as a string with at most two decimals: 0 or more.",
        example="1000000.00",
    ),
    WithJsonSchema(_YUAN_OUT, mode="serialization"),
    _AS_STRING,
]
PositiveYuan = Annotated[
    Decimal,
    DecimalText(
        2,
        14,
        positive=True,
        what="an amount in yuan above zero",
        description="An amount in yuan, as a string with at most two decimals: more than 0.",
        example="1000000.00",
    ),
    WithJsonSchema(_YUAN_OUT, mode="serialization"),
    _AS_STRING,
]
# A percentage from 0 to 100 with up to four decimals ("12.5").
Percent = Annotated[
    Decimal,
    DecimalText(
        4,
        2,
        ceiling_power=2,
        what="a percentage",
        description="A percentage from 0 to 100, at most four decimals.",
        example="12.5",
    ),
]

# Dates the platform deals in: a calendar date written YYYY-MM-DD between the bounds below. JSON
# Schema has no bounds for a `format: date` string, so the year range is in the pattern (which
# every validator and generator honours) and the calendar in the format; the bounds are also in
# `description`. Timestamps and other spellings pydantic would read as dates are refused.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_PATTERN = r"^(?:20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"


def _calendar_date(value: Any) -> Any:
    if isinstance(value, date):  # built in Python, not read from a request
        return value
    if not isinstance(value, str) or not re.fullmatch(DATE_PATTERN, value):
        raise ValueError(f"a date written YYYY-MM-DD, from {EARLIEST_DATE} to {LATEST_DATE}")
    return date.fromisoformat(value)  # raises ValueError for a day the month does not have


BoundedDate = Annotated[
    date,
    BeforeValidator(_calendar_date),
    Field(ge=EARLIEST_DATE, le=LATEST_DATE),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": f"A date, YYYY-MM-DD, from {EARLIEST_DATE} to {LATEST_DATE}.",
        },
        mode="validation",
    ),
]

# Instants the platform is told (an agreement's effective time): RFC 3339 with its offset, the date
# part within the bounds above. pydantic alone would also read a bare number (seconds since 1970),
# a naive time or a space for the `T`, none of which the schema's `date-time` allows.
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
_OFFSET = r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
DATETIME_PATTERN = DATE_PATTERN[:-1] + f"[Tt]{_TIME}{_OFFSET}$"


def _rfc3339_instant(value: Any) -> Any:
    if isinstance(value, datetime):  # built in Python, not read from a request
        return value
    if not isinstance(value, str) or not re.fullmatch(DATETIME_PATTERN, value):
        raise ValueError(
            f"a date and time written YYYY-MM-DDThh:mm:ss with an offset (Z or +08:00), "
            f"dated from {EARLIEST_DATE} to {LATEST_DATE}"
        )
    return value  # pydantic reads it; a day the month does not have is refused there


BoundedDateTime = Annotated[
    datetime,
    BeforeValidator(_rfc3339_instant),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": DATETIME_PATTERN,
            "description": f"An instant, RFC 3339 with its offset, dated from {EARLIEST_DATE} to {LATEST_DATE}.",
        },
        mode="validation",
    ),
]


def _json_integer(value: Any) -> Any:
    # JSON Schema's `integer` is a number without a fraction (13 and 13.0 alike); pydantic's lax
    # int would also read `true` and `"13"`, which the schema does not allow, and its strict int
    # would refuse 13.0, which the schema allows.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):  # Decimal: JSON read exactly
        raise ValueError("an integer (a JSON number without a fraction)")
    return value


JSON_INTEGER = BeforeValidator(_json_integer)
# An integer field of a request body: `year: JsonInt = Field(ge=2000, le=2100)`. Inside a list,
# bounds go before the validator (`Annotated[int, Field(ge=1), JSON_INTEGER]`): put after it,
# pydantic checks them but writes `ge`/`le` into the JSON schema instead of `minimum`/`maximum`.
JsonInt = Annotated[int, JSON_INTEGER]
