# ruff: noqa: RUF001  (full-width separators are the data)
"""The landscape of one patent data set, computed by DuckDB over the file on disk.

Records are never Python objects: the file is scanned by DuckDB, reduced to one row per
application in a DuckDB table and every figure is an aggregate query over it, so 1,000,000 records
cost a few hundred MB at most (DuckDB spills to `temp_dir` beyond `memory_limit`).

What the figures mean (the tests recompute them independently from these definitions):
- A record whose application number is missing or fails its check digit (or has no known type
  digit) is counted in `quality` and left out. Records sharing an application number are one
  application: the one with the latest publication date wins (then the greatest publication
  number). Every count below counts applications ("filings").
- Application year: of the application date when it parses, else the year the number encodes.
- Applicants merge by `domain.patent_data` rules; the name shown is the most frequent spelling
  (ties: the smallest string). An applicant's `share` is its filings over all applicant-filing
  pairs, so shares sum to 1 with co-applicants and CR4 (sum of the top four shares) and HHI (sum
  of squared percentage shares, 0..10000) stay well defined; `share_of_filings` is over applications.
- IPC: every code of an application counts once per level (section A..H, class H01, subclass H01M).
- PCT: the record's PCT flag, or a PCT national-phase type digit (8 or 9).
- District: an application with an applicant on the district's list, or an address naming the
  district.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ipops.errors import RuleViolation
from navigation.domain import patent_data as rules

SCHEMA = "ipops.navigation.landscape.v1"
SPLIT = r"\s*[;；|]\s*"


@dataclass(frozen=True)
class AnalysisOptions:
    """Knobs of one analysis."""

    district_applicants: Sequence[str] = ()
    district_name: str | None = "东丽"
    top_n: int = 20
    memory_limit: str = "512MB"
    threads: int = 2
    temp_dir: Path | None = None


def _lit(value: str) -> str:
    """A SQL string literal (the values are our own constants and paths, quoted all the same)."""
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _r4(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _connect(options: AnalysisOptions) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = {_lit(options.memory_limit)}")
    con.execute(f"SET threads = {int(options.threads)}")
    if options.temp_dir is not None:
        options.temp_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = {_lit(str(options.temp_dir))}")
    con.execute("SET preserve_insertion_order = false")
    suffix_cn = "|".join(rules.CN_SUFFIXES)
    suffix_en = "|".join(rules.EN_SUFFIX_WORDS)
    # fold width, upper-case, punctuation to spaces, strip legal forms, drop spaces
    con.execute(
        f"""
        CREATE MACRO fold(s) AS translate(s, {_lit(rules.FULL_WIDTH)}, {_lit(rules.HALF_WIDTH)});
        CREATE MACRO spaced(s) AS trim(regexp_replace(upper(fold(s)), '[^\\p{{L}}\\p{{N}}]+', ' ', 'g'));
        CREATE MACRO stripped(s) AS regexp_replace(
            regexp_replace(s, '(\\s*({suffix_cn}))+$', ''), '(\\s+({suffix_en}))+$', '');
        CREATE MACRO name_key(s) AS coalesce(
            nullif(replace(stripped(spaced(s)), ' ', ''), ''), nullif(replace(spaced(s), ' ', ''), ''));
        """
    )
    return con


def name_keys(names: Sequence[str]) -> list[str | None]:
    """The merge key of each applicant name, as the analysis computes it (for checks and tools)."""
    con = _connect(AnalysisOptions())
    try:
        con.execute("CREATE TEMP TABLE n(i INTEGER, name VARCHAR)")
        con.executemany("INSERT INTO n VALUES (?, ?)", list(enumerate(names)))
        return [row[0] for row in con.execute("SELECT name_key(name) FROM n ORDER BY i").fetchall()]
    finally:
        con.close()


def _source_sql(con: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> str:
    """A SELECT giving every canonical column (lists as VARCHAR[]), or a 422 naming the fault."""
    if fmt == "csv":
        scan = f"read_csv({_lit(str(path))}, header = true, all_varchar = true, strict_mode = false)"
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
        except duckdb.Error as exc:
            raise RuleViolation(f"the file cannot be read as CSV: {_reason(exc, path)}", field="file") from exc
        present: dict[str, str] = {}
        for name, *_rest in described:
            canonical = rules.canonical_column(str(name))
            if canonical is None:
                continue
            if canonical in present:
                raise RuleViolation(f"two columns mean {canonical}: {present[canonical]!r} and {name!r}", field="file")
            present[canonical] = str(name)
        missing = [c for c in rules.REQUIRED_COLUMNS if c not in present]
        if missing:
            raise RuleViolation(
                "the file lacks the column(s) " + ", ".join(missing), field=f"file.{missing[0]}", missing=missing
            )
        parts = []
        for column in rules.ANALYSED_COLUMNS:
            if column not in present:
                parts.append(f"NULL::{'VARCHAR[]' if column in rules.LIST_COLUMNS else 'VARCHAR'} AS {column}")
            elif column in rules.LIST_COLUMNS:
                parts.append(f"regexp_split_to_array(trim({_ident(present[column])}), {_lit(SPLIT)}) AS {column}")
            else:
                parts.append(f"trim({_ident(present[column])}) AS {column}")
        return f"SELECT {', '.join(parts)} FROM {scan}"
    columns = ", ".join(f"{c}: 'JSON'" for c in rules.ANALYSED_COLUMNS)
    scan = f"read_json({_lit(str(path))}, format = 'newline_delimited', columns = {{{columns}}})"
    parts = []
    for column in rules.ANALYSED_COLUMNS:
        if column in rules.LIST_COLUMNS:
            parts.append(
                f"CASE WHEN json_type({column}) = 'ARRAY' THEN from_json({column}, '[\"VARCHAR\"]') "
                f"ELSE regexp_split_to_array(trim({column} ->> '$'), {_lit(SPLIT)}) END AS {column}"
            )
        else:
            parts.append(f"trim({column} ->> '$') AS {column}")
    return f"SELECT {', '.join(parts)} FROM {scan}"


def _load(con: duckdb.DuckDBPyConnection, path: Path, fmt: str, options: AnalysisOptions) -> None:
    source = _source_sql(con, path, fmt)
    legal = ", ".join(f"({_lit(k)}, {_lit(v)})" for k, v in rules.LEGAL_STATUS.items())
    types = ", ".join(f"({_lit(k)}, {_lit(v)})" for k, v in rules.PATENT_TYPES.items())
    truthy = ", ".join(_lit(w) for w in sorted(rules.TRUE_WORDS))
    con.execute(f"CREATE TEMP TABLE legal_map(raw VARCHAR, status VARCHAR); INSERT INTO legal_map VALUES {legal}")
    con.execute(f"CREATE TEMP TABLE type_map(digit VARCHAR, type VARCHAR); INSERT INTO type_map VALUES {types}")
    con.execute("CREATE TEMP TABLE district(key VARCHAR)")
    if options.district_applicants:
        con.executemany("INSERT INTO district SELECT name_key(?)", [[n] for n in options.district_applicants])
    dates = "['%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%Y.%m.%d']"
    digits = ", ".join(_lit(d) for d in rules.PATENT_TYPES)
    district_address = "false"
    if options.district_name:
        district_address = f"coalesce(r.address LIKE {_lit('%' + options.district_name + '%')}, false)"
    try:
        con.execute(
            f"""
            CREATE TEMP TABLE rec AS
            WITH c AS (
                SELECT *,
                    CASE WHEN shape_ok AND length(body) = 12 THEN ({_weighted(12)}) % 11
                         WHEN shape_ok THEN ({_weighted(8)}) % 11 END AS expected,
                    CASE length(body) WHEN 12 THEN substr(body, 5, 1) WHEN 8 THEN substr(body, 3, 1) END AS digit
                FROM (
                    SELECT *, regexp_full_match(an, '(\\d{{12}}|\\d{{8}})[0-9X]') AS shape_ok,
                           left(an, length(an) - 1) AS body, right(an, 1) AS chk
                    FROM (
                        SELECT *,
                            regexp_replace(upper(coalesce(application_number, '')), '^(ZL|CN)|[\\s.]', '', 'g') AS an
                        FROM ({source})
                    )
                )
            )
            SELECT
                -- the application as an integer key (body * 16 + check; an 8-digit body is below any
                -- 12-digit one): joins and distinct counts on it are several times cheaper than on text
                CASE WHEN shape_ok AND chk = CASE expected WHEN 10 THEN 'X' ELSE expected::VARCHAR END
                     AND digit IN ({digits})
                     THEN try_cast(body AS BIGINT) * 16 + CASE chk WHEN 'X' THEN 10 ELSE try_cast(chk AS INTEGER) END
                END AS app_no,
                application_number IS NULL OR application_number = '' AS no_number,
                digit,
                try_strptime(application_date, {dates})::DATE AS app_date,
                try_strptime(publication_date, {dates})::DATE AS pub_date,
                publication_number AS pub_no,
                CASE WHEN length(body) = 12 THEN try_cast(left(body, 4) AS INTEGER)
                     WHEN length(body) = 8 THEN try_cast(left(body, 2) AS INTEGER)
                          + CASE WHEN try_cast(left(body, 2) AS INTEGER) >= 85 THEN 1900 ELSE 2000 END
                END AS number_year,
                list_filter(applicants, lambda x: x IS NOT NULL AND trim(x) <> '') AS applicants,
                list_filter(inventors, lambda x: x IS NOT NULL AND trim(x) <> '') AS inventors,
                list_filter(ipc, lambda x: x IS NOT NULL AND trim(x) <> '') AS ipc,
                lower(trim(legal_status)) AS legal_raw,
                nullif(trim(region), '') AS region,
                coalesce(lower(trim(pct)) IN ({truthy}), false) AS pct_flag,
                nullif(trim(family_id), '') AS family_id,
                address
            FROM c
            """
        )
    except duckdb.Error as exc:
        raise RuleViolation(f"the file cannot be read as {fmt}: {_reason(exc, path)}", field="file") from exc
    con.execute(
        f"""
        CREATE TEMP TABLE app AS
        SELECT r.app_no, coalesce(year(r.app_date), r.number_year) AS year, t.type,
               coalesce(l.status, 'unknown') AS legal, coalesce(r.region, 'unknown') AS region,
               r.pct_flag OR r.digit IN ('8', '9') AS pct, r.family_id, r.applicants, r.inventors, r.ipc,
               r.app_date IS NULL AS undated,
               {district_address} AS district_address
        FROM rec r
        JOIN type_map t ON t.digit = r.digit
        LEFT JOIN legal_map l ON l.raw = r.legal_raw
        WHERE r.app_no IS NOT NULL
        -- one row per application: the latest publication (then the greatest number) wins
        QUALIFY row_number() OVER (
            PARTITION BY r.app_no ORDER BY r.pub_date DESC NULLS LAST, r.pub_no DESC NULLS LAST) = 1
        """
    )
    # Names are normalised once per distinct spelling (a few thousand even in a million records),
    # never once per occurrence: the width folding and suffix regexes are the costly part.
    con.execute(
        """
        CREATE TEMP TABLE applicant_raw AS
        SELECT app_no, trim(name) AS name, pos FROM (
            SELECT app_no, unnest(applicants) AS name, generate_subscripts(applicants, 1) AS pos FROM app
        );
        CREATE TEMP TABLE name_map AS
        SELECT name, name_key(name) AS key FROM (SELECT DISTINCT name FROM applicant_raw);
        CREATE TEMP TABLE app_applicant AS
        SELECT app_no, key, min(pos) AS pos FROM applicant_raw JOIN name_map USING (name)
        WHERE key IS NOT NULL GROUP BY app_no, key;
        CREATE TEMP TABLE applicant_name AS
        SELECT key, name, n, count(*) OVER (PARTITION BY key) AS variants,
               row_number() OVER (PARTITION BY key ORDER BY n DESC, name) AS pick
        FROM (
            SELECT m.key, r.name, count(*) AS n FROM applicant_raw r JOIN name_map m USING (name)
            WHERE m.key IS NOT NULL GROUP BY ALL
        );
        """
    )


def _reason(exc: Exception, path: Path) -> str:
    """DuckDB's explanation, without our directory layout (UTF-8 is expected: GBK exports are
    refused here with DuckDB's own words, and must be re-saved as UTF-8)."""
    return str(exc).replace(str(path), "the upload")[:300]


