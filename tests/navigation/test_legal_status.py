# ruff: noqa: RUF001  (full-width forms and Chinese punctuation are the data)
"""Legal status as real exports write it (CNIPA, incoPat, Himmpat, PatSnap, Lens) maps to
valid | pending | invalid; only values the vocabulary cannot place stay unknown, and the landscape
lists them with their counts."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from ipops.identifiers import make_patent_number
from navigation.datasets.landscape import analyse
from navigation.domain import legal_status

# Every value the issue names, then each source's own words, then the tolerance the rule promises.
NAMED_IN_THE_ISSUE = [
    ("有效专利", "valid"),
    ("权利终止", "invalid"),
    ("有效;授权", "valid"),
    ("失效-未缴年费", "invalid"),
    ("revoked", "invalid"),
]
CNIPA = [
    ("有效", "valid"),
    ("审中", "pending"),
    ("失效", "invalid"),
    ("授权", "valid"),
    ("实质审查", "pending"),
    ("公开", "pending"),
    ("驳回", "invalid"),
    ("撤回", "invalid"),
    ("视为撤回", "invalid"),
    ("放弃", "invalid"),
    ("未缴年费", "invalid"),
    ("期限届满", "invalid"),
    ("全部无效", "invalid"),
    ("部分无效", "valid"),
    ("专利权维持", "valid"),
    ("等年费滞纳金", "valid"),
    ("专利权终止", "invalid"),
    ("未缴年费专利权终止,等恢复", "invalid"),
    ("实质审查的生效", "pending"),
    ("发明专利申请公布后的视为撤回", "invalid"),
    ("发明专利申请公布后的驳回", "invalid"),
    ("避重授权", "valid"),
    ("避重放弃", "invalid"),
    ("权利恢复", "valid"),
    ("等待实审请求", "pending"),
]
INCOPAT_HIMMPAT = [
    ("有效-授权", "valid"),
    ("审中-实审", "pending"),
    ("审中-公开", "pending"),
    ("失效-驳回", "invalid"),
    ("失效-视为撤回", "invalid"),
    ("失效-期限届满", "invalid"),
    ("失效-全部无效", "invalid"),
    ("有效-部分无效", "valid"),
    ("有效;授权;质押", "valid"),
    ("授权;权利转移", "valid"),
    ("PCT指定期内", "pending"),
    ("PCT指定期满", "invalid"),
    ("PCT有效期满", "invalid"),
    ("PCT未进入指定国", "invalid"),
    ("在审", "pending"),
    ("失效专利", "invalid"),
]
PATSNAP = [
    ("Active", "valid"),
    ("Pending", "pending"),
    ("Inactive", "invalid"),
    ("Granted", "valid"),
    ("Published", "pending"),
    ("Examining", "pending"),
    ("Lapsed", "invalid"),
    ("Expired", "invalid"),
    ("Revoked", "invalid"),
    ("Withdrawn", "invalid"),
    ("Rejected", "invalid"),
    ("Abandoned", "invalid"),
    ("Invalid", "invalid"),
    ("Non-payment", "invalid"),
    ("D-Withdraw", "invalid"),
    ("D-Discard", "invalid"),
    ("Discard", "invalid"),
    ("Double", "invalid"),
    ("Deemed withdrawn", "invalid"),
    ("Inactive - Lapsed", "invalid"),
    ("Active - Granted", "valid"),
    ("PCT designated period", "pending"),
    ("PCT designated expired", "invalid"),
]
LENS = [
    ("ACTIVE", "valid"),
    ("PENDING", "pending"),
    ("INACTIVE", "invalid"),
    ("DISCONTINUED", "invalid"),
    ("EXPIRED", "invalid"),
    ("PATENTED", "valid"),
    ("CEASED", "invalid"),
    ("ACTIVE_REINSTATED", "valid"),
    ("Expired - Fee Related", "invalid"),
    ("Expired - Lifetime", "invalid"),
    ("Not in force", "invalid"),
    ("In force", "valid"),
]
TOLERANCE = [
    ("有效；授权", "valid"),  # full-width semicolon
    ("失效 / 期限届满", "invalid"),
    ("失效－未缴年费", "invalid"),  # full-width hyphen
    ("  有效 ", "valid"),
    ("ＡＣＴＩＶＥ", "valid"),  # full-width letters
    ("inactive-LAPSED", "invalid"),
    ("失效未缴年费", "invalid"),  # no separator at all
    ("未缴年费专利权终止", "invalid"),
    ("2023-05-01 未缴年费", "invalid"),  # a date carries no status
    ("公开;实质审查;授权", "valid"),  # a history: the lifecycle's latest step wins
    ("公开;实质审查;授权;未缴年费", "invalid"),
    ("公开|实质审查", "pending"),
    ("(失效)驳回", "invalid"),
]
UNMAPPED = [
    ("", None),
    ("   ", None),
    ("专利", None),  # a qualifier alone says nothing
    ("质押", None),  # an event alone says nothing about validity
    ("有效;待定XYZ", None),  # one unknown part: never guessed
    ("foo", None),
]
KNOWN_UNKNOWN = [("未确认", "unknown"), ("UNKNOWN", "unknown"), ("Undetermined", "unknown")]


@pytest.mark.parametrize(
    ("raw", "status"), NAMED_IN_THE_ISSUE + CNIPA + INCOPAT_HIMMPAT + PATSNAP + LENS + TOLERANCE + KNOWN_UNKNOWN
)
def test_export_values_map(raw: str, status: str) -> None:
    assert legal_status.classify(raw) == status


@pytest.mark.parametrize(("raw", "status"), UNMAPPED)
def test_values_outside_the_vocabulary_stay_unmapped(raw: str, status: None) -> None:
    assert legal_status.classify(raw) is status


def _vocabulary_rows() -> list[tuple[str, str, str]]:
    data = tomllib.loads(legal_status.VOCABULARY_FILE.read_text(encoding="utf-8"))
    return [
        (source, status, word)
        for source, table in data["vocabulary"].items()
        for status, words in table.items()
        for word in words
    ]


@pytest.mark.parametrize(("source", "status", "word"), _vocabulary_rows())
def test_every_word_of_the_vocabulary_maps_to_its_status(source: str, status: str, word: str) -> None:
    assert legal_status.classify(word) == status, source


def test_a_word_under_two_statuses_is_refused() -> None:
    with pytest.raises(ValueError, match="有效"):
        legal_status.Vocabulary.from_toml(
            {"precedence": ["invalid", "valid", "pending", "unknown"], "separators": ";", "qualifiers": []}
            | {"vocabulary": {"a": {"valid": ["有效"]}, "b": {"invalid": ["有效"]}}}
        )


def test_the_landscape_maps_the_sample_and_lists_what_it_could_not(tmp_path: Path) -> None:
    """The issue's sample: 6 of 12 records were unknown; now only the blank one and the value no
    vocabulary knows are, and that value is listed with its count."""
    values = [
        "有效专利",
        "权利终止",
        "有效;授权",
        "失效-未缴年费",
        "revoked",
        "",
        "有效",
        "审中",
        "Lapsed",
        "ACTIVE",
        "XYZ状态",
        "XYZ状态",
    ]
    path = tmp_path / "sample.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["application_number", "applicants", "legal_status"])
        for i, value in enumerate(values):
            writer.writerow([make_patent_number(2020, "1", 100 + i), "天津东丽科技有限公司", value])
    result = analyse(path, "csv")
    mix = {m["value"]: m["filings"] for m in result["legal_status"]}
    assert mix == {"valid": 4, "invalid": 4, "pending": 1, "unknown": 3}
    assert result["unmapped_legal_status"] == [{"value": "XYZ状态", "count": 2}]
    assert result["quality"]["without_legal_status"] == 1
