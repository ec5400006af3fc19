# ruff: noqa: RUF001  (full-width separators and spaces are the data)
"""The list-cell split of the landscape load: its plain `;` paths (taken when no whitespace touches a
separator and no item can be empty) give exactly the lists of the one regular expression that
defines the split, on hand-picked cells and on seeded random cells of separators and whitespace."""

from __future__ import annotations

import random

import duckdb
import pytest

from navigation.datasets.landscape_sql import SPLIT, _split, lit

# the definition: trim the spaces at the ends, split on the expression, drop empty items
DEFINITION = f"list_filter(regexp_split_to_array(trim(t), {lit(SPLIT)}), lambda x: x <> '')"

CELLS = [
    None,
    "",
    "   ",
    ";",
    ";;",
    "甲公司",
    "甲公司;乙公司",
    ";甲公司",
    "甲公司;",
    "甲公司;;乙公司",
    " 甲公司 ; 乙公司 ",
    "甲公司；乙公司|丙公司",
    "甲公司\t;乙公司",
    "甲公司;\n乙公司",
    "\t甲公司;乙公司",
    "甲公司;乙公司\r",
    "甲 公司;乙\u3000公司",
    "H01M 10/0525;B60L 53/80",
    "张三;  ;李四 ; 张三",
]


def _compare(cells: list[str | None]) -> list[tuple[str | None, list[str] | None, list[str] | None]]:
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE cells AS SELECT unnest(?::VARCHAR[]) AS t", [cells])
        return con.execute(
            f"SELECT t, expected, actual FROM (SELECT t, {DEFINITION} AS expected, {_split('c')} AS actual "
            "FROM (SELECT t, trim(t) AS c FROM cells)) WHERE expected IS DISTINCT FROM actual"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("cell", CELLS)
def test_a_hand_picked_cell_splits_as_the_definition(cell: str | None) -> None:
    assert _compare([cell]) == []


def test_random_cells_of_separators_and_whitespace_split_as_the_definition() -> None:
    alphabet = ["a", "乙", " ", ";", ";", "；", "|", "\t", "\n", "\r", "\f", "\v", "\u3000", "\u00a0"]
    rng = random.Random(17)
    cells: list[str | None] = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(20_000)]
    assert _compare(cells) == []
