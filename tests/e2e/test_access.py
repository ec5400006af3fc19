"""Access through the gateway (OWASP API1 and API5): every object-level read of one tenant's
objects tried by another tenant answers exactly as for an id that does not exist; operator-only
writes refused to banks and agencies; public routes carry no personal or confidential enterprise
field; and no secret or token reaches a log."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from ipops.identifiers import make_patent_number
from tests.e2e.conftest import Caller
from tests.e2e.test_scenarios import credit_code, disbursed_mixed_loan, pool_for
from tests.stack import ROOT, Stack

P, T, N, E = "/api/v1/pledge", "/api/v1/trusteeship", "/api/v1/navigation", "/api/v1/enforcement"
USCC = re.compile(r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b")
SENSITIVE_KEYS = {
    "credit_code",
    "beneficiary_credit_code",
    "owner_credit_code",
    "enterprise_credit_code",
    "parties",
    "requester",
    "respondent",
    "address",
    "phone",
    "email",
    "contact",
    "id_number",
}
RESULTS = ROOT / "var" / "reliability" / "access.json"
# Shared reference data, not a tenant's object: an enterprise's name and credit code are public
# registry facts, and several banks lend to the same enterprise.
SHARED = {"/api/v1/pledge/enterprises/{credit_code}"}


@pytest.fixture(scope="module")
async def world(operator: Caller, make_caller: Any) -> dict[str, Any]:
    """Objects owned by bank A and agency A, and the callers of a second bank and agency."""
    bank_a = await make_caller("bank", "bank-acc-a")
    agency_a = await make_caller("agency", "agency-acc-a")
    await pool_for(operator, "bank-acc-a", "1000000.00")
    code = credit_code(710001)
    patent = make_patent_number(2023, "1", 710001)
    loan = await disbursed_mixed_loan(bank_a, code, patent, "30710001", "100000.00")
    right_id = loan.get("right_ids", [None])[0] if isinstance(loan.get("right_ids"), list) else None
    await operator.ok(
        f"{T}/agencies",
        {
            "id": "agency-acc-a",
            "name": "Agency A",
            "contract_number": "DL-ACC-A",
            "contract_start_date": "2019-01-01",
            "contract_end_date": "2027-12-31",
            "quota": 10,
        },
    )
    enrolment = await agency_a.ok(
        f"{T}/enrolments",
        {
            "enterprise": {
                "credit_code": code,
                "name": "Secret Pumps Co.",
                "industry": "high-end equipment",
                "size": "small",
                "address": "No. 1 Secret Road",
            },
            "start_date": "2025-01-02",
            "reason": "government purchase",
        },
    )
    project = await agency_a.ok(
        f"{N}/projects",
        {
            "kind": "enterprise_operation",
            "title": "Pump patent navigation",
            "industry": "high_end_equipment",
            "undertaking_org_name": "Agency A",
            "budget": "100000.00",
            "start_date": "2025-03-01",
            "planned_end_date": "2025-12-31",
            "summary": "navigation for one enterprise",
            "beneficiary_credit_code": code,
            "beneficiary_name": "Secret Pumps Co.",
        },
    )
    case = await operator.ok(
        f"{E}/cases",
        {
            "case_type": "patent_mediation",
            "channel": "ordinary",
            "title": "Pump dispute",
            "parties": [
                {"role": "requester", "kind": "enterprise", "name": "Secret Pumps Co.", "credit_code": code},
                {"role": "respondent", "kind": "enterprise", "name": "Other Co.", "credit_code": "91110000600037341L"},
            ],
            "patent_numbers": [patent],
            "trademark_numbers": [],
        },
    )
    return {
        "ids": {
            "loan_id": loan["id"],
            "credit_code": code,
            "project_id": project["id"],
            "case_id": case["id"],
            "enrolment_id": enrolment["id"],
            "right_id": right_id,
        },
        "bank_b": await make_caller("bank", "bank-acc-b"),
        "agency_b": await make_caller("agency", "agency-acc-b"),
        "bank_a": bank_a,
        "agency_a": agency_a,
    }


def fake_like(value: Any) -> str:
    text = str(value)
    if USCC.fullmatch(text):
        return credit_code(799999)
    return re.sub(r"[0-9a-f]", "1", text) if re.fullmatch(r"[0-9a-fA-F-]+", text) else text + "x"


def object_routes(document: dict[str, Any], ids: dict[str, Any]) -> list[tuple[str, str]]:
    """GET routes whose every path parameter is one we hold an id for."""
    routes = []
    for path, item in document["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        if "get" in item and params and all(ids.get(p) for p in params) and path not in SHARED:
            routes.append(("GET", path))
    return routes


async def test_other_tenants_objects_are_indistinguishable_from_missing(platform: Stack, world: dict[str, Any]) -> None:
    ids = world["ids"]
    tried: list[dict[str, Any]] = []
    for service, other in (
        ("pledge", world["bank_b"]),
        ("trusteeship", world["agency_b"]),
        ("navigation", world["agency_b"]),
        ("enforcement", world["agency_b"]),
    ):
        async with httpx.AsyncClient(base_url=platform.apps[service].url, timeout=60) as direct:
            document = (await direct.get("/openapi.json")).json()
        routes = object_routes(document, ids)
        assert routes, f"no object routes found for {service}"
        for _, template in routes:
            real = template.format(**{k: v for k, v in ids.items() if v})
            fake = template.format(**{k: fake_like(v) for k, v in ids.items() if v})
            r_real, r_fake = await other.get(real), await other.get(fake)
            tried.append(
                {"route": template, "as": other.tenant, "existing": r_real.status_code, "missing": r_fake.status_code}
            )
            assert r_real.status_code in (403, 404), f"{real} answered {r_real.status_code} to another tenant"
            assert r_real.status_code == r_fake.status_code, f"{template} tells existing from missing"
            assert r_real.json()["type"] == r_fake.json()["type"]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(tried, indent=2))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", f"{P}/banks", {"id": "bank-evil", "name": "Evil"}),
        ("POST", f"{P}/pools", {"id": "pool-evil", "name": "Evil pool"}),
        ("POST", f"{P}/pool-agreements", {"pool_id": "p", "bank_id": "b", "terms": {"shares": {"pool": "100"}}}),
        (
            "POST",
            f"{T}/agencies",
            {
                "id": "ag-evil",
                "name": "Evil",
                "contract_number": "X",
                "contract_start_date": "2025-01-01",
                "contract_end_date": "2026-01-01",
                "quota": 1,
            },
        ),
        ("POST", "/api/v1/gateway/clients", {"name": "evil", "role": "operator"}),
        ("POST", "/api/v1/gateway/keys/rotation", None),
        ("POST", "/api/v1/gateway/read-model/rebuild", None),
    ],
)
async def test_operator_only_writes_are_refused_to_weaker_roles(
    world: dict[str, Any], method: str, path: str, body: Any
) -> None:
    for caller in (world["bank_a"], world["agency_a"]):
        response = await caller.post(path, body)
        assert response.status_code == 403, f"{caller.tenant} {method} {path}: {response.status_code}"


def walk_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in walk_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in walk_keys(v)}
    return set()


async def test_public_routes_expose_no_personal_or_confidential_field(
    platform: Stack, gateway: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    checked = []
    for service in ("pledge", "trusteeship", "navigation", "enforcement"):
        async with httpx.AsyncClient(base_url=platform.apps[service].url, timeout=60) as direct:
            document = (await direct.get("/openapi.json")).json()
        for path, item in document["paths"].items():
            get = item.get("get")
            if not get or "{" in path or get.get("security") or not path.startswith("/api/"):
                continue
            response = await gateway.get(path)
            assert response.status_code == 200, f"public {path}: {response.status_code}"
            body = response.json()
            leaked = walk_keys(body) & SENSITIVE_KEYS
            assert not leaked, f"{path} exposes {leaked}"
            assert not USCC.search(response.text), f"{path} exposes a credit code"
            assert "Secret Pumps" not in response.text and "Secret Road" not in response.text
            checked.append(path)
    assert checked, "no public route found"


async def test_no_secret_or_token_in_any_log(platform: Stack, world: dict[str, Any]) -> None:
    secrets = [platform.apps["gateway"].env["GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET"]]
    secrets += [c.headers["Authorization"].split()[1] for c in (world["bank_a"], world["agency_a"])]
    pg_password = (Path.home() / ".local/share/ipops/pg-password").read_text().strip()
    secrets.append(pg_password)
    for log in (ROOT / "var" / "log").glob("stack-*.log"):
        text = log.read_text(errors="replace")
        for secret in secrets:
            assert secret not in text, f"a secret appears in {log.name}"
