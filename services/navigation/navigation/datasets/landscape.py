"""The landscape of one patent data set, computed by DuckDB over the file on disk.

Records are never Python objects: the file is scanned by DuckDB, reduced to one row per
application in a DuckDB table (`landscape_sql`) and every figure is an aggregate query over it, so
1,000,000 records cost a few hundred MB at most (DuckDB spills to `temp_dir` beyond `memory_limit`).

What the figures mean (the tests recompute them independently from these definitions):
- A record whose application number is missing or fails its check digit (or has no known type
  digit) is counted in `quality` and left out. Records sharing an application number are one
  application: the one with the latest publication date wins (then the greatest publication
  number). Every count below counts applications ("filings").
- Application year: of the application date when it parses, else the year the number encodes.
- Applicants merge by `domain.patent_data` rules (the name key), then by the aliases of the
  district's register and the operator's alias table (`domain.applicants`: a mapping table joined
  on the name key, in SQL). The name shown is a group's canonical name, else the most frequent
  spelling (ties: the smallest string). `applicant_merges` lists each alias merge applied:
  `canonical`, its `key`, the `variants` (spellings of the data set an alias brought in, not the
  name key), `filings` (applications filed under those variants) and `sources` (register,
  alias_table). Rankings, CR4/HHI and the district figures all use the merged applicants.
  An applicant's `share` is its filings over all applicant-filing pairs, so shares sum to 1 with
  co-applicants and CR4 (sum of the top four shares) and HHI (sum of squared percentage shares,
  0..10000) stay well defined; `share_of_filings` is over applications.
- IPC: every code of an application counts once per level (section A..H, class H01, subclass H01M).
- Legal status: the value as exported, placed by the vocabulary `domain/legal_status.toml`
  (valid, pending, invalid; `unknown` when blank or not placeable). `unmapped_legal_status` lists
  the values it could not place (as written, up to 100, most filings first) with their `count` of
  applications; blank values are counted in `quality.without_legal_status` instead.
- PCT: the record's PCT flag, or a PCT national-phase type digit (8 or 9).
- District: an application with an applicant on the district's list, or an address naming the
  district.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from ipops.errors import RuleViolation
from navigation.datasets.landscape_sql import AnalysisOptions, connect, load, name_keys
from navigation.domain import landscape as figures
from navigation.domain import patent_data as rules

__all__ = ["SCHEMA", "AnalysisOptions", "analyse", "name_keys"]

SCHEMA = "ipops.navigation.landscape.v1"
UNMAPPED_LIMIT = 100


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _years(con: duckdb.DuckDBPyConnection, column: str = "year", table: str = "app") -> dict[str, Any]:
    counts = dict(_rows(con, f"SELECT {column}, count(*) FROM {table} WHERE {column} IS NOT NULL GROUP BY 1"))
    return figures.year_series(counts)


def _applicants(con: duckdb.DuckDBPyConnection, applications: int, options: AnalysisOptions) -> dict[str, Any]:
    pairs = int(_one(con, "SELECT count(*) FROM app_applicant"))
    ranked = _rows(
        con,
        """
        SELECT a.key, n.name, a.filings, n.variants FROM (
            SELECT key, count(*) AS filings FROM app_applicant GROUP BY key
        ) a JOIN applicant_shown n ON n.key = a.key
        ORDER BY a.filings DESC, a.key
        """,
    )
    shares = [filings / pairs for _, _, filings, _ in ranked] if pairs else []
    top = [
        {
            "name": name,
            "key": key,
            "filings": int(filings),
            "share": figures.r4(filings / pairs),
            "share_of_filings": figures.share(filings, applications),
            "variants": int(variants),
        }
        for key, name, filings, variants in ranked[: options.top_n]
    ]
    cr4, hhi = figures.concentration(shares)
    return {"distinct": len(ranked), "applicant_filings": pairs, "top": top, "cr4": cr4, "hhi": hhi}


def _merges(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The alias merges applied: per canonical applicant, the spellings of the data set that an
    alias (not the name key) brought to it, the applications filed under them, and the lists the
    aliases came from."""
    rows = _rows(
        con,
        """
        SELECT m.key, s.name, list_sort(list(DISTINCT m.name)), count(DISTINCT r.app_no) AS filings,
               list_sort(list(DISTINCT m.source))
        FROM applicant_raw r JOIN name_map m USING (name) JOIN applicant_shown s ON s.key = m.key
        WHERE m.key <> m.own_key GROUP BY m.key, s.name ORDER BY filings DESC, m.key
        """,
    )
    # the last reader of the per-occurrence applicant rows: freed before the IPC and inventor
    # unnests, which at 1M records otherwise push DuckDB over its memory limit (85 MB spilled)
    con.execute("DROP TABLE applicant_raw")
    return [
        {"canonical": name, "key": key, "variants": list(variants), "filings": int(n), "sources": list(sources)}
        for key, name, variants, n, sources in rows
    ]


