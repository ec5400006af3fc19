"""Work logs over HTTP on PostgreSQL: single entries, and bulk uploads that are all or nothing
(10,000 rows with bad rows in the middle: every bad row reported, nothing written)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests import testing
from tests.conftest import serve
from tests.trusteeship.helpers import (
    BASE,
    as_agency,
    as_operator,
    credit_code,
    enrol,
    execute,
    outbox_types,
    register_agency,
)
from trusteeship.config import TrusteeshipSettings

A, B = "agency-a", "agency-b"
TYPES = ["deadline_watch", "search", "filing_assistance", "training", "consultation", "management_system"]
HEADER = [
    "credit_code",
    "service_type",
    "work_date",
    "hours",
    "description",
    "outcome",
    "patent_numbers",
    "trademark_numbers",
    "document_refs",
]


def rows(codes: list[str], n: int) -> list[dict[str, str]]:
    """`n` good rows spread over the enterprises, types and 2025's months."""
    start = date(2025, 1, 2)
    return [
        {
            "credit_code": codes[i % len(codes)],
            "service_type": TYPES[i % len(TYPES)],
            "work_date": (start + timedelta(days=i % 360)).isoformat(),
            "hours": "1.50",
            "description": f"work item {i}",
            "outcome": "done",
            "patent_numbers": "202010123456.2" if i % 7 == 0 else "",
            "trademark_numbers": "12345678" if i % 11 == 0 else "",
            "document_refs": "archive://a/1;archive://a/2" if i % 13 == 0 else "",
        }
        for i in range(n)
    ]


