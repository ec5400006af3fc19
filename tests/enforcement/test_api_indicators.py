"""Enforcement's indicators end to end on PostgreSQL: each counts, changes and is taken back out
through the API; the ledger rows, the outbox events and `/statistics/indicators` per year agree."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select

from enforcement.config import EnforcementSettings
from ipops import db
from ipops.events.outbox import OutboxMessage
from ipops.indicators.ledger import IndicatorContribution
from tests import testing
from tests.enforcement.helpers import BASE, RESPONDENT_CODE, at, key, move, open_case

CODE_A = "91120110MA05JAAA0X"
CODE_B = "91120110MA05JBBB0U"
RECORDED = "ipops.indicator.contribution.recorded.v1"


def hashed(year: int, code: str) -> str:
    return f"{year}:{hashlib.sha256(code.encode()).hexdigest()[:32]}"


def parties(code: str) -> list[dict[str, str]]:
    return [
        {"role": "requester", "kind": "enterprise", "name": "Requester", "credit_code": code},
        {"role": "respondent", "kind": "enterprise", "name": "Copycat Ltd.", "credit_code": RESPONDENT_CODE},
    ]


@pytest.fixture
async def sessionmaker(enforcement_settings: EnforcementSettings) -> AsyncIterator[db.SessionMaker]:
    engine = db.create_engine(enforcement_settings.database_url)
    yield db.make_sessionmaker(engine)
    await engine.dispose()


async def ledger(sessionmaker: db.SessionMaker, indicator: str) -> dict[str, tuple[int, str, int]]:
    """subject -> (quantity, start_on, revision)"""
    async with sessionmaker() as session:
        rows = (
            await session.execute(select(IndicatorContribution).where(IndicatorContribution.indicator == indicator))
        ).scalars()
        return {r.subject: (r.quantity, r.start_on.isoformat(), r.revision) for r in rows}


async def announced(sessionmaker: db.SessionMaker, indicator: str) -> list[tuple[str, int, str, int]]:
    """(subject, quantity, start_on, revision) of every contribution event of `indicator`, in order."""
    async with sessionmaker() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    payloads = [json.loads(r.payload) for r in rows if r.event_type == RECORDED]
    return [
        (p["subject"], p["quantity"], p["start_on"], p["revision"]) for p in payloads if p["indicator"] == indicator
    ]


async def case_events(sessionmaker: db.SessionMaker, kinds: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
    """(kind, payload) of the case events of these kinds (`withdrawn`, ...), in order."""
    async with sessionmaker() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    prefix = "ipops.enforcement.case."
    wanted = {f"{prefix}{k}.v1": k for k in kinds}
    return [(wanted[r.event_type], json.loads(r.payload)) for r in rows if r.event_type in wanted]


async def series(client: httpx.AsyncClient, headers: dict[str, str], indicator: str) -> dict[int, Any]:
    response = await client.get(f"{BASE}/statistics/indicators", headers=headers)
    assert response.status_code == 200, response.text
    entry = next(i for i in response.json()["indicators"] if i["indicator"] == indicator)
    return {y["year"]: y["value"] for y in entry["series"]}


async def correct_type(
    client: httpx.AsyncClient, headers: dict[str, str], case_id: str, case_type: str
) -> httpx.Response:
    return await client.patch(
        f"{BASE}/cases/{case_id}",
        json={"case_type": case_type, "reason": "typed wrongly"},
        headers={**headers, **key()},
    )


async def test_enforcement_cases_count_administrative_cases_in_the_year_received(
    client: httpx.AsyncClient, operator: dict[str, str], sessionmaker: db.SessionMaker
) -> None:
    adjudication = await open_case(client, operator, received_at=at("2021-03-01"))
    trademark = await open_case(client, operator, case_type="trademark_enforcement", received_at=at("2021-12-31", 15))
    mediation = await open_case(client, operator, case_type="patent_mediation", received_at=at("2022-02-01"))
    await open_case(client, operator, case_type="assistance", received_at=at("2022-02-02"))
    # 31 Dec 23:00 in Beijing is 15:00 UTC: still 2021 in the district
    assert await ledger(sessionmaker, "enforcement_cases") == {
        adjudication["id"]: (1, "2021-03-01", 1),
        trademark["id"]: (1, "2021-12-31", 1),
    }  # mediation and assistance are services, not enforcement: never counted, nothing announced
    assert (await series(client, operator, "enforcement_cases"))[2021] == "2"

    # a mediation corrected to an adjudication counts; corrected back, it stops counting
    assert (
        await correct_type(client, operator, mediation["id"], "patent_infringement_adjudication")
    ).status_code == 200
    assert (await series(client, operator, "enforcement_cases"))[2022] == "1"
    assert (await correct_type(client, operator, mediation["id"], "patent_mediation")).status_code == 200
    assert (await series(client, operator, "enforcement_cases"))[2022] == "0"

    # a withdrawal takes a case out, and closing it afterwards changes nothing
    await move(client, operator, adjudication["id"], "withdraw", occurred_at=at("2021-04-01"))
    await move(client, operator, adjudication["id"], "close", occurred_at=at("2021-04-02"))
    # a case opened in error is cancelled (with the reason), which takes it out too
    refused = await move(client, operator, trademark["id"], "cancel", expect=422)
    assert refused["errors"][0]["field"] == "body.reason"
    await move(
        client, operator, trademark["id"], "cancel", reason="opened in error", resolution_reason="opened_in_error"
    )
    assert (await series(client, operator, "enforcement_cases"))[2021] == "0"
    assert await announced(sessionmaker, "enforcement_cases") == [
        (adjudication["id"], 1, "2021-03-01", 1),
        (trademark["id"], 1, "2021-12-31", 1),
        (mediation["id"], 1, "2022-02-01", 1),
        (mediation["id"], 0, "2022-02-01", 2),
        (adjudication["id"], 0, "2021-03-01", 2),
        (trademark["id"], 0, "2021-12-31", 2),
    ]
    figures = (await client.get(f"{BASE}/statistics/2021", headers=operator)).json()
    assert (figures["cases"], figures["administrative_cases"]) == (2, 0)
    # consumers that acted on `case.opened` hear of the corrections and of the cases taken out
    events = await case_events(sessionmaker, ("corrected", "withdrawn", "cancelled"))
    assert [(kind, e["case_id"]) for kind, e in events] == [
        ("corrected", mediation["id"]),
        ("corrected", mediation["id"]),
        ("withdrawn", adjudication["id"]),
        ("cancelled", trademark["id"]),
    ]
    assert (events[0][1]["previous_case_type"], events[0][1]["case_type"]) == (
        "patent_mediation", "patent_infringement_adjudication",
    )  # fmt: skip
    assert (events[3][1]["reason"], events[3][1]["resolution_reason"]) == ("opened in error", "opened_in_error")


async def test_a_type_correction_must_fit_the_cases_status(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    mediation = await open_case(client, operator, case_type="patent_mediation", received_at=at("2022-02-01"))
    for name in ("accept", "start_review", "fail_mediation"):
        await move(client, operator, mediation["id"], name)
    refused = await correct_type(client, operator, mediation["id"], "trademark_enforcement")
    assert refused.status_code == 409 and refused.json()["current_status"] == "mediation_failed"


async def test_an_enterprise_counts_once_a_year_for_any_case_it_requested(
    client: httpx.AsyncClient, operator: dict[str, str], sessionmaker: db.SessionMaker, tokens: testing.TokenFactory
) -> None:
    first = await open_case(client, operator, parties=parties(CODE_A), received_at=at("2021-12-15"))
    december = await open_case(
        client, operator, case_type="assistance", parties=parties(CODE_A), received_at=at("2021-12-20")
    )
    later = await open_case(
        client, operator, case_type="patent_mediation", parties=parties(CODE_A), received_at=at("2021-12-27")
    )
    await open_case(client, operator, parties=parties(CODE_B), received_at=at("2021-06-01"))
    # received in December, closed in January: counted in December's year only
    for name, day in (("accept", "2021-12-21"), ("start_review", "2021-12-22"), ("close", "2022-01-10")):
        await move(client, operator, december["id"], name, occurred_at=at(day))
    rows = await ledger(sessionmaker, "enterprises_protected")
    assert rows == {hashed(2021, CODE_A): (1, "2021-12-15", 1), hashed(2021, CODE_B): (1, "2021-06-01", 1)}
    assert not any(CODE_A in subject or CODE_B in subject for subject in rows)  # hashed, never the code
    values = await series(client, tokens.headers("bank", "b1"), "enterprises_protected")  # a district aggregate
    assert (values[2021], values[2022]) == ("2", "0")

    # its first case withdrawn: it counts from the next one; another taken out changes nothing
    await move(client, operator, first["id"], "withdraw", occurred_at=at("2021-12-16"))
    assert (await ledger(sessionmaker, "enterprises_protected"))[hashed(2021, CODE_A)] == (1, "2021-12-20", 2)
    await move(client, operator, later["id"], "cancel", reason="a duplicate of the December case")
    assert (await ledger(sessionmaker, "enterprises_protected"))[hashed(2021, CODE_A)] == (1, "2021-12-20", 2)
    assert (await series(client, operator, "enterprises_protected"))[2021] == "2"

    # every case that made it count taken out: withdrawn
    only = await open_case(client, operator, parties=parties(CODE_B), received_at=at("2022-03-01"))
    await move(client, operator, only["id"], "withdraw", occurred_at=at("2022-03-02"))
    assert (await ledger(sessionmaker, "enterprises_protected"))[hashed(2022, CODE_B)] == (0, "2022-03-01", 2)
    assert [e for e in await announced(sessionmaker, "enterprises_protected") if e[0] == hashed(2022, CODE_B)] == [
        (hashed(2022, CODE_B), 1, "2022-03-01", 1),
        (hashed(2022, CODE_B), 0, "2022-03-01", 2),
    ]
    values = await series(client, operator, "enterprises_protected")
    assert (values[2021], values[2022]) == ("2", "0")
    figures = (await client.get(f"{BASE}/statistics/2021", headers=operator)).json()
    assert figures["enterprises_protected"] == 2


SURVEY = {
    "year": 2021,
    "score": "84.5",
    "sample_size": 1200,
    "conducted_by": "Tianjin Statistical Survey Centre",
    "conducted_on": "2021-11-20",
    "evidence_reference": "archive://surveys/2021.pdf",
}


async def test_satisfaction_is_the_years_public_survey_corrections_kept(
    client: httpx.AsyncClient, operator: dict[str, str], sessionmaker: db.SessionMaker, tokens: testing.TokenFactory
) -> None:
    url = f"{BASE}/satisfaction-surveys"
    first = await client.post(url, json=SURVEY, headers={**operator, **key()})
    assert first.status_code == 201, first.text
    assert (first.json()["version"], first.json()["score"], first.json()["current"]) == (1, "84.5", True)
    assert await ledger(sessionmaker, "satisfaction") == {"survey:2021": (845, "2021-11-20", 1)}

    unexplained = await client.post(url, json={**SURVEY, "score": "86"}, headers={**operator, **key()})
    assert unexplained.status_code == 422 and unexplained.json()["errors"][0]["field"] == "body.reason"
    corrected = await client.post(
        url, json={**SURVEY, "score": "86", "conducted_on": "2022-01-15", "reason": "weighting fixed"},
        headers={**operator, **key()},
    )  # fmt: skip
    assert corrected.status_code == 201 and corrected.json()["version"] == 2
    # conducted after the year ended: dated on its last day, so it stays that year's figure
    assert await ledger(sessionmaker, "satisfaction") == {"survey:2021": (860, "2021-12-31", 2)}
    await client.post(url, json={**SURVEY, "year": 2022, "conducted_on": "2022-10-01"}, headers={**operator, **key()})

    listed = (await client.get(url, headers=tokens.headers("agency", "a1"))).json()
    assert [(s["year"], s["version"], s["current"]) for s in listed["items"]] == [
        (2022, 1, True), (2021, 2, True), (2021, 1, False),
    ]  # fmt: skip
    assert (await client.get(url, params={"year": 2021}, headers=operator)).json()["total"] == 2
    values = await series(client, tokens.headers("agency", "a1"), "satisfaction")
    assert (values[2020], values[2021], values[2022]) == (None, "86.0", "84.5")
    figures = (await client.get(f"{BASE}/statistics/2021", headers=operator)).json()
    assert figures["satisfaction"] == "86.0" and figures["served_parties_average_rating"] is None
    assert [e[1] for e in await announced(sessionmaker, "satisfaction")] == [845, 860, 845]

    # recorded for the wrong year: withdrawn (a version says so), the year's figure taken out
    withdrawal = f"{url}/2022/withdrawal"
    withdrawn = await client.post(withdrawal, json={"reason": "it was 2021's"}, headers={**operator, **key()})
    assert withdrawn.status_code == 201, withdrawn.text
    assert (withdrawn.json()["version"], withdrawn.json()["withdrawn"], withdrawn.json()["score"]) == (2, True, "84.5")
    assert (await ledger(sessionmaker, "satisfaction"))["survey:2022"] == (0, "2022-10-01", 2)
    assert (await series(client, operator, "satisfaction"))[2022] is None
    again = await client.post(withdrawal, json={"reason": "again"}, headers={**operator, **key()})
    assert again.status_code == 409
    none = await client.post(f"{url}/2019/withdrawal", json={"reason": "x"}, headers={**operator, **key()})
    assert none.status_code == 404
    agency = await client.post(withdrawal, json={"reason": "x"}, headers={**tokens.headers("agency", "a1"), **key()})
    assert agency.status_code == 403
    # recorded again later: a correction, counted again
    back = await client.post(
        url, json={**SURVEY, "year": 2022, "conducted_on": "2022-12-01", "reason": "the right survey"},
        headers={**operator, **key()},
    )  # fmt: skip
    assert back.status_code == 201 and back.json()["version"] == 3
    assert (await series(client, operator, "satisfaction"))[2022] == "84.5"
    assert [e[1] for e in await announced(sessionmaker, "satisfaction")] == [845, 860, 845, 0, 845]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": 2100}, "body.year"),
        ({"conducted_on": "2100-01-01"}, "body.conducted_on"),
        ({"conducted_on": "2020-12-31"}, "body.conducted_on"),  # before the year it measures
        ({"score": "100.1"}, "body.score"),
        ({"score": "84.55"}, "body.score"),
        ({"sample_size": 0}, "body.sample_size"),
    ],
)
async def test_a_survey_is_refused_naming_the_field(
    client: httpx.AsyncClient, operator: dict[str, str], change: dict[str, Any], field: str
) -> None:
    response = await client.post(
        f"{BASE}/satisfaction-surveys", json={**SURVEY, **change}, headers={**operator, **key()}
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_who_may_record_and_read_surveys_and_indicators(
    client: httpx.AsyncClient, operator: dict[str, str], tokens: testing.TokenFactory
) -> None:
    url = f"{BASE}/satisfaction-surveys"
    for role in ("agency", "bank"):
        headers = {**tokens.headers(role, "t1"), **key()}
        assert (await client.post(url, json=SURVEY, headers=headers)).status_code == 403
        assert (await client.post(f"{BASE}/statistics/indicators/recount", headers=headers)).status_code == 403
        assert (await client.get(url, headers=tokens.headers(role, "t1"))).status_code == 200
    assert (await client.post(url, json=SURVEY, headers=operator)).status_code == 400  # no Idempotency-Key
    assert (await client.get(f"{BASE}/statistics/indicators")).status_code == 401
    assert (await client.get(url)).status_code == 401
    answer = (await client.get(f"{BASE}/statistics/indicators", headers=operator)).json()
    assert [i["indicator"] for i in answer["indicators"]] == [
        "enforcement_cases",
        "enterprises_protected",
        "satisfaction",
    ]
    assert answer["base_year"] == 2018 and all(i["has_source"] for i in answer["indicators"])


async def test_recount_backfills_the_ledger_from_existing_cases_and_surveys(
    client: httpx.AsyncClient, operator: dict[str, str], sessionmaker: db.SessionMaker
) -> None:
    adjudication = await open_case(client, operator, parties=parties(CODE_A), received_at=at("2020-05-05"))
    withdrawn = await open_case(
        client, operator, case_type="counterfeit_patent", parties=parties(CODE_B), received_at=at("2020-06-06")
    )
    await move(client, operator, withdrawn["id"], "withdraw")
    await open_case(client, operator, case_type="assistance", parties=parties(CODE_B), received_at=at("2021-01-04"))
    await client.post(f"{BASE}/satisfaction-surveys", json=SURVEY, headers={**operator, **key()})
    expected = {
        "enforcement_cases": {adjudication["id"]: 1, withdrawn["id"]: 0},
        "enterprises_protected": {hashed(2020, CODE_A): 1, hashed(2020, CODE_B): 0, hashed(2021, CODE_B): 1},
        "satisfaction": {"survey:2021": 845},
    }
    # as if these were recorded before the ledger existed
    async with db.transaction(sessionmaker) as session:
        await session.execute(delete(IndicatorContribution))
    url = f"{BASE}/statistics/indicators/recount"
    recounted = await client.post(url, headers={**operator, **key()})
    assert recounted.status_code == 200, recounted.text
    # the withdrawn case and the withdrawn enterprise-year never counted anew: nothing to write
    assert recounted.json() == {"changed": 4}
    for indicator, subjects in expected.items():
        rows = await ledger(sessionmaker, indicator)
        assert {s: q for s, (q, _, _) in rows.items()} == {s: q for s, q in subjects.items() if q}
    assert (await client.post(url, headers={**operator, **key()})).json() == {"changed": 0}
    assert (await series(client, operator, "enforcement_cases"))[2020] == "1"


async def test_two_withdrawals_at_once_withdraw_the_enterprise(
    client: httpx.AsyncClient, operator: dict[str, str], sessionmaker: db.SessionMaker
) -> None:
    """Each withdrawal reads the enterprise's other case: without the lock per enterprise-year,
    both could see the other still counting and leave the enterprise counted."""
    for _ in range(3):
        code_cases = [
            await open_case(client, operator, parties=parties(CODE_A), received_at=at(day))
            for day in ("2023-03-01", "2023-03-02")
        ]
        responses = await asyncio.gather(
            *(
                client.post(
                    f"{BASE}/cases/{c['id']}/transitions", json={"move": "withdraw"}, headers={**operator, **key()}
                )
                for c in code_cases
            )
        )
        assert [r.status_code for r in responses] == [200, 200]
        assert (await ledger(sessionmaker, "enterprises_protected"))[hashed(2023, CODE_A)][0] == 0
