"""The DuckDB landscape against an independent plain-Python computation on the committed fixture,
CSV and JSON Lines alike, plus the edge cases the fixture carries on purpose."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

from ipops.errors import RuleViolation
from ipops.identifiers import make_patent_number
from navigation.datasets import report
from navigation.datasets.landscape import AnalysisOptions, analyse
from tests.navigation import reference, sample

FIXTURE = Path(__file__).parent / "fixtures" / "landscape_sample.csv"
DISTRICT = ("比亚迪汽车工业(天津)有限公司", "天津东丽医疗器械有限公司")


def assert_same(actual: Any, expected: Any, path: str = "$") -> None:
    """Deep equality, floats to 1e-9 relative (summation order may differ)."""
    if isinstance(expected, float) or isinstance(actual, float):
        assert actual is not None and expected is not None, path
        assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9), f"{path}: {actual} != {expected}"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), f"{path}: keys {set(actual) ^ set(expected)}"
        for k in expected:
            assert_same(actual[k], expected[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: {actual} != {expected}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{i}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return reference.landscape(reference.read_csv(FIXTURE), district_applicants=DISTRICT)


@pytest.fixture(scope="module")
def actual() -> dict[str, Any]:
    return analyse(FIXTURE, "csv", AnalysisOptions(district_applicants=DISTRICT))


class TestAgainstReference:
    def test_every_figure_matches_the_plain_python_reference(self, actual: dict, expected: dict) -> None:
        assert_same(actual, expected)

    def test_json_lines_give_the_same_landscape(self, tmp_path: Path, actual: dict) -> None:
        path = tmp_path / "fixture.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in reference.read_csv(FIXTURE):
                for column in ("applicants", "inventors", "ipc"):
                    row[column] = reference.as_list(row[column])  # lists as arrays this time
                row["pct"] = row["pct"] in ("true", "是")
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        assert_same(analyse(path, "jsonl", AnalysisOptions(district_applicants=DISTRICT)), actual)


class TestFixtureEdgeCases:
    """The hand-written rows at the end of the fixture, checked by their known values."""

    def test_quality_counts_the_bad_rows(self, actual: dict) -> None:
        assert actual["records"] == 406
        assert actual["quality"]["missing_application_number"] == 1
        assert actual["quality"]["invalid_application_number"] == 1
        assert actual["quality"]["duplicate_records"] == 1
        assert actual["quality"]["without_application_date"] == 1
        assert actual["applications"] == 403

    def test_a_pre_2003_number_gives_its_year(self, actual: dict) -> None:
        assert actual["years"]["first"] == 2001
        assert actual["years"]["series"][0] == {"year": 2001, "filings": 1, "growth": None}

    def test_name_variants_merge(self, actual: dict) -> None:
        lishen = next(a for a in actual["applicants"]["top"] if a["key"] == "天津力神电池")
        assert lishen["variants"] >= 2  # 股份有限公司 / 有限公司 spellings
        fanuc = next(a for a in actual["applicants"]["top"] if a["key"] == "FANUC")
        assert fanuc["variants"] >= 2  # half-width and full-width spellings

    def test_the_granted_publication_wins_a_duplicate(self, tmp_path: Path) -> None:
        rows = [r for r in reference.read_csv(FIXTURE) if r["publication_number"].startswith("CN1035000")]
        path = tmp_path / "dup.csv"
        path.write_text(FIXTURE.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        with path.open("a", encoding="utf-8") as out:
            for line in FIXTURE.read_text(encoding="utf-8").splitlines():
                if line.startswith("CN1035000"):
                    out.write(line + "\n")
        result = analyse(path, "csv")
        assert len(rows) == 2
        assert result["applications"] == 1
        assert result["legal_status"] == [{"value": "valid", "filings": 1, "share": 1.0}]

    def test_district_counts_address_and_listed_names(self, actual: dict) -> None:
        district = actual["district"]
        assert district["district_filings"] + district["other_filings"] == actual["applications"]
        names = [d["name"] for d in district["top_district_applicants"]]
        assert any("比亚迪汽车工业" in n for n in names)


class TestRejectedFiles:
    def test_a_missing_required_column_is_named(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.csv"
        path.write_text("publication_number,title\nCN1A,x\n", encoding="utf-8")
        with pytest.raises(RuleViolation) as info:
            analyse(path, "csv")
        assert info.value.extensions["errors"][0]["field"] == "file.application_number"

    def test_chinese_headers_are_understood(self, tmp_path: Path) -> None:
        path = tmp_path / "cn.csv"
        path.write_text("申请号,申请人,申请日\n202010123456.2,华为技术有限公司,2020-03-01\n", encoding="utf-8")
        result = analyse(path, "csv")
        assert result["applications"] == 1
        assert result["applicants"]["top"][0]["key"] == "华为技术"

    def test_broken_json_lines_are_a_rule_violation(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.jsonl"
        path.write_text('{"application_number": "202010123456.2", "applicants": ["a"]}\n{not json\n', encoding="utf-8")
        with pytest.raises(RuleViolation):
            analyse(path, "jsonl")


class TestGeneratorAndReport:
    def test_the_generator_is_seeded_and_its_numbers_are_valid(self, tmp_path: Path) -> None:
        a = sample.write(tmp_path / "a.csv", 300, seed=7).read_text(encoding="utf-8")
        b = sample.write(tmp_path / "b.csv", 300, seed=7).read_text(encoding="utf-8")
        c = sample.write(tmp_path / "c.csv", 300, seed=8).read_text(encoding="utf-8")
        assert a == b and a != c
        rows = reference.read_csv(tmp_path / "a.csv")
        valid = sum(1 for r in rows if reference.number(r["application_number"])[0] is not None)
        assert len(rows) == 300 and valid >= 295  # a few numbers are corrupted on purpose

    def test_the_report_is_self_contained_html(self, actual: dict) -> None:
        page = report.render(actual, title="测试 <landscape>", meta=[("source", "fixture")])
        assert page.startswith("<!DOCTYPE html>")
        assert "测试 &lt;landscape&gt;" in page
        assert page.count("<svg") >= 8
        lowered = page.lower()
        for needle in ("<script", "<link", "src=", "@import", "url(", "https://"):
            assert needle not in lowered, needle
        assert "@media print" in page

    def test_text_from_the_data_is_escaped(self, actual: dict) -> None:
        hostile = copy.deepcopy(actual)
        hostile["applicants"]["top"][0]["name"] = "<script>alert(1)</script>"
        hostile["district"]["district_name"] = "<img src=x onerror=alert(2)>"
        hostile["inventors"]["top"][0]["name"] = "O'Brien & <b>Co</b>"
        hostile["regions"][0]["value"] = '"><svg onload=alert(3)>'
        page = report.render(hostile, title="<script>title</script>", subtitle="<i>org</i>", meta=[("<k>", "<v>")])
        lowered = page.lower()
        for needle in ("<script", "<img", "<b>", "<i>", "<k>", "<v>", "<svg onload"):
            assert needle not in lowered, needle
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, in the table and the chart
        assert "&lt;script&gt;title&lt;/script&gt;" in page
        assert "O&#39;Brien &amp; &lt;b&gt;Co&lt;/b&gt;" in page

    def test_a_landscape_without_data_renders_notes_instead_of_charts(self, actual: dict) -> None:
        empty = copy.deepcopy(actual)
        empty["years"] = {"first": None, "last": None, "series": [], "cagr": None}
        empty["applicants"]["top"] = []
        empty["legal_status"] = []
        empty["families"] = None
        empty["ipc"]["window"] = None
        page = report.render(empty, title="empty")
        assert page.count('<p class="note">no data</p>') == 3
        assert "同族 Families" not in page and "at least" not in page


def test_json_lines_without_application_numbers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "no-numbers.jsonl"
    path.write_text('{"applicants": ["a"]}\n{"publication_number": "CN1A"}\n', encoding="utf-8")
    with pytest.raises(RuleViolation) as info:
        analyse(path, "jsonl")
    assert info.value.extensions["errors"][0]["field"] == "file.application_number"


@pytest.fixture(scope="module")
def cells_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """List cells with empty items and spaces, numbers written with prefixes, spaces and without
    the dot, and duplicates three deep (the load cleans, splits and deduplicates these in SQL)."""
    n1, n2, n3, n4, n5 = (
        make_patent_number(year, digit, serial)
        for year, digit, serial in (
            (2019, "1", 100001),
            (2020, "2", 200002),
            (2021, "1", 300003),
            (2018, "1", 400004),
            (2017, "2", 500005),
        )
    )
    rows = [
        "publication_number,application_number,applicants,inventors,application_date,publication_date,ipc,legal_status",
        f'CN1A,{n1}," 甲公司 ;；乙有限公司| ;丙公司 ","张三;  ;李四 ; 张三",2019-03-01,2020-01-01,'  # noqa: RUF001
        '" H01M 4/525 ; ;G06F 3/01;H01M 10/05",审中',
        f"CN1B,cn{n1},甲公司,王五,2019-03-01,2021-05-05,B25J 9/16,有效",  # the latest publication: it wins
        f"CN1C,ZL {n1[:4]} {n1[4:]},戊公司,赵六,2019-03-01,,A61K 31/00,失效",  # no publication date: it loses
        f"CN2A,{n2.replace('.', '')},;;,,2020/02/02,2021-01-01,G06F 3/01 | H04L 9/32,",
        f'CN3A,CN {n3},"乙有限公司 ; 丁公司",李四,20210303,2022-02-02,"H01M 4/525;H01M 4/58",有效',
        f"CN4A,ZLCN{n4},甲公司,张三,2018-01-01,2019-01-01,H01M 4/525,有效",  # one prefix only: invalid
        f'CN5A,{n5},丁公司,"张三 ;李四",2017-05-05,2018-01-01,G06F 3/01,有效',
        f"CN5C,{n5},丙公司,王五,2017-05-05,2018-01-01,G06F 3/01,审中",  # same date: the greatest number wins
        f"CN5B,{n5},丁公司,王五,2017-05-05,2018-01-01,H04L 9/32,有效",
    ]
    path = tmp_path_factory.mktemp("cells") / "cells.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


class TestCellsAndNumbers:
    """The cells and numbers of `cells_csv`, counted by hand and by the plain-Python reference."""

    def test_the_figures_match_the_reference_and_the_hand_count(self, cells_csv: Path) -> None:
        actual = analyse(cells_csv, "csv")
        assert_same(actual, reference.landscape(reference.read_csv(cells_csv), district_applicants=()))
        assert actual["applications"] == 4  # N1, N2, N3, N5
        assert actual["quality"] == {
            "records": 9,
            "missing_application_number": 0,
            "invalid_application_number": 1,
            "duplicate_records": 4,
            "without_application_date": 0,
            "without_applicants": 1,
            "without_legal_status": 1,
        }
        # winners: N1 甲公司/王五/B25J, N2 -/-/G06F+H04L, N3 乙+丁/李四/H01M, N5 丙公司/王五/G06F
        assert actual["applicants"]["applicant_filings"] == 4
        assert actual["inventors"]["distinct"] == 2 and actual["inventors"]["mean_per_application"] == 0.75
        assert {s["code"]: s["filings"] for s in actual["ipc"]["subclasses"]} == {
            "G06F": 2,
            "H04L": 1,
            "B25J": 1,
            "H01M": 1,
        }
        assert actual["legal_status"] == [
            {"value": "valid", "filings": 2, "share": 0.5},
            {"value": "pending", "filings": 1, "share": 0.25},
            {"value": "unknown", "filings": 1, "share": 0.25},
        ]

    def test_json_arrays_with_null_and_blank_items_give_the_same_landscape(
        self, cells_csv: Path, tmp_path: Path
    ) -> None:
        jsonl = tmp_path / "cells.jsonl"
        with jsonl.open("w", encoding="utf-8") as out:
            for row in reference.read_csv(cells_csv):
                for column in ("applicants", "inventors"):
                    row[column] = [None, "  ", *reference.as_list(row[column]), ""]
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        assert_same(analyse(jsonl, "jsonl"), analyse(cells_csv, "csv"))