def _ipc_level(con: duckdb.DuckDBPyConnection, width: int, limit: int | None, applications: int) -> list[dict]:
    # `app_sub` holds each application's subclass once: its rows count filings per subclass, and a
    # class or section (an application may have several subclasses in one) counts distinct numbers
    n = "count(*)" if width == 4 else "count(DISTINCT app_no)"
    rows = _rows(
        con,
        f"SELECT left(sub, {width}) AS c, {n} AS n FROM app_sub GROUP BY c "
        f"ORDER BY n DESC, c {'' if limit is None else f'LIMIT {int(limit)}'}",
    )
    return [{"code": c, "filings": int(n), "share": figures.share(n, applications)} for c, n in rows]


def _sections(con: duckdb.DuckDBPyConnection, applications: int) -> tuple[int, list[dict]]:
    """The applications with a code, and the sections (A..H, as `_ipc_level` gives them): a bit per
    section per application, one grouping by number instead of a distinct count per section and
    another for the applications (half the cost)."""
    counts = ", ".join(f"count(*) FILTER (WHERE m & {1 << i} <> 0)" for i in range(8))
    row = con.execute(
        f"SELECT count(*), {counts} FROM (SELECT app_no, bit_or(1 << (ascii(sub) - 65)) AS m FROM app_sub GROUP BY 1)"
    ).fetchone()
    assert row is not None
    with_ipc, *per_section = (int(n) for n in row)
    ranked = sorted(((chr(65 + i), n) for i, n in enumerate(per_section) if n), key=lambda cn: (-cn[1], cn[0]))
    return with_ipc, [{"code": c, "filings": n, "share": figures.share(n, applications)} for c, n in ranked]


def _fastest_growing(con: duckdb.DuckDBPyConnection, last_year: int) -> tuple[dict[str, Any], list[dict]]:
    earlier, recent = figures.growth_windows(last_year)
    rows = _rows(
        con,
        """
        SELECT sub, earlier, recent, (recent - earlier) / earlier AS growth FROM (
            SELECT sub,
                   count(*) FILTER (WHERE year BETWEEN ? AND ?) AS earlier,
                   count(*) FILTER (WHERE year BETWEEN ? AND ?) AS recent
            FROM app_sub GROUP BY sub
        ) WHERE earlier >= ? ORDER BY growth DESC, recent DESC, sub LIMIT 10
        """,
        [*earlier, *recent, rules.GROWTH_MIN_BASE],
    )
    window = {"earlier": list(earlier), "recent": list(recent), "min_base": rules.GROWTH_MIN_BASE}
    return window, [
        {"subclass": s, "earlier": int(e), "recent": int(r), "growth": figures.r4(g)} for s, e, r, g in rows
    ]


def _ipc(con: duckdb.DuckDBPyConnection, applications: int, last_year: int | None, options: AnalysisOptions) -> dict:
    # Codes are normalised once per distinct spelling (`fold` per row costs more than the rest; a
    # filter on the map's output is pushed below its DISTINCT, so the check runs on the stored codes,
    # once per spelling), and only the subclass is kept: every figure is at subclass level or above.
    # The lists are unnested twice rather than stored unnested (cheaper, and nothing to spill).
    con.execute(
        """
        CREATE TEMP TABLE ipc_code AS
        SELECT raw, replace(upper(fold(raw)), ' ', '') AS code FROM (SELECT DISTINCT unnest(ipc) AS raw FROM app);
        CREATE TEMP TABLE ipc_map AS
        SELECT raw, left(code, 4) AS sub FROM ipc_code WHERE regexp_matches(code, '^[A-H][0-9]{2}[A-Z]');
        CREATE TEMP TABLE app_sub AS SELECT DISTINCT app_no, year, sub
        FROM (SELECT app_no, year, unnest(ipc) AS raw FROM app) JOIN ipc_map USING (raw);
        """
    )
    with_ipc, sections = _sections(con, applications)
    result: dict[str, Any] = {
        "applications_with_ipc": with_ipc,
        "sections": sections,
        "classes": _ipc_level(con, 3, options.top_n, applications),
        "subclasses": _ipc_level(con, 4, options.top_n, applications),
        "fastest_growing": [],
        "window": None,
    }
    if last_year is not None:
        result["window"], result["fastest_growing"] = _fastest_growing(con, last_year)
    con.execute("DROP TABLE app_sub")  # freed for the inventors (see `_merges`)
    return result


