"""Navigation landscape benchmark: wall time and peak memory of analysing generated patent data
sets of 100k and 1M records with DuckDB (the service's `navigation.datasets.landscape.analyse`, the
same options the service uses: 512 MB DuckDB memory limit, 2 threads, spilling to a temp directory).
The applicant aliases are the district register's (with English aliases the generator also writes)
and an operator alias table of `--alias-groups` groups, so the merge's mapping-table join is timed.

Each analysis runs in a fresh child process, so its peak resident set (ru_maxrss) is its own; the
child also reports the Python heap's peak (tracemalloc), which stays small because records are
never Python objects. Generation time is reported apart and is not part of the analysis time.
Usage: python -m benchmarks.navigation_landscape [--sizes 100000 1000000] [--format csv|jsonl] [--repeat 1] [--quick]
       [--alias-groups 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import emit, median

CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
tracemalloc.start()
from navigation.datasets.landscape import AnalysisOptions, analyse
from navigation.domain.applicants import AliasGroup
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
path, fmt, memory_limit, threads, temp_dir, district, aliases = sys.argv[1:8]
groups = [AliasGroup(c, tuple(v), s) for c, v, s in json.loads(aliases)]
started = time.perf_counter()
before = resource.getrusage(resource.RUSAGE_SELF)
cpu_before = before.ru_utime + before.ru_stime
result = analyse(Path(path), fmt, AnalysisOptions(
    district_applicants=json.loads(district), applicant_aliases=groups, memory_limit=memory_limit,
    threads=int(threads), temp_dir=Path(temp_dir)))
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
_, py_peak = tracemalloc.get_traced_memory()
print(json.dumps({
    "seconds": elapsed,
    "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu_before,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "baseline_rss_mb": baseline / 1024,
    "python_heap_peak_mb": py_peak / 2**20,
    "records": result["records"],
    "applications": result["applications"],
    "json_bytes": len(json.dumps(result, ensure_ascii=False)),
    "merges": len(result["applicant_merges"]),
    "unmapped_legal_status": len(result["unmapped_legal_status"]),
}))
"""

# The machine's figure for the same file: DuckDB reading every column of every record into a table,
# with the analysis's reader options, memory limit and threads, and nothing computed. Only the CSV
# reader's options are the analysis's own; a JSON Lines file is read with DuckDB's defaults.
BARE_SCAN = r"""
import json, sys, time
import duckdb
path, fmt, memory_limit, threads, temp_dir = sys.argv[1:6]
con = duckdb.connect(config={"memory_limit": memory_limit, "threads": int(threads), "temp_directory": temp_dir})
con.execute("SET enable_progress_bar = false")
quoted = "'" + path.replace("'", "''") + "'"
scan = (f"read_csv({quoted}, header = true, all_varchar = true, strict_mode = false)" if fmt == "csv"
        else f"read_json({quoted}, format = 'newline_delimited')")
started = time.perf_counter()
con.execute(f"CREATE TABLE raw AS SELECT * FROM {scan}")
rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))
"""


