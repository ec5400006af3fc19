"""End to end: a navigation project from proposal to acceptance through the gateway, every phase
gate passed with its deliverables, then visible in the public list and the plan's progress (the
gateway's read model, fed from Kafka) without a token."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.e2e.conftest import Caller
from tests.testing import eventually

N = "/api/v1/navigation"


async def move(caller: Caller, project_id: str, name: str) -> dict[str, Any]:
    return await caller.ok(f"{N}/projects/{project_id}/transitions", {"move": name}, status=200)  # type: ignore[no-any-return]


def _year_to_date(progress: Any) -> int:
    """The enterprise-operation projects counted this year so far (a stock: all accepted to date)."""
    target = next(t for t in progress["indicators"] if t["indicator"] == "navigation_enterprise_operation")
    return int(next(v for v in target["series"] if v["year_to_date"])["value"] or 0)


async def test_project_from_creation_to_acceptance_appears_in_public_progress(
    operator: Caller, make_caller: Any, gateway: httpx.AsyncClient
) -> None:
    before = (await gateway.get("/api/v1/public/progress")).json()
    start = _year_to_date(before)

    org = await make_caller("agency", "institute-e2e")
    title = f"Power battery thermal management navigation {uuid.uuid4().hex[:6]}"
    project = await org.ok(
        f"{N}/projects",
        {
            "kind": "enterprise_operation",
            "title": title,
            "industry": "nev_icv",
            "undertaking_org_name": "Tianjin IP Institute",
            "budget": "300000.00",
            "start_date": "2021-03-01",
            "planned_end_date": "2021-12-31",
            "summary": "enterprise-operation navigation",
            "beneficiary_credit_code": "91110000600037341L",
            "beneficiary_name": "Dongli New Energy Co.",
        },
    )
    pid = project["id"]
    refused = await org.post(f"{N}/projects/{pid}/transitions", {"move": "complete_phase"})
    assert refused.status_code == 409, "an unapproved project cannot move on"

    await move(operator, pid, "approve")
    blocked = await org.post(f"{N}/projects/{pid}/transitions", {"move": "complete_phase"})
    assert blocked.status_code == 409 and "technology_decomposition" in blocked.json()["missing"]
    await org.ok(
        f"{N}/projects/{pid}/deliverables",
        {
            "kind": "technology_decomposition",
            "title": "Technology decomposition",
            "rows": [
                {"level1": "battery", "level2": "thermal", "keywords": ["liquid cooling"], "ipc": ["H01M 10/613"]}
            ],
        },
    )
    await move(org, pid, "complete_phase")
    await org.ok(
        f"{N}/projects/{pid}/deliverables",
        {
            "kind": "search_strategy",
            "title": "Search strategy",
            "databases": ["CNIPA"],
            "queries": ["(IPC=H01M) AND (TI=battery)"],
            "cut_off_date": "2021-06-30",
        },
    )
    upload = await org.client.post(
        f"{N}/projects/{pid}/datasets",
        params={"filename": "data.csv"},
        content=b"application_number,applicants\n202010123456.2,Dongli Co Ltd\n",
        headers={**org.headers, "Content-Type": "text/csv", "Idempotency-Key": uuid.uuid4().hex},
    )
    assert upload.status_code == 201, upload.text
    await move(org, pid, "complete_phase")
    await org.ok(
        f"{N}/projects/{pid}/deliverables",
        {
            "kind": "report",
            "title": "Navigation report",
            "document_ref": "doc://reports/e2e.pdf",
            "abstract": "findings",
        },
    )
    await move(org, pid, "complete_phase")
    await operator.ok(
        f"{N}/projects/{pid}/deliverables",
        {
            "kind": "acceptance_opinion",
            "title": "Acceptance opinion",
            "passed": True,
            "opinion": "accepted",
            "experts": ["Prof. Zhang"],
            "opinion_date": "2021-12-20",
        },
    )
    accepted = await move(operator, pid, "accept")
    assert accepted["status"] == "accepted"

    async def listed() -> Any:
        body = (await gateway.get("/api/v1/public/navigation-projects")).json()
        return [p for p in body["items"] if p["project_id"] == pid] or None

    [public] = await eventually(listed, timeout=30, message="the accepted project is not in the public list")
    assert public["title"] == title and "beneficiary_credit_code" not in public

    async def counted() -> Any:
        body = (await gateway.get("/api/v1/public/progress")).json()
        t = next(t for t in body["indicators"] if t["indicator"] == "navigation_enterprise_operation")
        return t if _year_to_date(body) == start + 1 else None

    progress = await eventually(counted, timeout=30, message="the project did not count in the plan's progress")
    assert progress["target_value"] == "45"
