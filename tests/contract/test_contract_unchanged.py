"""The public contract changes only on purpose: every OpenAPI and AsyncAPI document the platform
serves equals its reviewed snapshot (`python -m tests.contract.documents --write` records a meant
change)."""

from __future__ import annotations

import difflib

import pytest

from tests.contract.documents import SNAPSHOTS, build, canonical

DOCUMENTS = build()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_equals_its_snapshot(name: str) -> None:
    expected = (SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8")
    actual = canonical(DOCUMENTS[name])
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "snapshot", "code", n=2))
    assert actual == expected, f"{name} changed:\n{diff[:4000]}"


def test_every_snapshot_is_still_served() -> None:
    recorded = {p.stem for p in SNAPSHOTS.glob("*.json")}
    assert recorded == set(DOCUMENTS)
