"""The row model of a bulk upload validates exactly as a work log's own fields do, though it
remembers each distinct value it accepted; cells the header does not name are refused; pausing
the garbage collector for an upload leaves it as it was, however uploads overlap. Pure."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from pydantic import AfterValidator, TypeAdapter, ValidationError

from ipops import identifiers
from trusteeship.worklogs import collector, upload
from trusteeship.worklogs.rows import ROW
from trusteeship.worklogs.schemas import WorkLogCreate

CODE = "91120110000001000E"


class _Reference(WorkLogCreate):
    """The row model as it was before memoising: a WorkLogCreate whose credit code is checked by
    its check character alone (the upload's own rule, unchanged)."""

    credit_code: Annotated[str, AfterValidator(identifiers.normalize_uscc)]


REFERENCE = TypeAdapter(_Reference)


def _outcome(adapter: TypeAdapter[Any], record: dict[str, Any]) -> Any:
    try:
        return adapter.validate_python(record).model_dump()
    except ValidationError as exc:
        return [(e["loc"], e["type"], e["msg"]) for e in exc.errors(include_url=False)]


def _row(**fields: Any) -> dict[str, Any]:
    return {"credit_code": CODE, "service_type": "search", "work_date": "2025-03-04", "description": "d"} | fields


ROWS = [
    _row(),
    _row(hours="1.5", outcome="o", patent_numbers=["ZL202010123456.2", "202010123456.2"], trademark_numbers=["12"]),
    _row(credit_code=CODE.lower(), hours="1000", document_refs=["archive://1"]),
    # each field's refusals: form, calendar, bounds, places, check character, type
    _row(work_date="2025-02-30"),
    _row(work_date="1999-12-31"),
    _row(work_date="2025/03/04"),
    _row(work_date=20250304),
    _row(hours="1.555"),
    _row(hours="1000.01"),
    _row(hours="-1"),
    _row(hours=1.5),
    _row(hours=None),
    _row(patent_numbers=["202010123456.3", "202010123456.2", "x"]),
    _row(patent_numbers=[5]),
    _row(trademark_numbers=["12345678901", "1"]),
    _row(credit_code="91120110000001000Y"),
    _row(credit_code="x"),
    _row(credit_code=5),
    {"work_date": "2025-03-04", "hours": "bad", "patent_numbers": "202010123456.2"},
]


@pytest.mark.parametrize("record", ROWS)
def test_the_same_rows_pass_and_fail_with_the_same_errors(record: dict[str, Any]) -> None:
    expected = _outcome(REFERENCE, record)
    # twice: a remembered success gives the same row, and a refusal is never remembered
    assert _outcome(ROW, record) == expected
    assert _outcome(ROW, record) == expected


WITHOUT_HEADER = "a value in a column without a header"
# a blank header, then the two columns an error report adds
HEADER = "credit_code,service_type,work_date,description,,原行号,错误\r\n"


@pytest.mark.parametrize(
    ("line", "problems"),
    [
        (f"{CODE},search,2025-03-04,d,,,\r\n", []),
        (f"{CODE},search,2025-03-04,d,value,,\r\n", [(None, WITHOUT_HEADER)]),  # under the blank header
        (f"{CODE},search,2025-03-04,d,,7,old problem\r\n", []),  # an error report's columns: ignored
        (f"{CODE},search,2025-03-04,d,,,,  \r\n", []),  # past the header, blank
        (f"{CODE},search,2025-03-04,d,,,,more\r\n", [(None, WITHOUT_HEADER)]),  # past the header, a value
        (f"{CODE},search,2025/3/4\r\n", [("description", "Field required")]),  # short: the rest is blank
    ],
)
def test_a_value_in_a_column_without_a_header_is_refused(line: str, problems: list[tuple[str | None, str]]) -> None:
    parsed = upload.parse("text/csv", (HEADER + line).encode(), max_rows=10)
    assert [(e.field, e.message) for e in parsed.errors] == problems
    if not problems:
        assert parsed.rows[0][1].work_date.isoformat() == "2025-03-04"


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


class TestCollectorPause:
    def test_off_inside_on_after_even_when_the_block_fails(self, collector_on: None) -> None:
        with pytest.raises(RuntimeError), collector.paused():
            assert not gc.isenabled()
            with collector.paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer upload still runs
            raise RuntimeError
        assert gc.isenabled()

    def test_a_collector_that_was_off_stays_off(self, collector_on: None) -> None:
        gc.disable()
        with collector.paused():
            pass
        assert not gc.isenabled()

    def test_overlapping_uploads_in_two_threads(self, collector_on: None) -> None:
        entered, release = threading.Event(), threading.Event()

        def other_upload() -> None:
            with collector.paused():
                entered.set()
                release.wait()

        with collector.paused():
            thread = threading.Thread(target=other_upload)
            thread.start()
            entered.wait()
        assert not gc.isenabled()  # the other upload is not done
        release.set()
        thread.join()
        assert gc.isenabled()
