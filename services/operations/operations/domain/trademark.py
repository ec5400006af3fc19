"""Rules of overseas trademarks (Madrid international registrations).

Guarantees: a designated contracting party is an ISO 3166-1 alpha-2 code (from the checked-in
`countries.txt`) or one of the Madrid system's regional offices (EM: the European Union, BX:
Benelux, OA: OAPI), and never CN (the office of origin cannot be designated); each party is
designated once; Nice classes are 1 to 45, each once. A designation's status moves by the table
in `moves.py`; `protected_on` remembers the first day it was protected, which is what counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ipops.errors import RuleViolation

REGIONAL_OFFICES = frozenset({"EM", "BX", "OA"})
ORIGIN = "CN"


@cache
def iso_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes."""
    lines = (Path(__file__).parent / "countries.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(code for line in lines if not line.startswith("#") for code in line.split())


def check_party(code: str, field: str) -> str:
    """A designated party, upper-case; RuleViolation naming `field` otherwise."""
    party = code.strip().upper()
    if party == ORIGIN:
        raise RuleViolation("CN is the office of origin: an overseas mark designates other parties", field=field)
    if party not in iso_countries() and party not in REGIONAL_OFFICES:
        raise RuleViolation(f"{code!r} is not an ISO 3166-1 alpha-2 code or a Madrid regional office", field=field)
    return party


def check_parties(codes: Sequence[str], field: str = "body.designations") -> list[str]:
    """Every party valid and designated once."""
    result: list[str] = []
    for index, code in enumerate(codes):
        party = check_party(code, f"{field}.{index}.country")
        if party in result:
            raise RuleViolation(f"{party} is designated twice", field=f"{field}.{index}.country")
        result.append(party)
    return result


def check_classes(classes: Sequence[int], field: str = "body.nice_classes") -> list[int]:
    """Nice classes 1-45, each once, sorted."""
    for index, nice in enumerate(classes):
        if not 1 <= nice <= 45:
            raise RuleViolation("Nice classes are 1 to 45", field=f"{field}.{index}")
        if nice in classes[:index]:
            raise RuleViolation(f"class {nice} is listed twice", field=f"{field}.{index}")
    return sorted(classes)