def to_csv(records: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode()


async def setup(client: httpx.AsyncClient, tokens: testing.TokenFactory, count: int = 20) -> list[str]:
    await register_agency(client, tokens, A, scope=TYPES)
    await register_agency(client, tokens, B)
    codes = [credit_code(1000 + i) for i in range(count)]
    for code in codes:
        await enrol(client, tokens, A, code)
    await enrol(client, tokens, B, credit_code(999))
    return codes


async def upload(client: httpx.AsyncClient, tokens: testing.TokenFactory, body: bytes, media: str) -> httpx.Response:
    return await client.post(
        f"{BASE}/work-logs/bulk", content=body, headers={**as_agency(tokens, A), "Content-Type": media}, timeout=120
    )


class TestSingleEntry:
    async def test_log_and_list(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        [code, *_] = await setup(client, tokens, count=1)
        body = {
            "credit_code": code,
            "service_type": "training",
            "work_date": "2025-03-04",
            "hours": "2.5",
            "description": "IP basics for the R&D team",
            "patent_numbers": ["ZL202010123456.2"],
        }
        created = await client.post(f"{BASE}/work-logs", json=body, headers=as_agency(tokens, A))
        assert created.status_code == 201, created.text
        assert created.json()["hours"] == "2.50" and created.json()["patent_numbers"] == ["202010123456.2"]
        listed = await client.get(f"{BASE}/work-logs", headers=as_agency(tokens, A, keyed=False))
        assert listed.json()["total"] == 1
        other = await client.get(f"{BASE}/work-logs", headers=as_agency(tokens, B, keyed=False))
        assert other.json()["total"] == 0

    async def test_cannot_log_for_an_enterprise_not_held(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await setup(client, tokens, count=1)
        body = {
            "credit_code": credit_code(999),
            "service_type": "training",
            "work_date": "2025-03-04",
            "description": "not ours",
        }
        response = await client.post(f"{BASE}/work-logs", json=body, headers=as_agency(tokens, A))
        assert response.status_code == 404

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"work_date": "2099-01-01"}, "body.work_date"),
            ({"work_date": "2024-12-31"}, "body.work_date"),  # before the enrolment
            ({"service_type": "early_warning"}, "body.service_type"),  # outside the contract's scope
            ({"service_type": "astrology"}, "body.service_type"),
            ({"hours": "1.234"}, "body.hours"),
        ],
    )
    async def test_rule_violations_name_the_field(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, change: dict[str, str], field: str
    ) -> None:
        [code, *_] = await setup(client, tokens, count=1)
        body = {
            "credit_code": code,
            "service_type": "training",
            "work_date": "2025-03-04",
            "description": "x",
            **change,
        }
        response = await client.post(f"{BASE}/work-logs", json=body, headers=as_agency(tokens, A))
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field

    async def test_key_is_required_and_operator_cannot_log(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        [code, *_] = await setup(client, tokens, count=1)
        body = {"credit_code": code, "service_type": "training", "work_date": "2025-03-04", "description": "x"}
        no_key = await client.post(f"{BASE}/work-logs", json=body, headers=as_agency(tokens, A, keyed=False))
        assert no_key.status_code == 400 and no_key.json()["errors"][0]["field"] == "header.Idempotency-Key"
        operator = await client.post(f"{BASE}/work-logs", json=body, headers=as_operator(tokens))
        assert operator.status_code == 403


class TestBulkUpload:
    async def test_ten_thousand_rows_with_bad_rows_in_the_middle(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        codes = await setup(client, tokens)
        records = rows(codes, 10_000)
        # data row i is on line i + 2 (the header is line 1)
        records[2500]["credit_code"] = "91120110000000000X"  # bad check character
        records[5000]["service_type"] = "astrology"
        records[6000]["credit_code"] = credit_code(999)  # held by agency B
        records[7500]["work_date"] = "2025-02-30"
        records[9000]["work_date"] = "2099-01-01"
        records[9001]["hours"] = "-1"
        response = await upload(client, tokens, to_csv(records), "text/csv")
        assert response.status_code == 422, response.text[:500]
        problem = response.json()
        assert problem["type"] == "/problems/upload-rejected"
        assert problem["row_count"] == 10_000 and problem["rejected_rows"] == 6
        assert [(e["row"], e["field"]) for e in problem["errors"]] == [
            (2502, "credit_code"),
            (5002, "service_type"),
            (6002, "credit_code"),
            (7502, "work_date"),
            (9002, "work_date"),
            (9003, "hours"),
        ]
        messages = {e["row"]: e["message"] for e in problem["errors"]}
        assert "does not hold" in messages[6002] and "future" in messages[9002]
        # nothing half-written
        for table in ("work_log", "work_upload"):
            assert await execute(trusteeship_settings.database_url, f"SELECT count(*) FROM {table}") == [(0,)]
        assert "ipops.trusteeship.work.uploaded.v1" not in await outbox_types(trusteeship_settings.database_url)

        # the same file, fixed, goes in whole
        good = rows(codes, 10_000)
        accepted = await upload(client, tokens, to_csv(good), "text/csv")
        assert accepted.status_code == 201, accepted.text[:500]
        result = accepted.json()
        assert result["row_count"] == 10_000 and result["enterprise_count"] == 20
        assert sum(result["counts_by_service_type"].values()) == 10_000
        listed = await client.get(
            f"{BASE}/work-logs",
            params={"upload_id": result["upload_id"], "limit": 1},
            headers=as_agency(tokens, A, keyed=False),
        )
        assert listed.json()["total"] == 10_000
        assert (await outbox_types(trusteeship_settings.database_url)).count("ipops.trusteeship.work.uploaded.v1") == 1

        stats = (
            await client.get(
                f"{BASE}/statistics/work",
                params={"from_date": "2025-01-01", "to_date": "2025-12-31"},
                headers=as_agency(tokens, A, keyed=False),
            )
        ).json()["rows"]
        assert sum(r["count"] for r in stats) == 10_000
        jan_training = next(r for r in stats if r["month"] == "2025-01" and r["service_type"] == "training")
        assert jan_training["hours"] == f"{jan_training['count'] * 1.5:.2f}"

    async def test_json_lines_with_a_broken_line(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        codes = await setup(client, tokens, count=2)
        lines = [
            json.dumps(
                {
                    "credit_code": codes[i % 2],
                    "service_type": "search",
                    "work_date": "2025-05-06",
                    "description": f"search {i}",
                    "patent_numbers": [],
                }
            )
            for i in range(50)
        ]
        lines[20] = '{"credit_code": "oops"'
        lines[30] = "[1, 2]"
        body = ("\n".join(lines) + "\n").encode()
        rejected = await upload(client, tokens, body, "application/x-ndjson")
        assert rejected.status_code == 422
        assert [e["row"] for e in rejected.json()["errors"]] == [21, 31]
        assert await execute(trusteeship_settings.database_url, "SELECT count(*) FROM work_log") == [(0,)]
        del lines[30]
        del lines[20]
        accepted = await upload(client, tokens, ("\n".join(lines)).encode(), "application/x-ndjson")
        assert accepted.status_code == 201 and accepted.json()["row_count"] == 48

    async def test_every_row_breaking_a_rule_is_reported_and_the_enrolment_start_is_each_rows(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        """The rules are judged once per distinct (type, date, enrolment start): the same verdict
        must still land on every row it applies to, and the same type and date be judged apart for
        enterprises enrolled on different days."""
        await register_agency(client, tokens, A, scope=["search", "training"])
        early, late = credit_code(2001), credit_code(2002)
        await enrol(client, tokens, A, early, start_date="2025-01-02")
        await enrol(client, tokens, A, late, start_date="2025-06-01")
        records = rows([early], 6)
        for record in records:
            record["service_type"] = "search"
        records[1]["service_type"] = records[3]["service_type"] = "consultation"  # outside the scope, twice
        records[1]["work_date"] = records[3]["work_date"] = "2025-03-04"
        records[2]["work_date"] = records[4]["work_date"] = "2025-03-05"
        records[4]["credit_code"] = late  # the same type and date: before this one's enrolment only
        records[5]["work_date"] = records[2]["work_date"]
        records[5]["credit_code"] = late
        response = await upload(client, tokens, to_csv(records), "text/csv")
        assert response.status_code == 422, response.text[:500]
        assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [
            (3, "service_type"),
            (5, "service_type"),
            (6, "work_date"),
            (7, "work_date"),
        ]

    async def test_a_resent_upload_is_replayed_not_doubled(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        codes = await setup(client, tokens, count=2)
        headers = {**as_agency(tokens, A), "Content-Type": "text/csv"}
        body = to_csv(rows(codes, 200))
        first = await client.post(f"{BASE}/work-logs/bulk", content=body, headers=headers)
        again = await client.post(f"{BASE}/work-logs/bulk", content=body, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()
        listed = await client.get(f"{BASE}/work-logs", params={"limit": 1}, headers=as_agency(tokens, A, keyed=False))
        assert listed.json()["total"] == 200

    async def test_unsupported_media_type_and_bad_header(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await setup(client, tokens, count=1)
        wrong_type = await upload(client, tokens, b"{}", "application/json")
        assert wrong_type.status_code == 415
        bad_header = await upload(client, tokens, b"credit_code,kind\nx,y\n", "text/csv")
        assert bad_header.status_code == 400
        fields = {e["field"] for e in bad_header.json()["errors"]}
        assert {"header.kind", "header.service_type", "header.work_date", "header.description"} <= fields

    async def test_limits_on_rows_and_bytes(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        from trusteeship.main import create_app

        codes = await setup(client, tokens, count=1)
        small = trusteeship_settings.model_copy(update={"bulk_max_rows": 10, "bulk_max_bytes": 5_000})
        async with serve(create_app(small)) as limited:
            too_many = await limited.post(
                f"{BASE}/work-logs/bulk",
                content=to_csv(rows(codes, 11)),
                headers={**as_agency(tokens, A), "Content-Type": "text/csv"},
            )
            assert too_many.status_code == 400 and "at most 10 rows" in too_many.json()["detail"]
            too_big = await limited.post(
                f"{BASE}/work-logs/bulk",
                content=b"x" * 5_001,
                headers={**as_agency(tokens, A), "Content-Type": "text/csv"},
            )
            assert too_big.status_code == 413

    async def test_errors_listed_are_capped_but_counted(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        codes = await setup(client, tokens, count=1)
        records: list[dict[str, Any]] = rows(codes, 1_500)
        for r in records:
            r["service_type"] = "astrology"
        rejected = await upload(client, tokens, to_csv(records), "text/csv")
        assert rejected.status_code == 422
        problem = rejected.json()
        assert problem["error_count"] == 1_500 and problem["errors_truncated"] is True
        assert len(problem["errors"]) == 1_000
