"""Table rows' factory defaults: asked once per factory, with pydantic's answers unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, Field
from pydantic._internal import _fields, _typing_extra
from sqlalchemy import MetaData
from sqlmodel import Field as SqlField
from sqlmodel import SQLModel

import ipops.db  # noqa: F401  (installs the memo, as every service does by importing it)
from ipops import factory_defaults


def _counting_signatures(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    real = _typing_extra.signature_no_eval

    def counting(f: Any) -> Any:
        calls.append(f)
        return real(f)

    monkeypatch.setattr(_typing_extra, "signature_no_eval", counting)
    return calls


def test_a_table_rows_factory_is_inspected_once_not_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_signatures(monkeypatch)
    counter = iter(range(1_000_000))

    def next_code() -> str:  # a factory of its own, so no earlier row has asked about it
        return f"c{next(counter)}"

    class Row(SQLModel, table=True):
        metadata = MetaData()
        id: int | None = SqlField(default=None, primary_key=True)
        code: str = SqlField(default_factory=next_code)

    first = Row()
    asked_for_the_first_row = calls.count(next_code)  # the class build may ask too
    rows = [first, *(Row() for _ in range(50))]

    assert [r.code for r in rows[:3]] == ["c0", "c1", "c2"]  # the factory still runs per row
    assert asked_for_the_first_row >= 1
    assert calls.count(next_code) == asked_for_the_first_row


def test_a_factory_taking_the_validated_data_still_gets_it() -> None:
    class Model(BaseModel):
        first: str
        upper: str = Field(default_factory=lambda data: data["first"].upper())

    assert Model(first="ab").upper == "AB"
    assert _fields.takes_validated_data_argument(lambda data: data) is True
    assert _fields.takes_validated_data_argument(lambda: 1) is False


def test_an_unhashable_factory_is_answered_without_the_memo() -> None:
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self) -> int:
            return 1

    assert _fields.takes_validated_data_argument(Unhashable()) is False


def test_install_twice_wraps_once() -> None:
    installed = _fields.takes_validated_data_argument
    factory_defaults.install()
    assert _fields.takes_validated_data_argument is installed
    assert getattr(installed, "__ipops_memo__", False)
