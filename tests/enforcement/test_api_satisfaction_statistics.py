"""Satisfaction through the single-use token, and the plan's statistics (operators) and public
aggregates (no party named), on PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests import testing
from tests.enforcement.helpers import BASE, RESPONDENT_CODE, at, open_case, walk

CODES = ["91120110MA05JAAA0X", "91120110MA05JBBB0U", "91120110MA05JCCC0R", "91120110MA05JDDD0P", "91120110MA05JEEE0M"]
DECIDED = [("accept", "2026-01-07"), ("start_review", "2026-01-08"), ("decide", "2026-03-20"), ("close", "2026-03-25")]


def parties(code: str) -> list[dict[str, str]]:
    return [
        {"role": "requester", "kind": "enterprise", "name": f"Requester {code[-4:]}", "credit_code": code},
        {"role": "respondent", "kind": "enterprise", "name": "Copycat Ltd.", "credit_code": RESPONDENT_CODE},
    ]


async def closed_case(client: httpx.AsyncClient, operator: dict[str, str]) -> dict:
    case = await open_case(client, operator, received_at=at("2026-01-05"))
    return await walk(client, operator, case["id"], DECIDED)


class TestRating:
    @pytest.fixture
    def client(self, shared_client: httpx.AsyncClient) -> httpx.AsyncClient:
        """These tests make their own cases: one app and database for the module."""
        return shared_client

    async def test_once_per_case_by_token(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        closed = await closed_case(client, operator)
        token = closed["rating_token"]
        out_of_range = await client.post(f"{BASE}/ratings", json={"token": token, "score": 101})
        assert out_of_range.status_code == 422 and out_of_range.json()["errors"][0]["field"] == "body.score"
        first = await client.post(f"{BASE}/ratings", json={"token": token, "score": 90, "comment": "fast"})
        assert first.status_code == 201, first.text
        assert first.json()["case_id"] == closed["id"] and first.json()["score"] == 90
        second = await client.post(f"{BASE}/ratings", json={"token": token, "score": 10})
        assert second.status_code == 409
        unknown = await client.post(f"{BASE}/ratings", json={"token": "x" * 43, "score": 50})
        assert unknown.status_code == 404
        timeline = (await client.get(f"{BASE}/cases/{closed['id']}/timeline", headers=operator)).json()["items"]
        assert timeline[-1]["kind"] == "rated" and timeline[-1]["details"] == {"score": 90}

    async def test_two_concurrent_ratings_record_one(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        closed = await closed_case(client, operator)
        body = {"token": closed["rating_token"]}
        responses = await asyncio.gather(
            *(client.post(f"{BASE}/ratings", json={**body, "score": score}) for score in (60, 95))
        )
        assert sorted(r.status_code for r in responses) == [201, 409]

    async def test_token_only_at_closure_and_not_in_reads(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        closed = await closed_case(client, operator)
        fetched = await client.get(f"{BASE}/cases/{closed['id']}", headers=operator)
        assert "rating_token" not in fetched.json()
        assert closed["rating_token"] not in fetched.text


class TestStatistics:
    async def test_year_figures_and_public_view(
        self, client: httpx.AsyncClient, operator: dict[str, str], tokens: testing.TokenFactory
    ) -> None:
        a, b, c, d, e = CODES
        for case_type, code, day in [
            ("patent_infringement_adjudication", a, "2025-03-03"),
            ("trademark_enforcement", b, "2025-05-06"),
            ("assistance", a, "2025-06-02"),
        ]:
            await open_case(client, operator, case_type=case_type, parties=parties(code), received_at=at(day))
        adjudication = await open_case(client, operator, parties=parties(a), received_at=at("2026-01-05"))
        adjudication = await walk(client, operator, adjudication["id"], DECIDED)
        counterfeit = await open_case(
            client,
            operator,
            case_type="counterfeit_patent",
            channel="rapid",
            parties=parties(c),
            received_at=at("2026-03-02"),
        )
        counterfeit = await walk(
            client,
            operator,
            counterfeit["id"],
            [
                ("accept", "2026-03-03"),
                ("start_review", "2026-03-04"),
                ("decide", "2026-03-16"),
                ("close", "2026-03-16"),
            ],
        )
        await open_case(
            client, operator, case_type="trademark_enforcement", parties=parties(d), received_at=at("2026-04-01")
        )
        await open_case(
            client, operator, case_type="patent_mediation", parties=parties(e), received_at=at("2026-05-04")
        )
        for closed, score in ((adjudication, 90), (counterfeit, 70)):
            response = await client.post(f"{BASE}/ratings", json={"token": closed["rating_token"], "score": score})
            assert response.status_code == 201

        figures = (await client.get(f"{BASE}/statistics/2026", headers=operator)).json()
        assert {
            k: figures[k]
            for k in (
                "cases",
                "previous_cases",
                "case_growth",
                "administrative_cases",
                "previous_administrative_cases",
                "administrative_growth",
                "enterprises_protected",
                "satisfaction",
                "closed",
                "closed_within_deadline",
                "share_closed_within_deadline",
                "overdue_cases",
                "overdue_rate",
                "served_party_ratings",
                "served_parties_average_rating",
            )
        } == {
            "cases": 4,
            "previous_cases": 3,
            "case_growth": "0.3333",
            "administrative_cases": 3,
            "previous_administrative_cases": 2,
            "administrative_growth": "0.5000",
            "enterprises_protected": 4,
            "satisfaction": None,  # no survey: the served parties' ratings are not the plan's satisfaction
            "closed": 2,
            "closed_within_deadline": 1,
            "share_closed_within_deadline": "0.5000",
            "overdue_cases": 1,
            "overdue_rate": "0.2500",
            "served_party_ratings": 2,
            "served_parties_average_rating": "80.0",
        }
        times = {t["case_type"]: (t["closed"], t["mean_days"]) for t in figures["handling_time"]}
        assert times["patent_infringement_adjudication"] == (1, "79.0")
        assert times["counterfeit_patent"] == (1, "14.0")
        assert times["patent_mediation"] == (0, None)

        previous = (await client.get(f"{BASE}/statistics/2025", headers=operator)).json()
        assert (previous["cases"], previous["administrative_growth"], previous["enterprises_protected"]) == (3, None, 2)

        assert (await client.get(f"{BASE}/statistics/2026", headers=tokens.headers("agency", "x"))).status_code == 403

        public = await client.get(f"{BASE}/public/statistics")  # no token
        assert public.status_code == 200
        years = {y["year"]: y for y in public.json()["years"]}
        assert sorted(years) == [2025, 2026]
        assert years[2026]["enterprises_protected"] == 4 and years[2026]["served_parties_average_rating"] == "80.0"
        for secret in [*CODES, RESPONDENT_CODE, "Requester", "Copycat", adjudication["id"], counterfeit["id"]]:
            assert secret not in public.text