def _weighted(width: int) -> str:
    """Sum of digit x weight over an application-number body (weights 2..9 repeating), unrolled:
    a list lambda per row costs more than the whole rest of the scan."""
    return " + ".join(f"(ascii(substr(body, {i + 1}, 1)) - 48) * {2 + i % 8}" for i in range(width))


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _years(con: duckdb.DuckDBPyConnection, column: str = "year", table: str = "app") -> dict[str, Any]:
    counts = dict(_rows(con, f"SELECT {column}, count(*) FROM {table} WHERE {column} IS NOT NULL GROUP BY 1"))
    if not counts:
        return {"first": None, "last": None, "series": [], "cagr": None}
    first, last = min(counts), max(counts)
    series = []
    previous: int | None = None
    for year in range(first, last + 1):
        n = int(counts.get(year, 0))
        growth = None if not previous else _r4((n - previous) / previous)
        series.append({"year": year, "filings": n, "growth": growth})
        previous = n
    start, end = counts[first], counts[last]
    cagr = _r4((end / start) ** (1 / (last - first)) - 1) if last > first and start > 0 else None
    return {"first": first, "last": last, "series": series, "cagr": cagr}


def _applicants(con: duckdb.DuckDBPyConnection, applications: int, options: AnalysisOptions) -> dict[str, Any]:
    pairs = int(_one(con, "SELECT count(*) FROM app_applicant"))
    ranked = _rows(
        con,
        """
        SELECT a.key, n.name, a.filings, n.variants FROM (
            SELECT key, count(*) AS filings FROM app_applicant GROUP BY key
        ) a JOIN applicant_name n ON n.key = a.key AND n.pick = 1
        ORDER BY a.filings DESC, a.key
        """,
    )
    shares = [filings / pairs for _, _, filings, _ in ranked] if pairs else []
    top = [
        {
            "name": name,
            "key": key,
            "filings": int(filings),
            "share": _r4(filings / pairs),
            "share_of_filings": _r4(filings / applications) if applications else None,
            "variants": int(variants),
        }
        for key, name, filings, variants in ranked[: options.top_n]
    ]
    return {
        "distinct": len(ranked),
        "applicant_filings": pairs,
        "top": top,
        "cr4": _r4(sum(shares[:4])) if shares else None,
        "hhi": round(sum((s * 100) ** 2 for s in shares), 1) if shares else None,
    }


