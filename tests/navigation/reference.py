# ruff: noqa: RUF001  (full-width separators are the data)
"""An independent, plain-Python computation of a landscape, written from the definitions in
`navigation.datasets.landscape`'s docstring (not from its SQL), to check the DuckDB figures on the
committed fixture. Slow and simple on purpose: every record is a dict here."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from navigation.domain.applicants import SOURCE_RANK
from navigation.domain.legal_status import classify as legal_status_of  # the vocabulary (tested on its own)

WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9]
TYPES = {"1": "invention", "2": "utility_model", "3": "design", "8": "pct_invention", "9": "pct_utility_model"}
TRUE = {"true", "1", "yes", "y", "t", "是", "pct"}
CN_SUFFIXES = ["股份有限公司", "有限责任公司", "有限公司", "公司"]
EN_WORDS = {
    "CO",
    "LTD",
    "LIMITED",
    "CORP",
    "CORPORATION",
    "INC",
    "INCORPORATED",
    "COMPANY",
    "GMBH",
    "AG",
    "LLC",
    "PLC",
    "SA",
    "KK",
}
SPLIT = re.compile(r"\s*[;；|]\s*")


def read_csv(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = [str(v) for v in value if v is not None] if isinstance(value, list) else SPLIT.split(str(value).strip())
    return [v for v in items if v.strip()]


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def number(raw: Any) -> tuple[str | None, str | None]:
    """(normalised number, type digit) or (None, None)."""
    s = (text(raw) or "").upper()
    if s.startswith(("ZL", "CN")):
        s = s[2:]
    s = re.sub(r"[\s.]", "", s)
    m = re.fullmatch(r"(\d{12}|\d{8})([0-9X])", s)
    if not m:
        return None, None
    body, check = m.groups()
    total = sum(int(d) * WEIGHTS[i % 8] for i, d in enumerate(body))
    expected = "X" if total % 11 == 10 else str(total % 11)
    digit = body[4] if len(body) == 12 else body[2]
    if check != expected or digit not in TYPES:
        return None, None
    return f"{body}.{check}", digit


def parse_date(raw: Any) -> date | None:
    s = text(raw)
    if not s:
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def number_year(app_no: str) -> int:
    body = app_no.split(".")[0]
    if len(body) == 12:
        return int(body[:4])
    yy = int(body[:2])
    return 1900 + yy if yy >= 85 else 2000 + yy


def applicant_key(name: str) -> str | None:
    s = unicodedata.normalize("NFKC", name).upper()
    s = re.sub(r"[\W_]+", " ", s).strip()  # anything but letters and digits, in any script
    full = s.replace(" ", "")
    stripped = s
    changed = True
    while changed:
        changed = False
        for suffix in CN_SUFFIXES:
            if stripped.endswith(suffix):
                stripped = stripped[: -len(suffix)].rstrip()
                changed = True
                break
    words = stripped.split(" ")
    while len(words) > 1 and words[-1] in EN_WORDS:
        words.pop()
    key = "".join(words)
    return key or full or None


def alias_map(aliases: tuple[Any, ...]) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(variant key -> (canonical key, source), canonical key -> name shown) from alias groups, by
    the rules in `navigation.domain.applicants`' docstring."""
    shown: dict[str, tuple[int, str]] = {}
    claims: dict[str, tuple[int, str, str]] = {}
    for group in aliases:
        rank = SOURCE_RANK[group.source]
        ckey = applicant_key(group.canonical)
        if ckey is None:
            continue
        if ckey not in shown or (rank, group.canonical) < shown[ckey]:
            shown[ckey] = (rank, group.canonical)
        for variant in group.variants:
            vkey = applicant_key(variant)
            if vkey and vkey != ckey and (vkey not in claims or (rank, ckey) < claims[vkey][:2]):
                claims[vkey] = (rank, ckey, group.source)
    steps = {
        v: c
        for v, c in claims.items()
        if not (c[1] in claims and claims[c[1]][1] == v and claims[c[1]][:2] < c[:2])  # no swaps
    }
    resolved = {}
    for v, (_, ckey, source) in steps.items():
        onward = steps.get(ckey)
        resolved[v] = (onward[1] if onward and onward[1] != v else ckey, source)
    return resolved, {k: name for k, (_, name) in shown.items()}


