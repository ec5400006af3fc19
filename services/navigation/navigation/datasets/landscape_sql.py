"""Loading a patent data set into DuckDB: the connection and its macros, the file scanned as
canonical columns, and the tables every figure is an aggregate over (`app`, one row per
application; `rec_counts`, the record-level counts taken before duplicates are dropped; the
applicant tables, with the alias map joined on name keys). What the figures mean is in
`navigation.datasets.landscape`; the rules applied here (headers, name variants, type digits) are
data in `navigation.domain.patent_data`, the legal-status vocabulary is
`domain/legal_status.toml`, the alias rules are `navigation.domain.applicants`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ipops.errors import RuleViolation
from navigation.domain import legal_status
from navigation.domain import patent_data as rules
from navigation.domain.applicants import SOURCE_RANK, AliasGroup

SPLIT = r"\s*[;；|]\s*"  # noqa: RUF001  (the full-width semicolon is a separator exports use)
DATES = "['%Y-%m-%d', '%Y%m%d', '%Y/%m/%d', '%Y.%m.%d']"


@dataclass(frozen=True)
class AnalysisOptions:
    """Knobs of one analysis."""

    district_applicants: Sequence[str] = ()
    applicant_aliases: Sequence[AliasGroup] = ()  # the register's and the operator's, merged in SQL
    district_name: str | None = "东丽"
    top_n: int = 20
    memory_limit: str = "512MB"
    threads: int = 2
    temp_dir: Path | None = None


def lit(value: str) -> str:
    """A SQL string literal (the values are our own constants and paths, quoted all the same)."""
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(options: AnalysisOptions) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the analysis's limits and the name-key macros."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = {lit(options.memory_limit)}")
    con.execute(f"SET threads = {int(options.threads)}")
    if options.temp_dir is not None:
        options.temp_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = {lit(str(options.temp_dir))}")
    con.execute("SET preserve_insertion_order = false")
    # the bar is drawn on the process's stdout (a service's log, a benchmark's result line)
    con.execute("SET enable_progress_bar = false")
    suffix_cn = "|".join(rules.CN_SUFFIXES)
    suffix_en = "|".join(rules.EN_SUFFIX_WORDS)
    # fold width, upper-case, punctuation to spaces, strip legal forms, drop spaces
    con.execute(
        f"""
        CREATE MACRO fold(s) AS translate(s, {lit(rules.FULL_WIDTH)}, {lit(rules.HALF_WIDTH)});
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
    con = connect(AnalysisOptions())
    try:
        con.execute("CREATE TEMP TABLE n(i INTEGER, name VARCHAR)")
        con.executemany("INSERT INTO n VALUES (?, ?)", list(enumerate(names)))
        return [row[0] for row in con.execute("SELECT name_key(name) FROM n ORDER BY i").fetchall()]
    finally:
        con.close()


def reason(exc: Exception, path: Path) -> str:
    """DuckDB's explanation, without our directory layout (UTF-8 is expected: GBK exports are
    refused here with DuckDB's own words, and must be re-saved as UTF-8)."""
    return str(exc).replace(str(path), "the upload")[:300]


def _csv_columns(con: duckdb.DuckDBPyConnection, scan: str, path: Path) -> dict[str, str]:
    """The file's header for each canonical column it has, or a 422 naming the fault."""
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    except duckdb.Error as exc:
        raise RuleViolation(f"the file cannot be read as CSV: {reason(exc, path)}", field="file") from exc
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
    return present