def _ipc(con: duckdb.DuckDBPyConnection, applications: int, last_year: int | None, options: AnalysisOptions) -> dict:
    con.execute(
        """
        CREATE TEMP TABLE ipc_raw AS SELECT app_no, year, unnest(ipc) AS raw FROM app;
        CREATE TEMP TABLE ipc_map AS
        SELECT raw, replace(upper(fold(raw)), ' ', '') AS code FROM (SELECT DISTINCT raw FROM ipc_raw);
        CREATE TEMP TABLE app_ipc AS
        SELECT DISTINCT app_no, year, code FROM ipc_raw JOIN ipc_map USING (raw)
        WHERE regexp_matches(code, '^[A-H][0-9]{2}[A-Z]')
        """
    )

    def level(width: int, limit: int | None) -> list[dict[str, Any]]:
        rows = _rows(
            con,
            f"SELECT left(code, {width}) AS c, count(DISTINCT app_no) AS n FROM app_ipc GROUP BY c "
            f"ORDER BY n DESC, c {'' if limit is None else f'LIMIT {int(limit)}'}",
        )
        return [
            {"code": c, "filings": int(n), "share": _r4(n / applications) if applications else None} for c, n in rows
        ]

    result: dict[str, Any] = {
        "applications_with_ipc": int(_one(con, "SELECT count(DISTINCT app_no) FROM app_ipc")),
        "sections": level(1, None),
        "classes": level(3, options.top_n),
        "subclasses": level(4, options.top_n),
        "fastest_growing": [],
        "window": None,
    }
    if last_year is None:
        return result
    w = rules.GROWTH_WINDOW_YEARS
    recent = (last_year - w + 1, last_year)
    earlier = (last_year - 2 * w + 1, last_year - w)
    rows = _rows(
        con,
        """
        SELECT sub, earlier, recent, (recent - earlier) / earlier AS growth FROM (
            SELECT left(code, 4) AS sub,
                   count(DISTINCT app_no) FILTER (WHERE year BETWEEN ? AND ?) AS earlier,
                   count(DISTINCT app_no) FILTER (WHERE year BETWEEN ? AND ?) AS recent
            FROM app_ipc GROUP BY sub
        ) WHERE earlier >= ? ORDER BY growth DESC, recent DESC, sub LIMIT 10
        """,
        [*earlier, *recent, rules.GROWTH_MIN_BASE],
    )
    result["window"] = {"earlier": list(earlier), "recent": list(recent), "min_base": rules.GROWTH_MIN_BASE}
    result["fastest_growing"] = [
        {"subclass": s, "earlier": int(e), "recent": int(r), "growth": _r4(g)} for s, e, r, g in rows
    ]
    return result


