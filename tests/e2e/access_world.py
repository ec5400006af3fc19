"""The world of the access matrix: per resource kind one object owned by tenant A and one by tenant
B (bank or agency, or made by the office for operator-only kinds), a well-formed missing id, the
six callers, and the strings that belong to each tenant alone (a list answered to the other tenant
must not contain them)."""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx

from ipops.clock import district_today
from ipops.identifiers import make_patent_number
from tests.e2e.conftest import Caller, token
from tests.e2e.test_scenarios import credit_code, disbursed_mixed_loan, pool_for
from tests.navigation import sample
from tests.testing import eventually

P, T, N, E = "/api/v1/pledge", "/api/v1/trusteeship", "/api/v1/navigation", "/api/v1/enforcement"
OPS = "/api/v1/operations"
SERIAL = {"a": 730001, "b": 730002}
MISSING_CODE = credit_code(739999)
# the office's reference data: made by the operator, readable by every tenant that may list it
REFERENCE = {"alias", "district_enterprise", "calendar_year", "calendar_day", "client"}
# operations' registers kept by the office (pools, alliances, marks, the fund): every agency reads
# the registers, so their ids are no tenant's secret
REFERENCE |= {"ops_pool", "ops_pool_member", "ops_alliance", "ops_alliance_member", "ops_mark", "ops_fund"}
REFERENCE |= {"ops_investment"}


class World:
    def __init__(self) -> None:
        self.callers: dict[str, Caller] = {}
        self.objects: dict[str, dict[str, dict[str, Any]]] = {}  # kind -> a/b/missing -> path params
        self.markers: dict[str, set[str]] = {"a": set(), "b": set()}  # per tenant letter
        self.values: dict[str, Any] = {}  # for request bodies

    def put(self, kind: str, letter: str, **params: Any) -> None:
        self.objects.setdefault(kind, {})[letter] = params
        if kind not in REFERENCE:
            for value in params.values():
                self.mark(letter, value)

    def mark(self, letter: str, value: Any) -> None:
        text = str(value)
        if len(text) >= 6 and not text.isdigit():
            self.markers[letter].add(text)


async def build_world(gateway: httpx.AsyncClient, operator: Caller, make_caller: Any) -> World:
    w = World()
    anonymous = Caller(gateway, "-")
    anonymous.headers = {}
    w.callers.update(anonymous=anonymous, operator=operator)
    for letter in ("a", "b"):
        w.callers[f"bank_{letter}"] = await make_caller("bank", f"bank-mx-{letter}")
        w.callers[f"agency_{letter}"] = await make_caller("agency", f"agency-mx-{letter}")
    for letter in ("a", "b"):
        await pledge_world(w, operator, letter)
        await trusteeship_world(w, operator, letter)
        await navigation_world(w, operator, letter)
        await enforcement_world(w, operator, letter)
        await operations_world(w, operator, letter)
        await gateway_world(w, operator, letter)
    await queue_items(w)
    missing(w)
    return w


async def pledge_world(w: World, operator: Caller, letter: str) -> None:
    bank = w.callers[f"bank_{letter}"]
    bank_id = f"bank-mx-{letter}"
    pool_id = await pool_for(operator, bank_id, "1000000.00")
    code = credit_code(SERIAL[letter])
    patent = make_patent_number(2023, "1", SERIAL[letter])
    loan = await disbursed_mixed_loan(bank, code, patent, f"3{SERIAL[letter]}", "100000.00")
    for move, fields in [("mark_overdue", {"overdue_since": "2026-10-01", "as_of": "2026-11-01"}), ("default", {})]:
        await bank.ok(f"{P}/loans/{loan['id']}/transitions", {"move": move, **fields}, status=200)
    claim = await bank.ok(f"{P}/loans/{loan['id']}/claims", {"loss": "1000.00"})
    w.put("bank", letter, bank_id=bank_id)
    w.put("pool", letter, pool_id=pool_id)
    w.put("loan", letter, loan_id=loan["id"])
    w.put("claim", letter, claim_id=claim["id"])
    right_ids = [c["right_id"] for c in loan["collateral"]]
    w.put("right", letter, right_id=right_ids[0])
    policy = await operator.ok(
        f"{P}/insurance-policies",
        {
            "policy_number": f"PN-MX-{letter.upper()}", "insurer": "PICC", "product_type": "pledge_financing",
            "enterprise_credit_code": code, "insured_rights": [], "sum_insured": "1000.00", "premium": "10.00",
            "start_date": "2026-01-01", "end_date": "2026-12-31",
        },
    )  # fmt: skip
    w.put("policy", letter, policy_id=policy["id"])
    w.put("pledge_enterprise", letter, credit_code=code)
    w.mark(letter, f"Dongli Enterprise {code[-6:]}")
    w.values[f"patent_{letter}"] = patent
    w.values[f"code_{letter}"] = code
    w.values[f"new_code_{letter}"] = credit_code(SERIAL[letter] + 200)
    w.values[f"right_ids_{letter}"] = right_ids