def _split(cell: str) -> str:
    """The list in a trimmed text cell, without empty items. Splitting eats the whitespace around
    every separator and `trim` the spaces at both ends, so an item of spaces can only be '' here: the
    cheap test is the whole one. A cell whose only separator is `;`, with no whitespace beside one and
    no tab, LF, FF or CR (RE2's `\\s`), splits the same on the plain `;` at a third of the regular
    expression's cost, and needs no filter (a lambda) when no item can be empty."""
    odd = [f"contains({cell}, {lit(s)})" for s in (" ;", "; ", "；", "|")]  # noqa: RUF001
    odd += [f"contains({cell}, chr({c}))" for c in (9, 10, 12, 13)]
    empty = [f"contains({cell}, ';;')", f"starts_with({cell}, ';')", f"ends_with({cell}, ';')", f"{cell} = ''"]
    return (
        f"CASE WHEN {' OR '.join(odd)} "
        f"THEN list_filter(regexp_split_to_array({cell}, {lit(SPLIT)}), lambda x: x <> '') "
        f"WHEN {' OR '.join(empty)} THEN list_filter(string_split({cell}, ';'), lambda x: x <> '') "
        f"ELSE string_split({cell}, ';') END"
    )


def _trimmed(column: str, text: str) -> str:
    """A cell without the spaces at its ends, but the address (only searched with LIKE, `_records_sql`)."""
    return text if column == "address" else f"trim({text})"


def _csv_source(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    scan = f"read_csv({lit(str(path))}, header = true, all_varchar = true, strict_mode = false)"
    present = _csv_columns(con, scan, path)
    inner, outer = [], []
    for column in rules.ANALYSED_COLUMNS:
        if column not in present:
            outer.append(f"NULL::{'VARCHAR[]' if column in rules.LIST_COLUMNS else 'VARCHAR'} AS {column}")
            continue
        inner.append(f"{_trimmed(column, _ident(present[column]))} AS {column}")
        outer.append(f"{_split(column)} AS {column}" if column in rules.LIST_COLUMNS else column)
    return f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {scan})"


def _jsonl_source(path: Path) -> str:
    columns = ", ".join(f"{c}: 'JSON'" for c in rules.ANALYSED_COLUMNS)
    scan = f"read_json({lit(str(path))}, format = 'newline_delimited', columns = {{{columns}}})"
    inner, outer = [], []
    for column in rules.ANALYSED_COLUMNS:
        text = f"{column} ->> '$'"
        if column in rules.LIST_COLUMNS:
            inner += [column, f"trim({text}) AS {column}_text"]
            outer.append(
                f"CASE WHEN json_type({column}) = 'ARRAY' "
                f"THEN list_filter(from_json({column}, '[\"VARCHAR\"]'), lambda x: x IS NOT NULL AND trim(x) <> '') "
                f"ELSE {_split(f'{column}_text')} END AS {column}"
            )
        else:
            inner.append(f"{_trimmed(column, text)} AS {column}")
            outer.append(column)
    return f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {scan})"


