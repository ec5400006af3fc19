"""Random case histories across a year end (seeded, reproducible): intakes of every type,
withdrawals, cancellations, type corrections and closures across the year end. After each
history `/statistics/indicators` equals a model of the counting rules written here from the
README (not from the code), and a recount from scratch changes nothing: what the use cases
wrote as things happened is what the rules say of the final state."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest

from tests.enforcement.helpers import BASE, RESPONDENT_CODE, at, key, move, open_case

CODES = ["91120110MA05JAAA0X", "91120110MA05JBBB0U", "91120110MA05JCCC0R", "91120110MA05JDDD0P"]
TYPES = [
    "patent_infringement_adjudication",
    "counterfeit_patent",
    "trademark_enforcement",
    "patent_mediation",
    "assistance",
    "overseas_assistance",
]
ADMINISTRATIVE = set(TYPES[:3])
CLOSE_PATH = {  # a way to an outcome and its closure, per type
    "patent_infringement_adjudication": ["accept", "start_review", "decide", "close"],
    "counterfeit_patent": ["accept", "start_review", "decide", "close"],
    "trademark_enforcement": ["accept", "start_review", "decide", "close"],
    "patent_mediation": ["accept", "start_review", "mediate", "close"],
    "assistance": ["accept", "start_review", "close"],
    "overseas_assistance": ["accept", "start_review", "close"],
}


@dataclass
class Modelled:
    case_type: str
    received: date
    code: str | None
    out: bool = False


def expected(cases: list[Modelled]) -> dict[str, dict[int, int]]:
    """The README's rules, on the final state of every case."""
    admin: dict[int, int] = defaultdict(int)
    enterprises: dict[int, set[str]] = defaultdict(set)
    for c in cases:
        if c.out:
            continue
        if c.case_type in ADMINISTRATIVE:
            admin[c.received.year] += 1
        if c.code is not None:
            enterprises[c.received.year].add(c.code)
    return {
        "enforcement_cases": dict(admin),
        "enterprises_protected": {y: len(codes) for y, codes in enterprises.items()},
    }


def requesters(code: str | None) -> list[dict[str, str]]:
    first = (
        {"role": "requester", "kind": "enterprise", "name": "Requester", "credit_code": code}
        if code is not None
        else {"role": "requester", "kind": "person", "name": "Zhang San"}
    )
    return [first, {"role": "respondent", "kind": "enterprise", "name": "Copycat", "credit_code": RESPONDENT_CODE}]


async def live(client: httpx.AsyncClient, headers: dict[str, str], rng: random.Random) -> list[Modelled]:
    cases: list[Modelled] = []
    for _ in range(14):
        case_type, code = rng.choice(TYPES), rng.choice([*CODES, None])
        received = date(2021, 12, 15) + timedelta(days=rng.randrange(0, 35))  # straddles the year end
        opened = await open_case(
            client, headers, case_type=case_type, parties=requesters(code), received_at=at(received.isoformat())
        )
        model = Modelled(case_type, received, code)
        cases.append(model)
        fate = rng.choice(["stay", "withdraw", "cancel", "retype", "retype_then_withdraw", "close"])
        if fate.startswith("retype"):
            model.case_type = rng.choice(TYPES)
            response = await client.patch(
                f"{BASE}/cases/{opened['id']}",
                json={"case_type": model.case_type, "reason": "typed wrongly"},
                headers={**headers, **key()},
            )
            assert response.status_code == 200, response.text
        if fate.endswith("withdraw"):
            await move(client, headers, opened["id"], "withdraw")
            model.out = True
        elif fate == "cancel":
            await move(client, headers, opened["id"], "cancel", reason="a duplicate")
            model.out = True
        elif fate == "close":
            for name in CLOSE_PATH[model.case_type]:
                await move(client, headers, opened["id"], name)
    return cases


@pytest.mark.parametrize("seed", [11, 12, 13])
async def test_the_figures_follow_the_rules_whatever_the_history(
    client: httpx.AsyncClient, operator: dict[str, str], seed: int
) -> None:
    cases = await live(client, operator, random.Random(seed))
    answer = (await client.get(f"{BASE}/statistics/indicators", headers=operator)).json()
    got = {i["indicator"]: {y["year"]: y["value"] for y in i["series"]} for i in answer["indicators"]}
    for indicator, per_year in expected(cases).items():
        for year in (2021, 2022):
            assert got[indicator][year] == str(per_year.get(year, 0)), (indicator, year, seed)
    recount = await client.post(f"{BASE}/statistics/indicators/recount", headers={**operator, **key()})
    assert recount.json() == {"changed": 0}
