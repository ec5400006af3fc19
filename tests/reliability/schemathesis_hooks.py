"""What Schemathesis needs to know beyond the OpenAPI documents, loaded by `st run` through
`SCHEMATHESIS_HOOKS=tests.reliability.schemathesis_hooks`.

- Strategies for the platform's custom string formats (`ipops.fields`): a value the pattern
  allows may still fail its check character, which no pattern can say, so positive data for
  `cn-uscc` and `cn-patent-number` are drawn valid here, in the input forms the pattern admits.
- A fresh `Idempotency-Key` for every call that carries a well-formed one: a key names one
  intended operation, so reusing a drawn key (`"0"` comes up often) with another request is
  rightly 422. The schema says the key's form; that it is unique per operation is a rule about
  the caller that no schema can express. A malformed key (negative data) is sent as drawn.
- Business rules set aside from `positive_data_acceptance`, and written down (`filter_failure`).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from typing import Any

import schemathesis
from hypothesis import strategies as st
from stdnum.cn import uscc

from ipops import identifiers
from ipops.fields import PATENT_NUMBER_FORMAT, USCC_FORMAT
from ipops.idempotency import KEY_PATTERN

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_KEY = re.compile(KEY_PATTERN)


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    head = draw(st.text(_USCC_ALPHABET, min_size=2, max_size=2))
    division = draw(st.text("0123456789", min_size=6, max_size=6))
    body = draw(st.text(_USCC_ALPHABET, min_size=9, max_size=9))
    code = head + division + body
    code += uscc.calc_check_digit(code + "0")
    return code.lower() if draw(st.booleans()) and draw(st.booleans()) else code


@st.composite
def patent_numbers(draw: st.DrawFn) -> str:
    type_digit = draw(st.sampled_from("12389"))
    if draw(st.booleans()):
        number = identifiers.make_patent_number(
            draw(st.integers(2003, 2100)), type_digit, draw(st.integers(0, 9_999_999))
        )
    else:  # before 2003: two-digit year, type, five-digit serial
        body = f"{draw(st.integers(85, 102)) % 100:02d}{type_digit}{draw(st.integers(0, 99_999)):05d}"
        number = f"{body}.{identifiers.patent_check_digit(body)}"
    prefix = draw(st.sampled_from(["", "", "ZL", "CN"]))
    return prefix + (number if draw(st.booleans()) else number.replace(".", ""))


schemathesis.openapi.format(USCC_FORMAT, credit_codes())
schemathesis.openapi.format(PATENT_NUMBER_FORMAT, patent_numbers())


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    headers = case.headers
    if headers is None:
        return
    for name in list(headers):
        if name.lower() == "idempotency-key" and isinstance(headers[name], str) and _KEY.match(headers[name]):
            headers[name] = f"fuzz-{uuid.uuid4()}"


RULE_VIOLATION = "/problems/rule-violation"
# An upload's body is a file the schema can only call a string; the server reads it row by row,
# so an empty file (bad-request) or refused rows (upload-rejected) are the file's content, which
# no schema can state. Set aside like rule violations, and logged the same way.
FILE_MEDIA_TYPES = frozenset(
    {"text/csv", "application/x-ndjson", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
)
FILE_PROBLEMS = frozenset({"/problems/upload-rejected", "/problems/bad-request"})


@schemathesis.hook
def filter_failure(ctx: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure except a schema-valid request refused by a business rule.

    `positive_data_acceptance` finds requests the schema allows and the server refuses. The
    server answers a mismatch with its schema as `validation-error` (kept: the schema must say
    it), and a rule about data or state no JSON Schema can state - a credit code of an
    enterprise not registered, shares that must sum to 100 - as `rule-violation` (dropped), and
    an uploaded file's rows refused (dropped: see FILE_PROBLEMS). The
    dropped ones are written, one JSON line each, to the file `IPOPS_FUZZ_RULES` names, so a
    run shows what it set aside and a rule that could be a schema bound is seen."""
    if getattr(failure, "code", None) != "ST202":
        return True
    try:
        problem = json.loads(response.content)
    except ValueError:
        return True
    if not isinstance(problem, dict):
        return True
    kind = problem.get("type")
    is_file = (getattr(case, "media_type", None) or "").split(";")[0].strip().lower() in FILE_MEDIA_TYPES
    if kind != RULE_VIOLATION and not (is_file and kind in FILE_PROBLEMS):
        return True
    path = os.environ.get("IPOPS_FUZZ_RULES")
    if path:
        line = {"operation": f"{case.method} {case.operation.path}", "errors": problem.get("errors")}
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return False
