"""Data-set upload over HTTP: the stored landscape equals the independent reference, the report is
printable HTML, bad uploads are problem+json, replays make one data set, and tenancy holds."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from navigation.config import NavigationSettings
from navigation.domain.applicants import REGISTER, AliasGroup
from tests import testing
from tests.navigation import reference
from tests.navigation.helpers import BASE, move, propose, upload
from tests.navigation.test_landscape import assert_same

FIXTURE = Path(__file__).parent / "fixtures" / "landscape_sample.csv"


async def approved_project(client: httpx.AsyncClient, tokens: testing.TokenFactory, org: str = "agency-a") -> str:
    project = await propose(client, tokens, org)
    response = await move(client, tokens.headers("operator"), project["id"], "approve")
    assert response.status_code == 200
    return str(project["id"])


@pytest.fixture
def org(tokens: testing.TokenFactory) -> dict[str, str]:
    return tokens.headers("agency", "agency-a")


class TestUpload:
    async def test_landscape_and_report(
        self,
        client: httpx.AsyncClient,
        tokens: testing.TokenFactory,
        org: dict[str, str],
        navigation_settings: NavigationSettings,
    ) -> None:
        office = tokens.headers("operator")
        code = "91120110MA05JRBK4M"
        put = await client.put(
            f"{BASE}/district-enterprises/{code}", json={"name": "比亚迪汽车工业(天津)有限公司"}, headers=office
        )
        assert put.status_code == 200, put.text
        pid = await approved_project(client, tokens)
        response = await upload(client, org, pid, FIXTURE.read_bytes())
        assert response.status_code == 201, response.text
        dataset = response.json()
        assert dataset["record_count"] == 406 and dataset["application_count"] == 403
        assert dataset["filename"] == "data.csv" and len(dataset["sha256"]) == 64

        landscape = (await client.get(f"{BASE}/datasets/{dataset['id']}/landscape", headers=org)).json()
        registered = "比亚迪汽车工业(天津)有限公司"
        expected = reference.landscape(
            reference.read_csv(FIXTURE),
            district_applicants=(registered,),
            aliases=(AliasGroup(registered, (), REGISTER),),  # shown by its registered name
        )
        assert_same(landscape, expected)

        page = await client.get(f"{BASE}/datasets/{dataset['id']}/report", headers=org)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "<svg" in page.text and "<script" not in page.text

        kept = navigation_settings.data_dir / "datasets" / f"{dataset['id']}.csv"
        assert kept.read_bytes() == FIXTURE.read_bytes()
        listed = (await client.get(f"{BASE}/projects/{pid}/datasets", headers=org)).json()["items"]
        assert [d["id"] for d in listed] == [dataset["id"]]

    async def test_json_lines_upload(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, org: dict[str, str]
    ) -> None:
        pid = await approved_project(client, tokens)
        lines = [
            {"application_number": "202010123456.2", "applicants": ["华为技术有限公司", "HUAWEI CO LTD"], "pct": True},
            {"application_number": "ZL202010123456.2", "applicants": "华为技术股份有限公司", "ipc": "H04W 72/04"},
        ]
        body = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
        response = await upload(client, org, pid, body, content_type="application/x-ndjson")
        assert response.status_code == 201, response.text
        assert (response.json()["record_count"], response.json()["application_count"]) == (2, 1)

    async def test_a_replayed_upload_makes_one_data_set(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, org: dict[str, str]
    ) -> None:
        pid = await approved_project(client, tokens)
        key = uuid.uuid4().hex
        first = await upload(client, org, pid, FIXTURE.read_bytes(), idempotency_key=key)
        second = await upload(client, org, pid, FIXTURE.read_bytes(), idempotency_key=key)
        assert first.json()["id"] == second.json()["id"]
        assert second.headers.get("Idempotent-Replayed") == "true"
        other = await upload(client, org, pid, b"application_number,applicants\n", idempotency_key=key)
        assert other.status_code == 422  # same key, different file
        listed = (await client.get(f"{BASE}/projects/{pid}/datasets", headers=org)).json()["items"]
        assert len(listed) == 1


class TestRefusedUploads:
    async def test_bad_uploads_are_problems_naming_the_fault(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, org: dict[str, str]
    ) -> None:
        pid = await approved_project(client, tokens)
        cases: list[tuple[dict[str, Any], int, str]] = [
            ({"content": b"a,b\n1,2\n", "content_type": "application/pdf"}, 415, "header.Content-Type"),
            ({"content": b"title,abstract\nx,y\n"}, 422, "file.application_number"),
            ({"content": b""}, 422, "body"),
        ]
        for kwargs, status, field in cases:
            response = await upload(client, org, pid, **kwargs)
            assert response.status_code == status, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["errors"][0]["field"] == field
        missing_key = await client.post(
            f"{BASE}/projects/{pid}/datasets", content=b"x", headers={**org, "Content-Type": "text/csv"}
        )
        assert missing_key.status_code == 400

    async def test_too_large_is_413(
        self, navigation_settings: NavigationSettings, serve_app: Any, tokens: testing.TokenFactory
    ) -> None:
        from navigation.main import create_app

        settings = navigation_settings.model_copy(update={"max_upload_bytes": 1000})
        async with serve_app(create_app(settings)) as client:
            pid = await approved_project(client, tokens)
            response = await upload(client, tokens.headers("agency", "agency-a"), pid, FIXTURE.read_bytes())
        assert response.status_code == 413
        assert list((settings.data_dir / "datasets").iterdir()) == []

    async def test_not_before_approval_and_not_for_another_organisation(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, org: dict[str, str]
    ) -> None:
        proposed = await propose(client, tokens, "agency-a")
        assert (await upload(client, org, proposed["id"], FIXTURE.read_bytes())).status_code == 409
        pid = await approved_project(client, tokens)
        other = tokens.headers("agency", "agency-b")
        assert (await upload(client, other, pid, FIXTURE.read_bytes())).status_code == 404
        dataset = (await upload(client, org, pid, FIXTURE.read_bytes())).json()
        for path in ("", "/landscape", "/report"):
            assert (await client.get(f"{BASE}/datasets/{dataset['id']}{path}", headers=other)).status_code == 404
        assert (await client.get(f"{BASE}/datasets/{dataset['id']}")).status_code == 401


class TestDirectLandscape:
    async def test_records_in_the_request(self, client: httpx.AsyncClient, org: dict[str, str]) -> None:
        rows = reference.read_csv(FIXTURE)
        records = []
        for row in rows:
            if not row["application_number"] or reference.parse_date(row["application_date"]) is None:
                continue
            records.append(
                {
                    **{k: (v or None) for k, v in row.items()},
                    "applicants": reference.as_list(row["applicants"]),
                    "inventors": reference.as_list(row["inventors"]),
                    "ipc": reference.as_list(row["ipc"]),
                    "application_date": reference.parse_date(row["application_date"]).isoformat(),
                    "publication_date": (
                        d.isoformat() if (d := reference.parse_date(row["publication_date"])) else None
                    ),
                    "pct": row["pct"] in ("true", "是"),
                }
            )
        response = await client.post(f"{BASE}/landscape", json={"records": records}, headers=org)
        assert response.status_code == 200, response.text
        expected = reference.landscape(records)
        assert_same(response.json(), expected)

    async def test_an_empty_list_is_refused(self, client: httpx.AsyncClient, org: dict[str, str]) -> None:
        response = await client.post(f"{BASE}/landscape", json={"records": []}, headers=org)
        assert response.status_code == 422 and response.json()["errors"][0]["field"].endswith("records")