async def trusteeship_world(w: World, operator: Caller, letter: str) -> None:
    agency = w.callers[f"agency_{letter}"]
    agency_id = f"agency-mx-{letter}"
    code = w.values[f"code_{letter}"]
    await operator.ok(
        f"{T}/agencies",
        {
            "id": agency_id,
            "name": f"Matrix Agency {letter.upper()}",
            "contract_number": f"DL-MX-{letter.upper()}",
            "contract_start_date": "2019-01-01",
            "contract_end_date": "2027-12-31",
            "quota": 10,
        },
    )
    enterprise = {
        "credit_code": code,
        "name": f"Matrix Pumps {letter.upper()} Co.",
        "industry": "high-end equipment",
        "size": "small",
        "address": f"No. {letter.upper()} Matrix Road",
    }
    enrolment = await agency.ok(
        f"{T}/enrolments", {"enterprise": enterprise, "start_date": "2025-01-02", "reason": "purchase"}
    )
    number = make_patent_number(2024, "2", SERIAL[letter])
    await agency.ok(f"{T}/enterprises/{code}/patents", {"number": number, "title": "pump", "filing_date": "2024-01-10"})
    await agency.ok(f"{T}/enterprises/{code}/patents/{number}/grant", {"grant_date": "2024-06-10"}, status=200)
    docket = await agency.json(f"{T}/enterprises/{code}/docket")
    items = docket.get("items", docket) if isinstance(docket, dict) else docket
    w.put("agency", letter, agency_id=agency_id)
    w.put("enrolment", letter, enrolment_id=enrolment["id"])
    w.put("enterprise", letter, credit_code=code)
    w.put("patent", letter, credit_code=code, number=number)
    w.put("deadline", letter, deadline_id=items[0]["id"])
    w.mark(letter, f"Matrix Pumps {letter.upper()} Co.")