def _mix(con: duckdb.DuckDBPyConnection, column: str, applications: int, limit: int | None = None) -> list[dict]:
    source = "app"
    if column == "legal":  # placed by the vocabulary per distinct value (`legal_map`), not stored per row
        source = "(SELECT coalesce(l.status, 'unknown') AS legal FROM app LEFT JOIN legal_map l ON l.raw = legal_raw)"
    rows = _rows(
        con,
        f"SELECT {column}, count(*) AS n FROM {source} GROUP BY 1 ORDER BY n DESC, 1"
        + ("" if limit is None else f" LIMIT {int(limit)}"),
    )
    return [{"value": v, "filings": int(n), "share": figures.share(n, applications)} for v, n in rows]


def _inventors(con: duckdb.DuckDBPyConnection, applications: int, options: AnalysisOptions) -> dict[str, Any]:
    # Names are folded once per distinct spelling and numbered (in name order): the distinct
    # (application, inventor) pairs are then pairs of integers, cheaper to hash than text. The
    # `name <> ''` filter is applied to the stored map (in the map's own statement it would be pushed
    # below its DISTINCT). Each spelling maps straight to its number: one join per occurrence, not two;
    # the lists are unnested twice rather than stored unnested (3.2M rows at 1M records).
    con.execute(
        """
        CREATE TEMP TABLE inventor_map AS
        SELECT raw, trim(fold(raw)) AS name FROM (SELECT DISTINCT unnest(inventors) AS raw FROM app);
        CREATE TEMP TABLE inventor AS
        SELECT name, row_number() OVER (ORDER BY name) AS id FROM (SELECT DISTINCT name FROM inventor_map);
        CREATE TEMP TABLE inventor_id AS
        SELECT m.raw, i.id FROM inventor_map m JOIN inventor i ON i.name = m.name WHERE m.name <> '';
        CREATE TEMP TABLE app_inventor AS SELECT DISTINCT r.app_no, k.id
        FROM (SELECT app_no, unnest(inventors) AS raw FROM app) r JOIN inventor_id k USING (raw);
        """
    )
    row = con.execute("SELECT count(DISTINCT id), count(*), count(DISTINCT app_no) FROM app_inventor").fetchone()
    assert row is not None
    distinct, pairs, with_inventors = (int(v) for v in row)
    top = _rows(
        con,
        f"""
        SELECT i.name, a.n FROM (SELECT id, count(*) AS n FROM app_inventor GROUP BY id) a
        JOIN inventor i USING (id) ORDER BY a.n DESC, i.name LIMIT {options.top_n}
        """,
    )
    return {
        "distinct": distinct,
        "mean_per_application": figures.share(pairs, applications),
        "applications_without_inventors": applications - with_inventors,
        "top": [{"name": name, "filings": int(n)} for name, n in top],
    }