def _mix(con: duckdb.DuckDBPyConnection, column: str, applications: int, limit: int | None = None) -> list[dict]:
    rows = _rows(
        con,
        f"SELECT {column}, count(*) AS n FROM app GROUP BY 1 ORDER BY n DESC, 1"
        + ("" if limit is None else f" LIMIT {int(limit)}"),
    )
    return [{"value": v, "filings": int(n), "share": _r4(n / applications) if applications else None} for v, n in rows]


def _inventors(con: duckdb.DuckDBPyConnection, applications: int, options: AnalysisOptions) -> dict[str, Any]:
    con.execute(
        """
        CREATE TEMP TABLE inventor_raw AS SELECT app_no, unnest(inventors) AS raw FROM app;
        CREATE TEMP TABLE inventor_map AS
        SELECT raw, trim(fold(raw)) AS name FROM (SELECT DISTINCT raw FROM inventor_raw);
        CREATE TEMP TABLE app_inventor AS
        SELECT DISTINCT app_no, name FROM inventor_raw JOIN inventor_map USING (raw) WHERE name <> ''
        """
    )
    distinct = int(_one(con, "SELECT count(DISTINCT name) FROM app_inventor"))
    pairs = int(_one(con, "SELECT count(*) FROM app_inventor"))
    with_inventors = int(_one(con, "SELECT count(DISTINCT app_no) FROM app_inventor"))
    top = _rows(
        con, f"SELECT name, count(*) AS n FROM app_inventor GROUP BY name ORDER BY n DESC, name LIMIT {options.top_n}"
    )
    return {
        "distinct": distinct,
        "mean_per_application": _r4(pairs / applications) if applications else None,
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
        JOIN applicant_name n ON n.key = a.key AND n.pick = 1
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
        "district_share": _r4(own / applications) if applications else None,
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
        "mean_family_size": _r4(with_family / families),
        "largest_family_size": int(_one(con, "SELECT max(size) FROM family")),
        "per_year": _years(con, "year", "family")["series"],
    }