def source_sql(con: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> str:
    """A SELECT giving every canonical column (lists as VARCHAR[]), or a 422 naming the fault."""
    return _csv_source(con, path) if fmt == "csv" else _jsonl_source(path)


def _weighted(width: int) -> str:
    """Sum of digit x weight over an application-number body (weights 2..9 repeating), unrolled,
    from the body as an integer (`n`): integer division per digit costs half of `substr` and `ascii`
    per digit, and a list lambda per row costs more than the whole rest of the scan."""
    return " + ".join(f"((n // {10 ** (width - 1 - i)}) % 10) * {2 + i % 8}" for i in range(width))


def _checked_numbers_sql(source: str) -> str:
    """The source with its application number cleaned (`an`), split into body (`n` as an integer)
    and check character, the check character expected from the body, and the type digit."""
    # a leading ZL or CN, whitespace (RE2 \s: tab, LF, FF, CR, space) and dots dropped, without a
    # regular expression: a third of the cost of the number's check (a `replace` per character is
    # half the cost of one `translate`)
    an = "CASE WHEN left(u, 2) IN ('ZL', 'CN') THEN substr(u, 3) ELSE u END"
    for dropped in ("chr(9)", "chr(10)", "chr(12)", "chr(13)", "' '", "'.'"):
        an = f"replace({an}, {dropped}, '')"
    return f"""
        SELECT *,
            CASE WHEN shape_ok AND length(body) = 12 THEN ({_weighted(12)}) % 11
                 WHEN shape_ok THEN ({_weighted(8)}) % 11 END AS expected,
            CASE length(body) WHEN 12 THEN substr(body, 5, 1) WHEN 8 THEN substr(body, 3, 1) END AS digit
        FROM (
            SELECT *, CASE WHEN shape_ok THEN try_cast(body AS BIGINT) END AS n FROM (
                SELECT *, regexp_full_match(an, '(\\d{{12}}|\\d{{8}})[0-9X]') AS shape_ok,
                       left(an, length(an) - 1) AS body, right(an, 1) AS chk
                FROM (
                    SELECT *, {an} AS an FROM (SELECT *, upper(coalesce(application_number, '')) AS u FROM ({source}))
                )
            )
        )
    """


def _one_of(expr: str, values: Iterable[str]) -> str:
    """`expr IN (values)` as equalities: DuckDB plans an IN list of five or more as a join per row."""
    return "(" + " OR ".join(f"{expr} = {lit(v)}" for v in values) + ")"


def _records_sql(source: str, options: AnalysisOptions) -> str:
    """`app`, at first one row per record: typed, with its application number as an integer key (or
    NULL) and every per-record figure computed once (year, type, PCT, district address), so that
    the application table is this one with the invalid and superseded records deleted, never a copy
    of a million rows of lists."""
    typed = _one_of("digit", rules.PATENT_TYPES)
    types = " ".join(f"WHEN {lit(d)} THEN {lit(t)}" for d, t in rules.PATENT_TYPES.items())
    truthy = _one_of("pct_word", sorted(rules.TRUE_WORDS))
    district_address = "false"
    if options.district_name:
        # the source leaves the address untrimmed: its end spaces matter only to a name with some
        address = "address" if options.district_name.strip(" ") == options.district_name else "trim(address)"
        district_address = f"coalesce({address} LIKE {lit('%' + options.district_name + '%')}, false)"
    return f"""
        CREATE TEMP TABLE app AS
        WITH c AS ({_checked_numbers_sql(source)})
        SELECT
            -- the application as an integer key (body * 16 + check; an 8-digit body is below any
            -- 12-digit one): joins and distinct counts on it are several times cheaper than on text
            CASE WHEN shape_ok AND chk = CASE expected WHEN 10 THEN 'X' ELSE expected::VARCHAR END
                 AND {typed}
                 THEN n * 16 + CASE chk WHEN 'X' THEN 10 ELSE try_cast(chk AS INTEGER) END
            END AS app_no,
            application_number IS NULL OR application_number = '' AS no_number,
            coalesce(year(d), CASE
                WHEN length(body) = 12 THEN try_cast(left(body, 4) AS INTEGER)
                WHEN length(body) = 8 THEN try_cast(left(body, 2) AS INTEGER)
                     + CASE WHEN try_cast(left(body, 2) AS INTEGER) >= 85 THEN 1900 ELSE 2000 END
            END) AS year,
            CASE digit {types} END AS type,
            try_strptime(publication_date, {DATES})::DATE AS pub_date,
            publication_number AS pub_no,
            applicants,
            inventors,
            ipc,
            nullif(legal_status, '') AS legal_raw,
            coalesce(nullif(region, ''), 'unknown') AS region,
            coalesce({truthy}, false) OR digit IN ('8', '9') AS pct,
            nullif(family_id, '') AS family_id,
            d IS NULL AS undated,
            {district_address} AS district_address
        FROM (SELECT *, try_strptime(application_date, {DATES})::DATE AS d, lower(pct) AS pct_word FROM c)
    """


def _count_records(con: duckdb.DuckDBPyConnection) -> None:
    """`rec_counts`: the record-level quality counts, taken before `app` keeps one row per application."""
    con.execute(
        """
        CREATE TEMP TABLE rec_counts AS
        SELECT count(*) AS records, count(*) FILTER (WHERE no_number) AS no_number,
               count(*) FILTER (WHERE app_no IS NULL AND NOT no_number) AS invalid,
               count(app_no) - count(DISTINCT app_no) AS duplicates
        FROM app
        """
    )


def _keep_applications(con: duckdb.DuckDBPyConnection) -> None:
    """`app` down to one row per valid application, the latest publication (then the greatest
    number) winning. Only the few numbers that occur more than once are ranked, and the losers
    deleted in place: ranking a million rows (and copying their lists) cost more than the scan."""
    con.execute(
        """
        DELETE FROM app WHERE app_no IS NULL OR rowid IN (
            SELECT rowid FROM (
                SELECT rowid, row_number() OVER (
                    PARTITION BY app_no ORDER BY pub_date DESC NULLS LAST, pub_no DESC NULLS LAST) AS k
                FROM app
                WHERE app_no IN (SELECT app_no FROM app WHERE app_no IS NOT NULL GROUP BY app_no HAVING count(*) > 1)
            ) WHERE k > 1
        )
        """
    )


def _load_legal_map(con: duckdb.DuckDBPyConnection) -> None:
    """`legal_map`: each distinct legal-status value of the file, its status by the vocabulary
    (`domain.legal_status`), and whether the vocabulary placed it. Values are classified once per
    distinct spelling (a few dozen even in a million records), never once per record."""
    raws = [row[0] for row in con.execute("SELECT DISTINCT legal_raw FROM app WHERE legal_raw IS NOT NULL").fetchall()]
    statuses = [legal_status.classify(raw) for raw in raws]
    con.execute("CREATE TEMP TABLE legal_map(raw VARCHAR, status VARCHAR, mapped BOOLEAN)")
    if raws:
        con.execute(
            "INSERT INTO legal_map SELECT unnest(?), unnest(?), unnest(?)",
            [raws, [s or "unknown" for s in statuses], [s is not None for s in statuses]],
        )


def _load_aliases(con: duckdb.DuckDBPyConnection, options: AnalysisOptions) -> None:
    """`alias_group` (the name shown for each canonical key) and `alias_map` (variant key ->
    canonical key and the list it came from), by the rules of `domain.applicants`: per variant key
    the best-ranked claim wins, a claim answered by a better one in the opposite direction is
    dropped (no swaps), and a canonical that is itself claimed is resolved once more."""
    rows = [
        (g.canonical, v, SOURCE_RANK[g.source], g.source)
        for g in options.applicant_aliases
        for v in (g.canonical, *g.variants)
    ]
    con.execute("CREATE TEMP TABLE alias_in(canonical VARCHAR, variant VARCHAR, rank INTEGER, source VARCHAR)")
    if rows:
        con.execute(
            "INSERT INTO alias_in SELECT unnest(?), unnest(?), unnest(?), unnest(?)",
            [list(c) for c in zip(*rows, strict=True)],
        )
    con.execute(
        """
        CREATE TEMP TABLE alias_keyed AS
        SELECT name_key(canonical) AS ckey, canonical, name_key(variant) AS vkey, rank, source FROM alias_in;
        CREATE TEMP TABLE alias_group AS
        SELECT ckey, canonical FROM alias_keyed WHERE ckey IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY ckey ORDER BY rank, canonical) = 1;
        CREATE TEMP TABLE alias_claim AS
        SELECT vkey, ckey, rank, source FROM alias_keyed
        WHERE vkey IS NOT NULL AND ckey IS NOT NULL AND vkey <> ckey
        QUALIFY row_number() OVER (PARTITION BY vkey ORDER BY rank, ckey) = 1;
        CREATE TEMP TABLE alias_step AS
        SELECT * FROM alias_claim s WHERE NOT EXISTS (
            SELECT 1 FROM alias_claim t WHERE t.vkey = s.ckey AND t.ckey = s.vkey
              AND (t.rank < s.rank OR (t.rank = s.rank AND t.ckey < s.ckey)));
        CREATE TEMP TABLE alias_map AS
        SELECT s.vkey, coalesce(t.ckey, s.ckey) AS ckey, s.source
        FROM alias_step s LEFT JOIN alias_step t ON t.vkey = s.ckey AND t.ckey <> s.vkey;
        """
    )


def _load_lookups(con: duckdb.DuckDBPyConnection, options: AnalysisOptions) -> None:
    """The district's applicant keys (after their aliases)."""
    con.execute("CREATE TEMP TABLE district(key VARCHAR)")
    if options.district_applicants:
        con.execute(
            """
            INSERT INTO district
            SELECT DISTINCT coalesce(m.ckey, k.key) FROM (SELECT name_key(unnest(?)) AS key) k
            LEFT JOIN alias_map m ON m.vkey = k.key WHERE k.key IS NOT NULL
            """,
            [list(options.district_applicants)],
        )


def _load_applicants(con: duckdb.DuckDBPyConnection) -> None:
    """Applicants per application by merge key (the name key, or the canonical key an alias maps
    it to: a join on the mapping table, never a lookup per record), and the name shown for each
    key (a group's canonical name, else the most frequent spelling)."""
    # Names are normalised once per distinct spelling (a few thousand even in a million records),
    # never once per occurrence: the width folding and suffix regexes are the costly part. Spellings
    # are counted before they meet the map (a spelling has one key): one join per spelling, not per use.
    con.execute(
        """
        CREATE TEMP TABLE applicant_raw AS
        SELECT app_no, trim(name) AS name, pos FROM (
            SELECT app_no, unnest(applicants) AS name, generate_subscripts(applicants, 1) AS pos FROM app
        );
        CREATE TEMP TABLE name_map AS
        SELECT d.name, d.own_key, coalesce(m.ckey, d.own_key) AS key, m.source
        FROM (SELECT name, name_key(name) AS own_key FROM (SELECT DISTINCT name FROM applicant_raw)) d
        LEFT JOIN alias_map m ON m.vkey = d.own_key;
        CREATE TEMP TABLE app_applicant AS
        SELECT app_no, key, min(pos) AS pos FROM applicant_raw JOIN name_map USING (name)
        WHERE key IS NOT NULL GROUP BY app_no, key;
        CREATE TEMP TABLE applicant_shown AS
        SELECT p.key, coalesce(g.canonical, p.name) AS name, p.variants FROM (
            SELECT key, name, count(*) OVER (PARTITION BY key) AS variants,
                   row_number() OVER (PARTITION BY key ORDER BY n DESC, name) AS pick
            FROM (
                SELECT m.key, r.name, r.n FROM (SELECT name, count(*) AS n FROM applicant_raw GROUP BY name) r
                JOIN name_map m USING (name) WHERE m.key IS NOT NULL
            )
        ) p LEFT JOIN alias_group g ON g.ckey = p.key WHERE p.pick = 1;
        """
    )


def load(con: duckdb.DuckDBPyConnection, path: Path, fmt: str, options: AnalysisOptions) -> None:
    """Scan the file at `path` into `app`, `rec_counts`, `legal_map` and the applicant tables; a 422
    RuleViolation naming the file or column at fault when it cannot be read."""
    source = source_sql(con, path, fmt)
    _load_aliases(con, options)
    _load_lookups(con, options)
    try:
        con.execute(_records_sql(source, options))
    except duckdb.Error as exc:
        raise RuleViolation(f"the file cannot be read as {fmt}: {reason(exc, path)}", field="file") from exc
    _count_records(con)
    _load_legal_map(con)
    _keep_applications(con)
    _load_applicants(con)