def bare_scan(path: Path, fmt: str, memory_limit: str, threads: int, temp_dir: Path) -> float:
    """Seconds DuckDB takes to read `path` into a table in a fresh interpreter, nothing computed."""
    out = subprocess.run(
        [sys.executable, "-c", BARE_SCAN, str(path), fmt, memory_limit, str(threads), str(temp_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(json.loads([line for line in out.stdout.splitlines() if line.startswith("{")][-1])["seconds"])


def alias_groups(synthetic: int) -> list[tuple[str, list[str], str]]:
    """The district register (each district applicant with its English name where the generator
    has one), one operator group for a non-district firm's English name, and `synthetic` operator
    groups naming nobody in the data (the size of a well-kept table)."""
    from tests.navigation.sample import DISTRICT_APPLICANTS, ENGLISH_NAMES

    groups = [
        (name, [ENGLISH_NAMES[name]] if name in ENGLISH_NAMES else [], "register") for name in DISTRICT_APPLICANTS
    ]
    groups += [(c, [e], "alias_table") for c, e in ENGLISH_NAMES.items() if c not in DISTRICT_APPLICANTS]
    groups += [(f"合成申请人{i}有限公司", [f"Synthetic Applicant {i} Co Ltd"], "alias_table") for i in range(synthetic)]
    return groups


def run_child(path: Path, fmt: str, memory_limit: str, threads: int, temp_dir: Path, synthetic: int) -> dict[str, Any]:
    """Analyse `path` in a fresh interpreter and return its measurements (the district's applicants
    and the alias groups are passed along, so the child imports nothing but the service)."""
    from tests.navigation.sample import DISTRICT_APPLICANTS

    district = json.dumps(list(DISTRICT_APPLICANTS), ensure_ascii=False)
    aliases = json.dumps(alias_groups(synthetic), ensure_ascii=False)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), fmt, memory_limit, str(threads), str(temp_dir), district, aliases],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    # the result is the last line that is a JSON object (a library may write to stdout too)
    return json.loads([line for line in out.stdout.splitlines() if line.startswith("{")][-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--memory-limit", default="512MB")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--alias-groups", type=int, default=1000, help="synthetic operator alias groups")
    parser.add_argument("--dir", type=Path, default=None, help="where the generated files go (default: a temp dir)")
    parser.add_argument("--quick", action="store_true", help="100,000 records only: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.sizes = [100_000]

    from tests.navigation import sample

    with tempfile.TemporaryDirectory(prefix="nav-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        for size in args.sizes:
            path = work / f"patents-{size}.{args.format}"
            started = time.perf_counter()
            sample.write(path, size, fmt=args.format, seed=39551)
            generated = time.perf_counter() - started
            runs = [
                run_child(path, args.format, args.memory_limit, args.threads, work / "spill", args.alias_groups)
                for _ in range(args.repeat)
            ]
            scans = [
                bare_scan(path, args.format, args.memory_limit, args.threads, work / "spill")
                for _ in range(args.repeat)
            ]
            seconds = median([r["seconds"] for r in runs])
            cpu_seconds = median([r["cpu_seconds"] for r in runs])
            result = {
                "records": size,
                "format": args.format,
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "generate_seconds": round(generated, 1),
                "analyse_seconds": round(seconds, 2),
                "records_per_second": round(size / seconds),
                "bare_scan_seconds": round(median(scans), 2),
                # the machine is shared: CPU time (both threads) is the steadier figure under load
                "analyse_cpu_seconds": round(cpu_seconds, 2),
                "load_average_1m": round(os.getloadavg()[0], 1),
                "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
                "baseline_rss_mb": round(runs[0]["baseline_rss_mb"], 1),
                "python_heap_peak_mb": round(max(r["python_heap_peak_mb"] for r in runs), 1),
                "applications": runs[0]["applications"],
                "landscape_json_kb": round(runs[0]["json_bytes"] / 1024, 1),
                "alias_groups": len(alias_groups(args.alias_groups)),
                "merges_applied": runs[0]["merges"],
                "unmapped_legal_status_values": runs[0]["unmapped_legal_status"],
                "duckdb_memory_limit": args.memory_limit,
                "threads": args.threads,
            }
            print(
                f"{size:>9,} records ({result['file_mb']} MB {args.format}): analysed in {result['analyse_seconds']} s "
                f"({result['records_per_second']:,}/s, {result['analyse_cpu_seconds']} s CPU; reading it alone "
                f"{result['bare_scan_seconds']} s; load "
                f"{result['load_average_1m']}), peak RSS {result['peak_rss_mb']} MB "
                f"(interpreter + imports {result['baseline_rss_mb']} MB), Python heap peak "
                f"{result['python_heap_peak_mb']} MB; generated in {result['generate_seconds']} s",
                flush=True,
            )
            emit("navigation_landscape", result)
            path.unlink()


if __name__ == "__main__":
    main()