def analyse(path: Path, fmt: str, options: AnalysisOptions | None = None) -> dict[str, Any]:
    """The landscape of the data set at `path` (`csv` or `jsonl`); a 422 RuleViolation naming the
    file or column at fault when it cannot be read."""
    options = options or AnalysisOptions()
    con = _connect(options)
    try:
        _load(con, path, fmt, options)
        quality = con.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE no_number),
                   count(*) FILTER (WHERE app_no IS NULL AND NOT no_number),
                   count(*) FILTER (WHERE app_no IS NOT NULL) - count(DISTINCT app_no)
            FROM rec
            """
        ).fetchone()
        assert quality is not None
        records, no_number, invalid, duplicates = (int(v) for v in quality)
        if records and no_number == records:  # JSON Lines name no columns up front: check here
            raise RuleViolation(
                "no record has an application_number", field="file.application_number", missing=["application_number"]
            )
        con.execute("DROP TABLE rec")  # every later figure reads the one-row-per-application table
        applications = int(_one(con, "SELECT count(*) FROM app"))
        years = _years(con)
        return {
            "schema": SCHEMA,
            "records": records,
            "applications": applications,
            "quality": {
                "records": records,
                "missing_application_number": no_number,
                "invalid_application_number": invalid,
                "duplicate_records": duplicates,
                "without_application_date": int(_one(con, "SELECT count(*) FROM app WHERE undated")),
                "without_applicants": int(
                    _one(con, "SELECT count(*) FROM app WHERE app_no NOT IN (SELECT app_no FROM app_applicant)")
                ),
            },
            "years": years,
            "applicants": _applicants(con, applications, options),
            "ipc": _ipc(con, applications, years["last"], options),
            "legal_status": _mix(con, "legal", applications),
            "patent_types": _mix(con, "type", applications),
            "regions": _mix(con, "region", applications, limit=50),
            "pct": {
                "filings": int(_one(con, "SELECT count(*) FROM app WHERE pct")),
                "share": _r4(_one(con, "SELECT count(*) FILTER (WHERE pct) / count(*) FROM app"))
                if applications
                else None,
            },
            "inventors": _inventors(con, applications, options),
            "district": _district(con, applications, options),
            "families": _families(con),
        }
    finally:
        con.close()