def _district(con: duckdb.DuckDBPyConnection, applications: int, options: AnalysisOptions) -> dict[str, Any]:
    con.execute(
        """
        CREATE TEMP TABLE district_app AS
        SELECT app_no FROM app WHERE district_address
        UNION
        SELECT app_no FROM app_applicant WHERE key IN (SELECT key FROM district)
        """
    )
    own = int(_one(con, "SELECT count(*) FROM district_app"))
    top = _rows(
        con,
        f"""
        SELECT n.name, count(*) AS filings FROM app_applicant a
        JOIN applicant_shown n ON n.key = a.key
        WHERE a.app_no IN (SELECT app_no FROM district_app)
          AND (a.key IN (SELECT key FROM district)
               OR (a.pos = 1 AND a.app_no IN (SELECT app_no FROM app WHERE district_address)))
        GROUP BY n.name ORDER BY filings DESC, n.name LIMIT {options.top_n}
        """,
    )
    return {
        "district_name": options.district_name,
        "listed_applicants": len(options.district_applicants),
        "district_filings": own,
        "other_filings": applications - own,
        "district_share": figures.share(own, applications),
        "top_district_applicants": [{"name": name, "filings": int(n)} for name, n in top],
    }


def _families(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    with_family = int(_one(con, "SELECT count(*) FROM app WHERE family_id IS NOT NULL"))
    if with_family == 0:
        return None
    con.execute(
        "CREATE TEMP TABLE family AS SELECT family_id, min(year) AS year, count(*) AS size FROM app "
        "WHERE family_id IS NOT NULL GROUP BY family_id"
    )
    families = int(_one(con, "SELECT count(*) FROM family"))
    return {
        "applications_with_family": with_family,
        "families": families,
        "mean_family_size": figures.r4(with_family / families),
        "largest_family_size": int(_one(con, "SELECT max(size) FROM family")),
        "per_year": _years(con, "year", "family")["series"],
    }


def _quality(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The record-level counts (taken by the load before duplicates were dropped) and the
    application-level ones."""
    row = con.execute("SELECT records, no_number, invalid, duplicates FROM rec_counts").fetchone()
    assert row is not None
    records, no_number, invalid, duplicates = (int(v) for v in row)
    if records and no_number == records:  # JSON Lines name no columns up front: check here
        raise RuleViolation(
            "no record has an application_number", field="file.application_number", missing=["application_number"]
        )
    return {
        "records": records,
        "missing_application_number": no_number,
        "invalid_application_number": invalid,
        "duplicate_records": duplicates,
        "without_application_date": int(_one(con, "SELECT count(*) FROM app WHERE undated")),
        "without_applicants": int(
            _one(con, "SELECT count(*) FROM app WHERE app_no NOT IN (SELECT app_no FROM app_applicant)")
        ),
        "without_legal_status": int(_one(con, "SELECT count(*) FROM app WHERE legal_raw IS NULL")),
    }


def _unmapped_legal_status(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The legal-status values the vocabulary could not place, as written, with their filings."""
    rows = _rows(
        con,
        f"""
        SELECT a.legal_raw, count(*) AS n FROM app a JOIN legal_map l ON l.raw = a.legal_raw
        WHERE NOT l.mapped GROUP BY 1 ORDER BY n DESC, 1 LIMIT {UNMAPPED_LIMIT}
        """,
    )
    return [{"value": value, "count": int(n)} for value, n in rows]


def _figures(con: duckdb.DuckDBPyConnection, options: AnalysisOptions) -> dict[str, Any]:
    quality = _quality(con)
    applications = int(_one(con, "SELECT count(*) FROM app"))
    years = _years(con)
    pct_filings = int(_one(con, "SELECT count(*) FROM app WHERE pct"))
    return {
        "schema": SCHEMA,
        "records": quality["records"],
        "applications": applications,
        "quality": quality,
        "years": years,
        "applicants": _applicants(con, applications, options),
        "applicant_merges": _merges(con),
        "ipc": _ipc(con, applications, years["last"], options),
        "legal_status": _mix(con, "legal", applications),
        "unmapped_legal_status": _unmapped_legal_status(con),
        "patent_types": _mix(con, "type", applications),
        "regions": _mix(con, "region", applications, limit=50),
        "pct": {"filings": pct_filings, "share": figures.share(pct_filings, applications)},
        "inventors": _inventors(con, applications, options),
        "district": _district(con, applications, options),
        "families": _families(con),
    }


def analyse(path: Path, fmt: str, options: AnalysisOptions | None = None) -> dict[str, Any]:
    """The landscape of the data set at `path` (`csv` or `jsonl`); a 422 RuleViolation naming the
    file or column at fault when it cannot be read."""
    options = options or AnalysisOptions()
    con = connect(options)
    try:
        load(con, path, fmt, options)
        return _figures(con, options)
    finally:
        con.close()
