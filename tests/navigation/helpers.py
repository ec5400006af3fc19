"""Small builders the navigation tests share."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests import testing

BASE = "/api/v1/navigation"
BENEFICIARY = "91110000600037341L"


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": uuid.uuid4().hex}


def project_body(kind: str = "enterprise_operation", **overrides: Any) -> dict[str, Any]:
    """A valid project proposal."""
    body: dict[str, Any] = {
        "kind": kind,
        "title": "动力电池热管理专利导航",
        "industry": "nev_icv",
        "undertaking_org_name": "天津某知识产权服务有限公司",
        "budget": "300000.00",
        "start_date": "2021-03-01",
        "planned_end_date": "2021-12-31",
        "summary": "面向企业经营的专利导航",
    }
    if kind == "enterprise_operation":
        body.update(beneficiary_credit_code=BENEFICIARY, beneficiary_name="天津东丽某新能源科技有限公司")
    body.update(overrides)
    return body


async def propose(
    client: httpx.AsyncClient, tokens: testing.TokenFactory, org: str = "agency-a", **overrides: Any
) -> dict[str, Any]:
    """Propose a project as the undertaking organisation `org`; returns its public form."""
    response = await client.post(
        f"{BASE}/projects", json=project_body(**overrides), headers={**tokens.headers("agency", org), **key()}
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def move(
    client: httpx.AsyncClient, headers: dict[str, str], project_id: str, move_name: str, **extra: Any
) -> httpx.Response:
    """Post a move on a project."""
    return await client.post(
        f"{BASE}/projects/{project_id}/transitions", json={"move": move_name, **extra}, headers={**headers, **key()}
    )


OPERATOR_ROLE = ("operator",)


def decomposition() -> dict[str, Any]:
    """A technology decomposition table."""
    return {
        "kind": "technology_decomposition",
        "title": "动力电池技术分解表",
        "rows": [
            {"level1": "电池材料", "level2": "正极材料", "keywords": ["三元", "磷酸铁锂"], "ipc": ["H01M 4/525"]},
            {"level1": "电池管理", "level2": "热管理", "keywords": ["液冷"], "ipc": ["H01M 10/613"]},
        ],
    }


def search_strategy(cut_off: str = "2022-06-30") -> dict[str, Any]:
    """A search strategy with its cut-off date."""
    return {
        "kind": "search_strategy",
        "title": "检索策略",
        "databases": ["CNIPA", "incoPat"],
        "queries": ["(IPC=H01M) AND (TI=电池)"],
        "cut_off_date": cut_off,
    }


def report_body() -> dict[str, Any]:
    """A navigation report reference."""
    return {"kind": "report", "title": "专利导航报告", "document_ref": "doc://reports/nav-1.pdf", "abstract": "结论"}


def opinion(passed: bool = True) -> dict[str, Any]:
    """An acceptance opinion."""
    return {
        "kind": "acceptance_opinion",
        "title": "验收意见",
        "passed": passed,
        "opinion": "同意通过验收" if passed else "需补充分析",
        "experts": ["张教授", "李研究员"],
        "opinion_date": "2022-12-01",
    }


async def submit(
    client: httpx.AsyncClient, headers: dict[str, str], project_id: str, body: dict[str, Any]
) -> httpx.Response:
    """Submit a deliverable."""
    return await client.post(f"{BASE}/projects/{project_id}/deliverables", json=body, headers={**headers, **key()})


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    project_id: str,
    content: bytes,
    content_type: str = "text/csv",
    idempotency_key: str | None = None,
    filename: str = "data.csv",
) -> httpx.Response:
    """Upload a data set."""
    return await client.post(
        f"{BASE}/projects/{project_id}/datasets",
        params={"filename": filename},
        content=content,
        headers={**headers, "Content-Type": content_type, "Idempotency-Key": idempotency_key or uuid.uuid4().hex},
    )


async def walk_to_review(
    client: httpx.AsyncClient,
    tokens: testing.TokenFactory,
    project_id: str,
    org: str = "agency-a",
    *,
    dataset: bytes | None = None,
) -> None:
    """Approve a proposed project and carry it through every gate to review, with a passing opinion."""
    office = tokens.headers("operator")
    own = tokens.headers("agency", org)
    assert (await move(client, office, project_id, "approve")).status_code == 200
    assert (await submit(client, own, project_id, decomposition())).status_code == 201
    assert (await move(client, own, project_id, "complete_phase")).status_code == 200
    assert (await submit(client, own, project_id, search_strategy())).status_code == 201
    data = dataset or b"application_number,applicants\n202010123456.2,Dongli Co Ltd\n"
    assert (await upload(client, own, project_id, data)).status_code == 201
    assert (await move(client, own, project_id, "complete_phase")).status_code == 200
    assert (await submit(client, own, project_id, report_body())).status_code == 201
    assert (await move(client, own, project_id, "complete_phase")).status_code == 200
    assert (await submit(client, office, project_id, opinion())).status_code == 201


async def walk_to_accepted(
    client: httpx.AsyncClient,
    tokens: testing.TokenFactory,
    project_id: str,
    org: str = "agency-a",
    *,
    dataset: bytes | None = None,
    **accept: Any,
) -> dict[str, Any]:
    """Carry a proposed project to acceptance (`accept`: extra fields of the accept move, such as
    `accepted_on`)."""
    await walk_to_review(client, tokens, project_id, org, dataset=dataset)
    accepted = await move(client, tokens.headers("operator"), project_id, "accept", **accept)
    assert accepted.status_code == 200, accepted.text
    result: dict[str, Any] = accepted.json()
    return result
