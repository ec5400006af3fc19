"""Cases over HTTP on PostgreSQL: intake validation, access, the workflow, follow-up adjudication,
handlers, documents and the timeline."""

from __future__ import annotations

import asyncio
import hashlib

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ipops import db
from ipops.identifiers import make_patent_number
from tests import testing
from tests.enforcement.helpers import BASE, at, case_body, key, move, open_case, walk


@pytest.fixture
def client(shared_client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Every test here makes its own cases, so the module shares one app and database."""
    return shared_client


def problem_fields(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return [e["field"] for e in response.json().get("errors", [])]


class TestIntakeValidation:
    @pytest.mark.parametrize(
        ("override", "field_part"),
        [
            ({"patent_numbers": ["202010123456.3"]}, "patent_numbers"),  # wrong check digit
            ({"trademark_numbers": ["TM-1"]}, "trademark_numbers"),
            ({"case_type": "arson"}, "case_type"),
            ({"channel": "express"}, "channel"),
            (
                {
                    "parties": [
                        {"role": "requester", "kind": "enterprise", "name": "X", "credit_code": "91110000600037341X"}
                    ]
                },
                "credit_code",
            ),
            ({"parties": [{"role": "requester", "kind": "enterprise", "name": "No code"}]}, "parties"),
            ({"parties": [{"role": "respondent", "kind": "person", "name": "Only a respondent"}]}, "body"),
        ],
    )
    async def test_bad_input_names_the_field(
        self, client: httpx.AsyncClient, operator: dict[str, str], override: dict, field_part: str
    ) -> None:
        response = await client.post(f"{BASE}/cases", json=case_body(**override), headers={**operator, **key()})
        assert response.status_code == 422, response.text
        assert any(field_part in f for f in problem_fields(response)), response.json()

    async def test_future_receipt_refused(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        response = await client.post(
            f"{BASE}/cases", json=case_body(received_at="2099-01-01T00:00:00+00:00"), headers={**operator, **key()}
        )
        assert response.status_code == 422 and problem_fields(response) == ["body.received_at"]

    @pytest.mark.parametrize(
        ("received_at", "status"),
        [("1999-12-31T00:00:00+00:00", 422), ("1999-12-31T15:59:59+00:00", 422), ("2026-01-05T10:00:00", 422)],
    )
    async def test_receipt_before_2000_or_without_zone_refused(
        self, client: httpx.AsyncClient, operator: dict[str, str], received_at: str, status: int
    ) -> None:
        response = await client.post(
            f"{BASE}/cases", json=case_body(received_at=received_at), headers={**operator, **key()}
        )
        assert response.status_code == status and problem_fields(response) == ["body.received_at"]

    async def test_the_first_beijing_day_of_2000_is_a_receipt_date(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        # 16:00 UTC on 31 December 1999 is midnight in Beijing: the bound is a district date
        case = await open_case(client, operator, received_at="1999-12-31T16:00:00+00:00")
        assert case["received_date"] == "2000-01-01"

    @pytest.mark.parametrize(
        ("method", "path", "kwargs", "field"),
        [
            ("get", "/deadlines/overdue", {"params": {"as_of": "1900-01-01"}}, "query.as_of"),
            ("get", "/deadlines/at-risk", {"params": {"as_of": "someday"}}, "query.as_of"),
            ("get", "/deadlines/at-risk", {"params": {"within_working_days": "-1"}}, "query.within_working_days"),
            ("post", "/overdue-scans", {"json": {"as_of": "1900-01-01"}}, "body.as_of"),
            ("put", "/calendar/1999-10-01", {"json": {"kind": "holiday", "name": "x"}}, "path.day"),
            ("get", "/statistics/1999", {}, "path.year"),
        ],
    )
    async def test_out_of_range_days_name_the_field(
        self, client: httpx.AsyncClient, operator: dict[str, str], method: str, path: str, kwargs: dict, field: str
    ) -> None:
        response = await client.request(method.upper(), BASE + path, headers={**operator, **key()}, **kwargs)
        assert response.status_code == 422, response.text
        assert problem_fields(response) == [field]

    async def test_idempotency_key_required_and_replayed(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        missing = await client.post(f"{BASE}/cases", json=case_body(), headers=operator)
        assert missing.status_code == 400
        headers = {**operator, **key()}
        before = (await client.get(f"{BASE}/cases", headers=operator)).json()["total"]
        first = await client.post(f"{BASE}/cases", json=case_body(), headers=headers)
        again = await client.post(f"{BASE}/cases", json=case_body(), headers=headers)
        assert again.headers.get("idempotent-replayed") == "true"
        assert again.json()["id"] == first.json()["id"]
        after = (await client.get(f"{BASE}/cases", headers=operator)).json()["total"]
        assert after == before + 1
        # every write of every caller, the operator's moves and corrections included (#15)
        case_url = f"{BASE}/cases/{first.json()['id']}"
        for method, path, body in [
            ("POST", "/transitions", {"move": "accept"}),
            ("PATCH", "", {"title": "x", "reason": "typo"}),
            ("POST", "/timeline", {"kind": "note", "summary": "x"}),
            ("POST", "/handlers", {"handler_id": "o-1", "name": "Li"}),
        ]:
            unkeyed = await client.request(method, case_url + path, json=body, headers=operator)
            assert unkeyed.status_code == 400, (path, unkeyed.text)
        assert (
            await client.put(f"{BASE}/calendar/2026-10-09", json={"kind": "holiday", "name": "x"}, headers=operator)
        ).status_code == 400
        assert (await client.delete(f"{BASE}/calendar/2026-10-09", headers=operator)).status_code == 400
        assert (
            await client.post(f"{BASE}/overdue-scans", json={"as_of": "2026-01-05"}, headers=operator)
        ).status_code == 400
        assert (await client.get(case_url, headers=operator)).json()["status"] == "received"

    async def test_patent_normalised_and_typed(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        design = make_patent_number(2021, "3", 765432)
        case = await open_case(client, operator, patent_numbers=[f"ZL{design}", design], trademark_numbers=["1234567"])
        assert case["rights"] == [
            {"kind": "patent", "number": design, "patent_type": "design"},
            {"kind": "trademark", "number": "1234567", "patent_type": None},
        ]

    async def test_a_trademark_number_outside_its_declared_form_is_422(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        # The schema declares 1-10 digits; the server accepts exactly that (issue #15), so a
        # padded number is refused naming the field rather than silently trimmed.
        response = await client.post(
            f"{BASE}/cases",
            json=case_body(trademark_numbers=[" 1234567"]),
            headers={**operator, **key()},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.trademark_numbers.0"


class TestAccess:
    async def test_bank_gets_403(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        response = await client.get(f"{BASE}/cases", headers=tokens.headers("bank", "bank-a"))
        assert response.status_code == 403

    async def test_no_token_401(self, client: httpx.AsyncClient) -> None:
        assert (await client.get(f"{BASE}/cases")).status_code == 401

    async def test_agency_sees_only_cases_it_brought(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, operator: dict[str, str]
    ) -> None:
        name_a, name_b = testing.unique_name("agency-"), testing.unique_name("agency-")
        agency_a = tokens.headers("agency", name_a)
        agency_b = tokens.headers("agency", name_b)
        before = (await client.get(f"{BASE}/cases", headers=operator)).json()["total"]
        # an agency cannot file in another agency's name: the token decides
        own = await open_case(client, agency_a, requester_agency_id=name_b)
        assert own["requester_agency_id"] == name_a
        by_operator = await open_case(client, operator, requester_agency_id=name_b)
        unrelated = await open_case(client, operator)
        ids_a = [c["id"] for c in (await client.get(f"{BASE}/cases", headers=agency_a)).json()["items"]]
        ids_b = [c["id"] for c in (await client.get(f"{BASE}/cases", headers=agency_b)).json()["items"]]
        assert ids_a == [own["id"]] and ids_b == [by_operator["id"]]
        assert (await client.get(f"{BASE}/cases/{own['id']}", headers=agency_b)).status_code == 404
        assert (await client.get(f"{BASE}/cases/{unrelated['id']}", headers=agency_a)).status_code == 404
        assert (await client.get(f"{BASE}/cases/{own['id']}/timeline", headers=agency_b)).status_code == 404
        assert (await client.get(f"{BASE}/cases/{own['id']}/timeline", headers=agency_a)).status_code == 200
        everything = (await client.get(f"{BASE}/cases", headers=operator)).json()
        assert everything["total"] == before + 3

    async def test_agency_cannot_move_a_case(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        agency = tokens.headers("agency", "agency-a")
        case = await open_case(client, agency)
        await move(client, agency, case["id"], "accept", expect=403)


class TestWorkflow:
    async def test_adjudication_from_receipt_to_rating(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-01-05"))
        assert case["acceptance_due_date"] == "2026-01-12"
        accepted = await move(client, operator, case["id"], "accept", occurred_at=at("2026-01-07"))
        assert accepted["handling_started_date"] == "2026-01-07"
        assert accepted["handling_due_date"] == "2026-04-07" and accepted["handling_max_date"] == "2026-06-08"
        await move(client, operator, case["id"], "start_review", occurred_at=at("2026-01-08"))
        decided = await move(
            client,
            operator,
            case["id"],
            "decide",
            occurred_at=at("2026-03-20"),
            resolution_reason="infringement_found",
            resolution="Respondent ordered to stop.",
        )
        assert decided["allowed_moves"] == ["close"]
        closed = await move(client, operator, case["id"], "close", occurred_at=at("2026-03-25"))
        assert closed["status"] == "closed" and closed["closed_within_deadline"] is True
        assert len(closed["rating_token"]) >= 40
        for status in ("received", "accepted", "under_review", "decided", "closed"):
            assert closed[f"{status}_at"] is not None, status
        assert closed["rejected_at"] is None and closed["resolution_reason"] == "infringement_found"
        timeline = (await client.get(f"{BASE}/cases/{case['id']}/timeline", headers=operator)).json()["items"]
        kinds = [e["kind"] for e in timeline]
        assert kinds == ["case_received", *["status_changed"] * 4, "rating_token_issued"]
        assert all(e["actor"].startswith("operator:") for e in timeline)

    async def test_late_outcome_is_not_within_deadline(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(
            client, operator, case_type="counterfeit_patent", channel="rapid", received_at=at("2026-03-02")
        )
        # rapid counterfeit: 10 days from acceptance on Mar 3 -> Mar 13
        closed = await walk(
            client,
            operator,
            case["id"],
            [
                ("accept", "2026-03-03"),
                ("start_review", "2026-03-04"),
                ("decide", "2026-03-16"),
                ("close", "2026-03-16"),
            ],
        )
        assert closed["handling_due_date"] == "2026-03-13" and closed["closed_within_deadline"] is False

    async def test_illegal_move_is_409_with_allowed_moves(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator)
        body = await move(client, operator, case["id"], "decide", expect=409)
        assert body["allowed_moves"] == ["accept", "cancel", "reject", "withdraw"]

    async def test_stale_version_is_409(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        case = await open_case(client, operator)
        await move(client, operator, case["id"], "accept", expected_version=1)
        await move(client, operator, case["id"], "start_review", expected_version=1, expect=409)

    async def test_occurred_at_before_previous_status_refused(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-02-02"))
        body = await move(client, operator, case["id"], "accept", occurred_at=at("2026-02-01"), expect=422)
        assert body["errors"][0]["field"] == "body.occurred_at"

    async def test_unknown_case_404(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        await move(client, operator, "nope", "accept", expect=404)

    async def test_reject_then_close(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        case = await open_case(client, operator, received_at=at("2026-02-02"))
        closed = await walk(client, operator, case["id"], [("reject", "2026-02-04"), ("close", "2026-02-05")])
        assert closed["rejected_at"] and closed["accepted_at"] is None and closed["closed_within_deadline"] is True


PATHS = {
    "patent_infringement_adjudication": ["accept", "start_review", "decide", "close"],
    "patent_mediation": ["accept", "start_review", "fail_mediation", "close"],
    "counterfeit_patent": ["accept", "start_review", "decide", "close"],
    "trademark_enforcement": ["accept", "start_review", "decide", "close"],
    "assistance": ["accept", "start_review", "close"],
    "overseas_assistance": ["accept", "start_review", "mediate", "close"],
}
REACHES = {
    "accept": "accepted",
    "start_review": "under_review",
    "decide": "decided",
    "mediate": "mediated",
    "fail_mediation": "mediation_failed",
    "close": "closed",
    "withdraw": "withdrawn",
    "reject": "rejected",
}
STATUSES = [
    "received",
    "accepted",
    "rejected",
    "under_review",
    "decided",
    "mediated",
    "mediation_failed",
    "withdrawn",
    "closed",
]


class TestEveryTypeOverHttp:
    @pytest.mark.parametrize(("case_type", "path"), list(PATHS.items()))
    async def test_path_to_closure_stamps_each_status_it_enters(
        self, client: httpx.AsyncClient, operator: dict[str, str], case_type: str, path: list[str]
    ) -> None:
        case = await open_case(client, operator, case_type=case_type, received_at=at("2026-01-05"))
        days = ["2026-01-06", "2026-01-07", "2026-01-20", "2026-01-21"]
        result = await walk(client, operator, case["id"], list(zip(path, days, strict=False)))
        entered = {"received", *(REACHES[m] for m in path)}
        assert {s for s in STATUSES if result[f"{s}_at"] is not None} == entered
        assert result["status"] == "closed" and result["allowed_moves"] == [] and result["rating_token"]
        assert result["closed_within_deadline"] is True

    @pytest.mark.parametrize("case_type", list(PATHS))
    async def test_withdrawal_under_review(
        self, client: httpx.AsyncClient, operator: dict[str, str], case_type: str
    ) -> None:
        case = await open_case(client, operator, case_type=case_type)
        for name in ("accept", "start_review", "withdraw"):
            await move(client, operator, case["id"], name)
        closed = await move(client, operator, case["id"], "close")
        assert closed["withdrawn_at"] and closed["decided_at"] is None


class TestFailedMediation:
    async def test_opens_linked_adjudication_once(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        mediation = await open_case(client, operator, case_type="patent_mediation", received_at=at("2026-03-02"))
        early = await client.post(
            f"{BASE}/cases/{mediation['id']}/adjudication-case", json={}, headers={**operator, **key()}
        )
        assert early.status_code == 409
        await walk(
            client,
            operator,
            mediation["id"],
            [
                ("accept", "2026-03-03"),
                ("start_review", "2026-03-04"),
                ("fail_mediation", "2026-04-01"),
            ],
        )
        response = await client.post(
            f"{BASE}/cases/{mediation['id']}/adjudication-case", json={}, headers={**operator, **key()}
        )
        assert response.status_code == 201, response.text
        follow_up = response.json()
        assert follow_up["case_type"] == "patent_infringement_adjudication"
        assert follow_up["related_case_id"] == mediation["id"] and follow_up["status"] == "received"
        assert [p["credit_code"] for p in follow_up["parties"]] == [p["credit_code"] for p in mediation["parties"]]
        assert follow_up["rights"] == mediation["rights"]
        again = await client.post(
            f"{BASE}/cases/{mediation['id']}/adjudication-case", json={}, headers={**operator, **key()}
        )
        assert again.status_code == 409
        kinds = [
            e["kind"]
            for e in (await client.get(f"{BASE}/cases/{mediation['id']}/timeline", headers=operator)).json()["items"]
        ]
        assert kinds[-1] == "follow_up_opened"

    async def test_mediated_case_cannot(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        mediation = await open_case(client, operator, case_type="patent_mediation")
        await walk(client, operator, mediation["id"], [])
        for name in ("accept", "start_review", "mediate", "close"):
            await move(client, operator, mediation["id"], name)
        response = await client.post(
            f"{BASE}/cases/{mediation['id']}/adjudication-case", json={}, headers={**operator, **key()}
        )
        assert response.status_code == 409


class TestHandlersAndDocuments:
    async def test_assign_release_and_conflicts(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        case = await open_case(client, operator)
        url = f"{BASE}/cases/{case['id']}/handlers"
        first = await client.post(
            url, json={"handler_id": "officer-1", "name": "Li Wei", "lead": True}, headers={**operator, **key()}
        )
        assert first.status_code == 201 and first.json()["lead"] is True
        dup = await client.post(url, json={"handler_id": "officer-1", "name": "Li Wei"}, headers={**operator, **key()})
        assert dup.status_code == 409
        await client.post(url, json={"handler_id": "officer-2", "name": "Wang Fang"}, headers={**operator, **key()})
        released = await client.delete(f"{url}/officer-2", headers={**operator, **key()})
        assert released.status_code == 200 and released.json()["released_at"] is not None
        assert (await client.delete(f"{url}/officer-2", headers={**operator, **key()})).status_code == 404
        fetched = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        assert {(h["handler_id"], h["released_at"] is None) for h in fetched["handlers"]} == {
            ("officer-1", True),
            ("officer-2", False),
        }

    async def test_documents_by_reference(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        case = await open_case(client, operator)
        content = b"%PDF-1.7 purchase receipt"
        body = {
            "kind": "evidence",
            "title": "Notarised purchase",
            "sha256": hashlib.sha256(content).hexdigest().upper(),
            "size_bytes": len(content),
            "media_type": "application/pdf",
            "reference": "s3://evidence/receipt.pdf",
            "submitted_by_role": "requester",
        }
        url = f"{BASE}/cases/{case['id']}/documents"
        created = await client.post(url, json=body, headers={**operator, **key()})
        assert created.status_code == 201, created.text
        assert created.json()["sha256"] == hashlib.sha256(content).hexdigest()
        assert (await client.post(url, json=body, headers={**operator, **key()})).status_code == 409
        bad = await client.post(url, json={**body, "sha256": "abc"}, headers={**operator, **key()})
        assert bad.status_code == 422 and any("sha256" in f for f in problem_fields(bad))
        bad_type = await client.post(
            url, json={**body, "sha256": "0" * 64, "media_type": "pdf"}, headers={**operator, **key()}
        )
        assert bad_type.status_code == 422
        listed = (await client.get(url, headers=operator)).json()
        assert listed["total"] == 1 and listed["items"][0]["size_bytes"] == len(content)

    async def test_agency_adds_evidence_to_its_own_case_only(
        self, client: httpx.AsyncClient, operator: dict[str, str], tokens: testing.TokenFactory
    ) -> None:
        name = testing.unique_name("agency-")
        agency = tokens.headers("agency", name)
        own = await open_case(client, agency)
        other = await open_case(client, operator)
        body = {
            "title": "Sales page capture",
            "sha256": "ab" * 32,
            "size_bytes": 2048,
            "media_type": "image/png",
            "reference": "https://evidence.example/capture.png",
            "submitted_by_role": "respondent",
        }
        no_key = await client.post(f"{BASE}/cases/{own['id']}/documents", json=body, headers=agency)
        assert no_key.status_code == 400
        headers = {**agency, **key()}
        created = await client.post(f"{BASE}/cases/{own['id']}/documents", json=body, headers=headers)
        assert created.status_code == 201, created.text
        assert created.json()["submitted_by_role"] == "requester" and created.json()["added_by"].startswith("agency:")
        replay = await client.post(f"{BASE}/cases/{own['id']}/documents", json=body, headers=headers)
        assert replay.status_code == 201 and replay.json()["id"] == created.json()["id"]
        foreign = await client.post(f"{BASE}/cases/{other['id']}/documents", json=body, headers={**agency, **key()})
        assert foreign.status_code == 404


class TestNotes:
    async def test_hearing_recorded_on_the_timeline_in_time_order(
        self, client: httpx.AsyncClient, operator: dict[str, str], tokens: testing.TokenFactory
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-01-05"))
        await move(client, operator, case["id"], "accept", occurred_at=at("2026-03-02"))
        url = f"{BASE}/cases/{case['id']}/timeline"
        hearing = await client.post(
            url,
            json={"kind": "hearing", "summary": "oral hearing, both parties present", "occurred_at": at("2026-02-10")},
            headers={**operator, **key()},
        )
        assert hearing.status_code == 201, hearing.text
        assert hearing.json()["kind"] == "hearing" and hearing.json()["actor"].startswith("operator:")
        assert hearing.json()["at"].startswith("2026-02-10") and "recorded_at" in hearing.json()["details"]
        before_receipt = await client.post(
            url, json={"kind": "note", "summary": "x", "occurred_at": at("2026-01-01")}, headers={**operator, **key()}
        )
        assert before_receipt.status_code == 422 and problem_fields(before_receipt) == ["body.occurred_at"]
        unknown = await client.post(url, json={"kind": "party", "summary": "x"}, headers={**operator, **key()})
        assert unknown.status_code == 422
        agency = await client.post(url, json={"kind": "note", "summary": "x"}, headers=tokens.headers("agency", "a"))
        assert agency.status_code == 403
        items = (await client.get(url, headers=operator)).json()["items"]
        assert [i["kind"] for i in items] == ["case_received", "hearing", "status_changed"]


class TestTimelineAppendOnly:
    async def test_database_refuses_update_and_delete(
        self, client: httpx.AsyncClient, operator: dict[str, str], shared_database: str
    ) -> None:
        await open_case(client, operator)
        engine = db.create_engine(shared_database)
        try:
            for statement in ("UPDATE case_event SET summary = 'rewritten'", "DELETE FROM case_event"):
                with pytest.raises(DBAPIError, match="append-only"):
                    async with engine.begin() as conn:
                        await conn.execute(text(statement))
        finally:
            await engine.dispose()


class TestUpdate:
    async def test_marking_a_mediation_complex_moves_its_deadline(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, case_type="patent_mediation", received_at=at("2026-03-01"))
        accepted = await move(client, operator, case["id"], "accept", occurred_at=at("2026-03-02"))
        assert accepted["handling_due_date"] == "2026-05-06"
        url = f"{BASE}/cases/{case['id']}"
        no_reason = await client.patch(url, json={"complex": True}, headers={**operator, **key()})
        assert no_reason.status_code == 422 and problem_fields(no_reason) == ["body.reason"]
        updated = await client.patch(
            url, json={"complex": True, "reason": "three respondents"}, headers={**operator, **key()}
        )
        assert updated.status_code == 200, updated.text
        assert updated.json()["complex"] is True and updated.json()["handling_due_date"] == "2026-06-02"
        assert updated.json()["version"] == accepted["version"] + 1
        timeline = (await client.get(f"{url}/timeline", headers=operator)).json()["items"]
        assert timeline[-1]["kind"] == "case_updated" and timeline[-1]["details"]["changed"] == ["complex"]


class TestConcurrency:
    async def test_two_simultaneous_moves_make_one(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        case = await open_case(client, operator)
        url = f"{BASE}/cases/{case['id']}/transitions"
        responses = await asyncio.gather(
            *(client.post(url, json={"move": "accept"}, headers={**operator, **key()}) for _ in range(2))
        )
        assert sorted(r.status_code for r in responses) == [200, 409]
        history = (await client.get(f"{BASE}/cases/{case['id']}/timeline", headers=operator)).json()["items"]
        assert [e["kind"] for e in history].count("status_changed") == 1
