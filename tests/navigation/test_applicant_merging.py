# ruff: noqa: RUF001  (full-width punctuation is the data)
"""Applicant spellings merge in rankings and concentration figures only when a kept list says so
(the district's register or the operator's alias table), in DuckDB, and the landscape names every
merge it applied."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipops.identifiers import make_patent_number
from navigation.datasets.landscape import AnalysisOptions, analyse
from navigation.domain.applicants import ALIAS_TABLE, REGISTER, AliasGroup
from tests.navigation import reference

CN = "天津东丽科技有限公司"
EN = "Tianjin Dongli Tech Co Ltd"
APPLICANTS = [
    CN,
    CN,
    CN,
    EN,
    EN,
    "华为技术有限公司",
    "华为技术有限公司",
    "华为技术有限公司",
    "华为技术有限公司",
    "中兴通讯股份有限公司",
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "names.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["application_number", "applicants", "application_date", "legal_status"])
        for i, name in enumerate(APPLICANTS):
            year = 2016 + i % 5
            writer.writerow([make_patent_number(year, "1", 300 + i), name, f"{year}-05-01", "有效"])
    return path


def top(result: dict[str, Any]) -> dict[str, int]:
    return {a["name"]: a["filings"] for a in result["applicants"]["top"]}


def test_without_an_alias_the_two_names_stay_apart(data: Path) -> None:
    result = analyse(data, "csv")
    assert top(result) == {"华为技术有限公司": 4, CN: 3, EN: 2, "中兴通讯股份有限公司": 1}
    assert result["applicants"]["distinct"] == 4
    assert result["applicant_merges"] == []


def test_an_alias_merges_them_in_rankings_and_concentration(data: Path) -> None:
    aliases = [AliasGroup(CN, (EN,), ALIAS_TABLE)]
    result = analyse(data, "csv", AnalysisOptions(applicant_aliases=aliases))
    assert top(result) == {CN: 5, "华为技术有限公司": 4, "中兴通讯股份有限公司": 1}
    assert result["applicants"]["distinct"] == 3
    assert result["applicants"]["cr4"] == 1.0
    assert result["applicants"]["hhi"] == pytest.approx(50**2 + 40**2 + 10**2)
    assert result["applicant_merges"] == [
        {"canonical": CN, "key": "天津东丽科技", "variants": [EN], "filings": 2, "sources": [ALIAS_TABLE]}
    ]


def test_the_register_merges_its_aliases_and_counts_them_as_the_district(data: Path) -> None:
    aliases = [AliasGroup(CN, (EN,), REGISTER)]
    options = AnalysisOptions(district_applicants=[CN, EN], applicant_aliases=aliases)
    result = analyse(data, "csv", options)
    assert top(result)[CN] == 5
    assert result["district"]["district_filings"] == 5
    assert result["district"]["top_district_applicants"] == [{"name": CN, "filings": 5}]
    assert result["applicant_merges"][0]["sources"] == [REGISTER]


def test_the_operator_table_wins_over_the_register(data: Path) -> None:
    aliases = [
        AliasGroup("东丽控股集团有限公司", (EN,), REGISTER),
        AliasGroup(CN, (EN,), ALIAS_TABLE),
    ]
    result = analyse(data, "csv", AnalysisOptions(applicant_aliases=aliases))
    assert top(result)[CN] == 5


def test_a_group_pointing_at_a_registered_alias_lands_on_the_registered_name(data: Path) -> None:
    # the register says EN is 东丽控股's; the operator says the Chinese name is EN's: all three merge
    aliases = [AliasGroup("东丽控股集团有限公司", (EN,), REGISTER), AliasGroup(EN, (CN,), ALIAS_TABLE)]
    result = analyse(data, "csv", AnalysisOptions(applicant_aliases=aliases))
    assert top(result)["东丽控股集团有限公司"] == 5


def test_the_reference_agrees_with_aliases(data: Path) -> None:
    groups = [AliasGroup(CN, (EN,), ALIAS_TABLE), AliasGroup("华为技术有限公司", ("中兴通讯股份有限公司",), REGISTER)]
    options = AnalysisOptions(district_applicants=["华为技术有限公司"], applicant_aliases=groups)
    expected = reference.landscape(
        reference.read_csv(data), district_applicants=("华为技术有限公司",), aliases=tuple(groups)
    )
    assert analyse(data, "csv", options) == expected


POOL = [
    CN,
    EN,
    "TIANJIN DONGLI TECH CO., LTD.",
    "东丽控股集团有限公司",
    "华为技术有限公司",
    "中兴通讯股份有限公司",
    "（）",
]
GROUPS = st.lists(
    st.builds(
        AliasGroup,
        st.sampled_from(POOL),
        st.lists(st.sampled_from(POOL), max_size=3).map(tuple),
        st.sampled_from([REGISTER, ALIAS_TABLE]),
    ),
    max_size=4,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(groups=GROUPS, district=st.lists(st.sampled_from(POOL), max_size=2))
def test_any_alias_lists_give_the_reference_figures(data: Path, groups: list[AliasGroup], district: list[str]) -> None:
    """Whatever the lists say (overlaps, chains, swaps, names without letters), DuckDB and the
    plain-Python reading of the rules agree on rankings, concentration, district and merges."""
    options = AnalysisOptions(district_applicants=district, applicant_aliases=groups)
    expected = reference.landscape(reference.read_csv(data), district_applicants=tuple(district), aliases=tuple(groups))
    actual = analyse(data, "csv", options)
    for figure in ("applicants", "applicant_merges", "district"):
        assert actual[figure] == expected[figure], figure