async def navigation_world(w: World, operator: Caller, letter: str) -> None:
    agency = w.callers[f"agency_{letter}"]
    code = w.values[f"code_{letter}"]
    project = await agency.ok(
        f"{N}/projects",
        {
            "kind": "enterprise_operation",
            "title": f"Matrix navigation {letter.upper()}",
            "industry": "high_end_equipment",
            "undertaking_org_name": f"Matrix Agency {letter.upper()}",
            "budget": "100000.00",
            "start_date": "2025-03-01",
            "planned_end_date": "2025-12-31",
            "summary": "navigation for one enterprise",
            "beneficiary_credit_code": code,
            "beneficiary_name": f"Matrix Pumps {letter.upper()} Co.",
        },
    )
    pid = project["id"]
    await operator.ok(f"{N}/projects/{pid}/transitions", {"move": "approve"}, status=200)
    milestone = await agency.ok(
        f"{N}/projects/{pid}/milestones", {"phase": "preparation", "title": "kick-off", "due_date": "2025-04-01"}
    )
    data = sample.write(Path(tempfile.mkdtemp()) / "records.csv", 20).read_bytes()
    w.values["dataset_csv"] = data
    response = await agency.client.post(
        f"{N}/projects/{pid}/datasets",
        params={"filename": "records.csv"},
        content=data,
        headers={**agency.headers, "Content-Type": "text/csv", "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 201, response.text
    portfolio = await agency.ok(
        f"{N}/portfolios",
        {"credit_code": code, "enterprise_name": f"Matrix Pumps {letter.upper()} Co.", "name": f"Matrix {letter}"},
    )
    canonical = f"Matrix Applicant {letter.upper()} Co."
    put = await operator.client.put(
        f"{N}/applicant-aliases/{canonical}",
        json={"variants": [f"Matrix Applicant {letter.upper()}"]},
        headers={**operator.headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert put.status_code in (200, 201), put.text
    district = credit_code(SERIAL[letter] + 100)
    put = await operator.client.put(
        f"{N}/district-enterprises/{district}",
        json={"name": f"Matrix District {letter.upper()}"},
        headers={**operator.headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert put.status_code in (200, 201), put.text
    w.put("project", letter, project_id=pid)
    w.put("milestone", letter, project_id=pid, milestone_id=milestone["id"])
    w.put("dataset", letter, dataset_id=response.json()["id"])
    w.put("portfolio", letter, portfolio_id=portfolio["id"])
    w.put("alias", letter, canonical=canonical)
    w.put("district_enterprise", letter, credit_code=district)


async def enforcement_world(w: World, operator: Caller, letter: str) -> None:
    agency = w.callers[f"agency_{letter}"]
    code = w.values[f"code_{letter}"]
    case = await agency.ok(
        f"{E}/cases",
        {
            "case_type": "patent_mediation",
            "channel": "ordinary",
            "title": f"Matrix dispute {letter.upper()}",
            "parties": [
                {
                    "role": "requester",
                    "kind": "enterprise",
                    "name": f"Matrix Pumps {letter.upper()} Co.",
                    "credit_code": code,
                },
                {"role": "respondent", "kind": "enterprise", "name": "Other Co.", "credit_code": "91110000600037341L"},
            ],
            "patent_numbers": [w.values[f"patent_{letter}"]],
            "trademark_numbers": [],
            "received_at": "2026-11-10T09:00:00+08:00",
        },
    )
    cid = case["id"]
    handler_id = f"handler-mx-{letter}"
    await operator.ok(f"{E}/cases/{cid}/handlers", {"handler_id": handler_id, "name": f"Handler {letter}"})
    await operator.ok(
        f"{E}/cases/{cid}/transitions", {"move": "accept", "occurred_at": "2026-11-12T09:00:00+08:00"}, status=200
    )
    today = district_today().isoformat()
    pause = await operator.ok(f"{E}/cases/{cid}/pauses", {"reason": "expert opinion", "started_on": today})
    year = {"a": 2031, "b": 2032}[letter]
    day = f"{year}-10-0{1 if letter == 'a' else 2}"
    for path, body in [
        (f"{E}/calendar/{day}", {"kind": "holiday", "name": "National Day"}),
        (f"{E}/calendar/years/{year}", {"notice": f"State Council notice {year}"}),
    ]:
        r = await operator.client.put(
            path, json=body, headers={**operator.headers, "Idempotency-Key": uuid.uuid4().hex}
        )
        assert r.status_code in (200, 201), f"{path}: {r.text}"
    w.put("case", letter, case_id=cid)
    w.put("handler", letter, case_id=cid, handler_id=handler_id)
    w.put("pause", letter, case_id=cid, pause_id=pause["id"])
    w.put("calendar_year", letter, year=year)
    w.put("calendar_day", letter, day=day)


async def operations_world(w: World, operator: Caller, letter: str) -> None:
    """Operations' objects: the agency (followed from trusteeship's registry through Kafka), its
    revenue report and brokered licence; the office's pool, alliance, overseas mark and fund. The
    registers name enterprises no tenant owns, so reading them reveals nothing of the tenants."""
    agency = w.callers[f"agency_{letter}"]
    agency_id = f"agency-mx-{letter}"

    async def followed() -> Any:
        return (await agency.get(f"{OPS}/agencies/{agency_id}")).status_code == 200 or None

    await eventually(followed, timeout=60, message="operations did not follow the agency registry")
    ops_code = credit_code(SERIAL[letter] + 300)
    patent = make_patent_number(2022, "1", SERIAL[letter])
    w.values[f"ops_code_{letter}"] = ops_code
    w.values[f"ops_new_code_{letter}"] = credit_code(SERIAL[letter] + 400)
    w.values[f"ops_patent_{letter}"] = patent
    report = await agency.ok(
        f"{OPS}/agencies/{agency_id}/revenue-reports", {"year": 2025, "revenue": "1.00", "evidence": "matrix"}
    )
    deal = {
        "kind": "ordinary_licence", "right_kind": "patent", "right_numbers": [patent],
        "transferor": {"credit_code": w.values[f"code_{letter}"], "name": f"Matrix Pumps {letter.upper()} Co."},
        "transferee": {"credit_code": "91110000600037341L", "name": "Other Co."},
        "start_date": "2025-01-01", "amount": "1.00", "payment_form": "lump_sum", "contracted_on": "2025-01-01",
    }  # fmt: skip
    transaction = await agency.ok(f"{OPS}/transactions", deal)
    pool = await operator.ok(f"{OPS}/pools", {"name": f"Matrix pool {letter.upper()}", "industry": "new_materials"})
    member = {"credit_code": ops_code, "name": "Matrix member", "joined_on": "2025-01-01"}
    pool = await operator.ok(f"{OPS}/pools/{pool['id']}/members", member)
    alliance = await operator.ok(
        f"{OPS}/alliances", {"name": f"Matrix alliance {letter.upper()}", "industry": "new_materials",
                           "founded_on": "2025-01-01"}
    )  # fmt: skip
    alliance = await operator.ok(f"{OPS}/alliances/{alliance['id']}/members", member)
    mark = await operator.ok(
        f"{OPS}/trademarks",
        {
            "ir_number": str(1_500_000 + SERIAL[letter]), "basic_mark_number": str(SERIAL[letter]), "mark": "MATRIX",
            "owner": {"credit_code": ops_code, "name": "Matrix member"}, "nice_classes": [7],
            "ir_date": "2025-01-01", "designations": [{"country": "US"}],
        },
    )  # fmt: skip
    fund = await operator.ok(
        f"{OPS}/funds", {"name": f"Matrix fund {letter.upper()}", "size": "1000.00", "established_on": "2025-01-01"}
    )
    investment = await operator.ok(
        f"{OPS}/funds/{fund['id']}/investments",
        {"credit_code": ops_code, "enterprise_name": "Matrix member", "project": "matrix", "amount": "10.00",
         "equity_pct": "1", "invested_on": "2025-02-01"},
    )  # fmt: skip
    w.put("ops_agency", letter, agency_id=agency_id)
    w.put("revenue_report", letter, report_id=report["id"])
    w.put("ops_transaction", letter, transaction_id=transaction["id"])
    w.put("ops_pool", letter, pool_id=pool["id"])
    w.put("ops_pool_member", letter, pool_id=pool["id"], member_id=pool["members"][0]["id"])
    w.put("ops_alliance", letter, alliance_id=alliance["id"])
    w.put("ops_alliance_member", letter, alliance_id=alliance["id"], member_id=alliance["members"][0]["id"])
    w.put("ops_mark", letter, mark_id=mark["id"])
    w.put("ops_fund", letter, fund_id=fund["id"])
    w.put("ops_investment", letter, investment_id=investment["id"])


async def gateway_world(w: World, operator: Caller, letter: str) -> None:
    created = await operator.ok(
        "/api/v1/gateway/clients",
        {"name": f"matrix dummy {letter}", "role": "bank", "tenant_id": f"bank-mx-dummy-{letter}"},
    )
    w.put("client", letter, client_id=created["client_id"])
    w.values[f"client_secret_{letter}"] = created["client_secret"]
    if letter == "a":
        # a client only the token endpoint's cells use
        token_client = await operator.ok(
            "/api/v1/gateway/clients", {"name": "matrix token", "role": "bank", "tenant_id": "bank-mx-token"}
        )
        w.values["token_client"] = (token_client["client_id"], token_client["client_secret"])
        assert await token(operator.client, *w.values["token_client"])


async def queue_items(w: World) -> None:
    for letter in ("a", "b"):
        agency = w.callers[f"agency_{letter}"]
        case_id = w.objects["case"][letter]["case_id"]

        async def in_queue(agency: Caller = agency, case_id: str = case_id) -> Any:
            items = (await agency.json(f"{T}/work-queue"))["items"]
            return [i for i in items if i["reference"] == case_id] or None

        [item] = await eventually(in_queue, timeout=30, message="the case did not reach the agency's queue")
        w.put("queue_item", letter, item_id=item["id"])


def missing(w: World) -> None:
    """A well-formed id of each kind that names nothing."""
    uid = str(uuid.uuid4())

    def like(value: Any) -> Any:
        if isinstance(value, int):
            return 987654321 if value < 2000 or value > 2100 else 2099
        text = str(value)
        if len(text) == 18 and text[:2] == "91":
            return MISSING_CODE
        if len(text) == 36 and text.count("-") == 4:
            return uid
        if len(text) == 10 and text[4] == "-":
            return "2099-10-05"
        return text[:-1] + "z" if not text.endswith("z") else text + "q"

    for objects in w.objects.values():
        objects["missing"] = {name: like(value) for name, value in objects["a"].items()}
    w.objects["patent"]["missing"]["number"] = make_patent_number(2024, "2", 739999)
    w.objects["calendar_year"]["missing"]["year"] = 2099
    w.values["new_patent"] = make_patent_number(2024, "2", 730501)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