def landscape(
    rows: list[dict[str, Any]],
    *,
    district_applicants: tuple[str, ...] = (),
    district_name: str | None = "东丽",
    aliases: tuple[Any, ...] = (),
) -> dict[str, Any]:
    missing = invalid = 0
    best: dict[str, dict[str, Any]] = {}
    valid_records = 0
    for row in rows:
        raw = text(row.get("application_number"))
        if not raw:
            missing += 1
            continue
        app_no, digit = number(raw)
        if app_no is None:
            invalid += 1
            continue
        valid_records += 1
        rec = {
            "app_no": app_no,
            "digit": digit,
            "app_date": parse_date(row.get("application_date")),
            "pub_date": parse_date(row.get("publication_date")),
            "pub_no": text(row.get("publication_number")) or None,
            "applicants": [a.strip() for a in as_list(row.get("applicants"))],
            "inventors": as_list(row.get("inventors")),
            "ipc": as_list(row.get("ipc")),
            "legal_raw": text(row.get("legal_status")) or None,
            "region": text(row.get("region")) or "unknown",
            "pct": (text(row.get("pct")) or "").lower() in TRUE or digit in ("8", "9"),
            "family": text(row.get("family_id")) or None,
            "address": text(row.get("address")) or "",
        }

        def rank(r: dict[str, Any]) -> tuple[Any, ...]:
            return (r["pub_date"] is not None, r["pub_date"] or date.min, r["pub_no"] is not None, r["pub_no"] or "")

        if app_no not in best or rank(rec) > rank(best[app_no]):
            best[app_no] = rec
    apps = list(best.values())
    n = len(apps)
    for a in apps:
        a["legal"] = (legal_status_of(a["legal_raw"]) if a["legal_raw"] else None) or "unknown"
    unmapped = Counter(a["legal_raw"] for a in apps if a["legal_raw"] and legal_status_of(a["legal_raw"]) is None)
    for a in apps:
        a["year"] = a["app_date"].year if a["app_date"] else number_year(a["app_no"])

    def series(counts: Counter[int]) -> list[dict[str, Any]]:
        out, prev = [], None
        for y in range(min(counts), max(counts) + 1):
            c = counts.get(y, 0)
            out.append({"year": y, "filings": c, "growth": None if not prev else round((c - prev) / prev, 4)})
            prev = c
        return out

    per_year = Counter(a["year"] for a in apps)
    first, last = min(per_year), max(per_year)

    # applicants
    resolved, canonical_name = alias_map(aliases)

    def merged_key(name: str) -> str | None:
        own = applicant_key(name)
        return resolved[own][0] if own in resolved else own

    key_apps: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    merged: dict[str, dict[str, Any]] = defaultdict(lambda: {"variants": set(), "apps": set(), "sources": set()})
    for a in apps:
        for name in a["applicants"]:
            k = merged_key(name)
            if k:
                key_apps[k].add(a["app_no"])
                spellings[k][name] += 1
                if k != applicant_key(name):
                    merged[k]["variants"].add(name)
                    merged[k]["apps"].add(a["app_no"])
                    merged[k]["sources"].add(resolved[applicant_key(name)][1])
    pairs = sum(len(v) for v in key_apps.values())
    ranked = sorted(key_apps, key=lambda k: (-len(key_apps[k]), k))
    shares = [len(key_apps[k]) / pairs for k in ranked]

    def shown(k: str) -> str:
        return canonical_name.get(k) or sorted(spellings[k].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    # ipc
    codes_of: dict[str, set[str]] = {}
    for a in apps:
        codes = set()
        for c in a["ipc"]:
            c = unicodedata.normalize("NFKC", c).upper().replace(" ", "")
            if re.match(r"^[A-H]\d{2}[A-Z]", c):
                codes.add(c)
        codes_of[a["app_no"]] = codes

    def level(width: int, limit: int | None) -> list[dict[str, Any]]:
        counter: Counter[str] = Counter()
        for codes in codes_of.values():
            for p in {c[:width] for c in codes}:
                counter[p] += 1
        items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [{"code": c, "filings": k, "share": round(k / n, 4)} for c, k in items]

    year_of = {a["app_no"]: a["year"] for a in apps}
    recent, earlier = (last - 2, last), (last - 5, last - 3)
    growth_rows = []
    subs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for app_no, codes in codes_of.items():
        y = year_of[app_no]
        for sub in {c[:4] for c in codes}:
            if earlier[0] <= y <= earlier[1]:
                subs[sub][0] += 1
            if recent[0] <= y <= recent[1]:
                subs[sub][1] += 1
    for sub, (e, r) in subs.items():
        if e >= 3:
            growth_rows.append((sub, e, r, (r - e) / e))
    growth_rows.sort(key=lambda t: (-t[3], -t[2], t[0]))

    def mix(values: list[str]) -> list[dict[str, Any]]:
        counter = Counter(values)
        return [
            {"value": v, "filings": c, "share": round(c / n, 4)}
            for v, c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    # inventors
    inventor_pairs = set()
    for a in apps:
        for name in a["inventors"]:
            name = unicodedata.normalize("NFKC", name).strip()
            if name:
                inventor_pairs.add((a["app_no"], name))
    inventor_counts = Counter(name for _, name in inventor_pairs)

    # district
    district_keys = {merged_key(name) for name in district_applicants}
    own = set()
    lead_of = {}
    for a in apps:
        keys = [merged_key(x) for x in a["applicants"]]
        lead_of[a["app_no"]] = keys[0] if keys else None
        if (district_name and district_name in a["address"]) or any(k in district_keys for k in keys if k):
            own.add(a["app_no"])
    address_apps = {a["app_no"] for a in apps if district_name and district_name in a["address"]}
    district_counter: Counter[str] = Counter()
    for k, app_nos in key_apps.items():
        for app_no in app_nos:
            if k in district_keys or (app_no in address_apps and lead_of[app_no] == k):
                district_counter[shown(k)] += 1

    # families
    fam_apps: dict[str, list[int]] = defaultdict(list)
    for a in apps:
        if a["family"]:
            fam_apps[a["family"]].append(a["year"])
    with_family = sum(len(v) for v in fam_apps.values())

    return {
        "schema": "ipops.navigation.landscape.v1",
        "records": len(rows),
        "applications": n,
        "quality": {
            "records": len(rows),
            "missing_application_number": missing,
            "invalid_application_number": invalid,
            "duplicate_records": valid_records - n,
            "without_application_date": sum(1 for a in apps if a["app_date"] is None),
            "without_applicants": sum(1 for a in apps if not any(applicant_key(x) for x in a["applicants"])),
            "without_legal_status": sum(1 for a in apps if a["legal_raw"] is None),
        },
        "years": {
            "first": first,
            "last": last,
            "series": series(per_year),
            "cagr": round((per_year[last] / per_year[first]) ** (1 / (last - first)) - 1, 4),
        },
        "applicants": {
            "distinct": len(ranked),
            "applicant_filings": pairs,
            "top": [
                {
                    "name": shown(k),
                    "key": k,
                    "filings": len(key_apps[k]),
                    "share": round(len(key_apps[k]) / pairs, 4),
                    "share_of_filings": round(len(key_apps[k]) / n, 4),
                    "variants": len(spellings[k]),
                }
                for k in ranked[:20]
            ],
            "cr4": round(sum(shares[:4]), 4),
            "hhi": round(sum((s * 100) ** 2 for s in shares), 1),
        },
        "applicant_merges": [
            {
                "canonical": shown(k),
                "key": k,
                "variants": sorted(m["variants"]),
                "filings": len(m["apps"]),
                "sources": sorted(m["sources"]),
            }
            for k, m in sorted(merged.items(), key=lambda km: (-len(km[1]["apps"]), km[0]))
        ],
        "ipc": {
            "applications_with_ipc": sum(1 for c in codes_of.values() if c),
            "sections": level(1, None),
            "classes": level(3, 20),
            "subclasses": level(4, 20),
            "fastest_growing": [
                {"subclass": s, "earlier": e, "recent": r, "growth": round(g, 4)} for s, e, r, g in growth_rows[:10]
            ],
            "window": {"earlier": list(earlier), "recent": list(recent), "min_base": 3},
        },
        "legal_status": mix([a["legal"] for a in apps]),
        "unmapped_legal_status": [
            {"value": v, "count": c} for v, c in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0]))[:100]
        ],
        "patent_types": mix([TYPES[a["digit"]] for a in apps]),
        "regions": mix([a["region"] for a in apps])[:50],
        "pct": {"filings": sum(1 for a in apps if a["pct"]), "share": round(sum(1 for a in apps if a["pct"]) / n, 4)},
        "inventors": {
            "distinct": len(inventor_counts),
            "mean_per_application": round(len(inventor_pairs) / n, 4),
            "applications_without_inventors": n - len({app for app, _ in inventor_pairs}),
            "top": [
                {"name": name, "filings": c}
                for name, c in sorted(inventor_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
            ],
        },
        "district": {
            "district_name": district_name,
            "listed_applicants": len(district_applicants),
            "district_filings": len(own),
            "other_filings": n - len(own),
            "district_share": round(len(own) / n, 4),
            "top_district_applicants": [
                {"name": name, "filings": c}
                for name, c in sorted(district_counter.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
            ],
        },
        "families": {
            "applications_with_family": with_family,
            "families": len(fam_apps),
            "mean_family_size": round(with_family / len(fam_apps), 4),
            "largest_family_size": max(len(v) for v in fam_apps.values()),
            "per_year": series(Counter(min(v) for v in fam_apps.values())),
        }
        if fam_apps
        else None,
    }
