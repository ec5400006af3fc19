"""The property of issue #12, on the running platform (the services and the gateway as real
processes, PostgreSQL, Kafka): for random histories applied through the gateway - loans approved,
withdrawn, paid out, paid out and undone, restated, defaulted; enrolments of micro, small, medium
and large firms, exits and corrected size classes; portfolios qualifying, registered twice,
withdrawn; cases of every type (mediations and assistance included) received across a year end,
withdrawn, cancelled, their type corrected - every indicator's public figure in every year equals
the owning service's `/statistics/indicators`, once the events have arrived.

Hypothesis draws the histories (a fixed seed: `derandomize`); each is applied under its own
identifiers, then the public figures are compared with every owner's. Histories are drawn first
and applied afterwards, because the platform's event loop cannot run inside Hypothesis' own
calls: a failing history is reported as drawn, not shrunk.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ipops.clock import district_today
from ipops.identifiers import make_patent_number
from tests.e2e.conftest import Caller
from tests.e2e.test_public_figures import agree, paid_out_loan
from tests.e2e.test_scenarios import appraised_right, credit_code, pool_for

TODAY = district_today()
FIRST = date(2018, 1, 1)
EXAMPLES = 6
# The owners whose contributions this history reaches (operations has its own scenario).
OWNERS = ("pledge", "trusteeship", "navigation", "enforcement")


@dataclass(frozen=True)
class Loan:
    day: date
    amount_fen: int
    mixed: bool
    fate: str  # withdrawn | disbursed | undone | restated | defaulted
    restated_day: date
    restated_fen: int


@dataclass(frozen=True)
class Enrolment:
    size: str
    start: date
    exit: date | None
    corrected_size: str | None


@dataclass(frozen=True)
class Portfolio:
    effective: date
    withdrawn: date | None
    twice: bool  # the same patent list registered again: it counts once


@dataclass(frozen=True)
class Case:
    case_type: str
    received: datetime
    requester: int  # one of a few enterprises: the distinct enterprises served a year
    fate: str  # open | withdraw | cancel
    corrected_type: str | None


@dataclass(frozen=True)
class History:
    loans: list[Loan]
    enrolments: list[Enrolment]
    portfolios: list[Portfolio]
    cases: list[Case]


days = st.dates(min_value=FIRST, max_value=TODAY)
CASE_TYPES = [
    "patent_infringement_adjudication", "counterfeit_patent", "trademark_enforcement",
    "patent_mediation", "assistance", "overseas_assistance",
]  # fmt: skip


def later(start: date, offset: int) -> date | None:
    end = start + timedelta(days=offset)
    return end if end <= TODAY else None


@st.composite
def loans(draw: st.DrawFn) -> Loan:
    return Loan(
        day=draw(days),
        amount_fen=draw(st.integers(1, 500_000_000)),
        mixed=draw(st.booleans()),
        fate=draw(st.sampled_from(["withdrawn", "disbursed", "undone", "restated", "defaulted"])),
        restated_day=draw(days),
        restated_fen=draw(st.integers(1, 500_000_000)),
    )


@st.composite
def enrolments(draw: st.DrawFn) -> Enrolment:
    start = draw(days)
    exit_ = later(start, draw(st.integers(1, 1500))) if draw(st.booleans()) else None
    sizes = st.sampled_from(["micro", "small", "medium", "large"])
    return Enrolment(draw(sizes), start, exit_, draw(st.none() | sizes))


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    effective = draw(days)
    withdrawn = later(effective, draw(st.integers(1, 1500))) if draw(st.booleans()) else None
    return Portfolio(effective, withdrawn, draw(st.booleans()))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    if draw(st.booleans()):  # received on 31 December late in UTC: 1 January in Beijing
        year = draw(st.integers(2018, TODAY.year - 1))
        received = datetime(year, 12, 31, 16, draw(st.integers(0, 59)), tzinfo=UTC)
    else:
        received = datetime.combine(draw(days), time(4, 0), tzinfo=UTC)
    return Case(
        case_type=draw(st.sampled_from(CASE_TYPES)),
        received=received,
        requester=draw(st.integers(0, 2)),
        fate=draw(st.sampled_from(["open", "open", "withdraw", "cancel"])),
        corrected_type=draw(st.none() | st.sampled_from(CASE_TYPES)),
    )


histories = st.builds(
    History,
    loans=st.lists(loans(), min_size=1, max_size=3),
    enrolments=st.lists(enrolments(), min_size=1, max_size=3),
    portfolios=st.lists(portfolios(), max_size=2),
    cases=st.lists(cases(), min_size=1, max_size=3),
)


def drawn_histories() -> list[History]:
    """EXAMPLES histories, the same on every run."""
    drawn: list[History] = []

    @settings(
        max_examples=EXAMPLES, derandomize=True, database=None, phases=[Phase.generate],
        suppress_health_check=list(HealthCheck), deadline=None,
    )  # fmt: skip
    @given(histories)
    def collect(history: History) -> None:
        drawn.append(history)

    collect()
    return drawn[:EXAMPLES]


class World:
    """The callers and the serial numbers that keep one history's records apart from another's."""

    def __init__(self, operator: Caller, bank: Caller, agency: Caller) -> None:
        self.operator, self.bank, self.agency = operator, bank, agency
        self.serials = itertools.count(820_000 + (uuid.uuid4().int % 1000) * 100)

    def serial(self) -> int:
        return next(self.serials)


async def write(caller: Caller, method: str, path: str, body: dict[str, Any], status: int = 200) -> Any:
    headers = {**caller.headers, "Idempotency-Key": uuid.uuid4().hex}
    r = await caller.client.request(method, path, json=body, headers=headers)
    assert r.status_code == status, f"{method} {path}: {r.status_code} {r.text}"
    return r.json()


async def apply_loan(w: World, loan: Loan) -> None:
    P = "/api/v1/pledge/loans"
    yuan = f"{loan.amount_fen // 100}.{loan.amount_fen % 100:02d}"
    if loan.fate == "withdrawn":
        owner = credit_code(w.serial())
        await w.bank.ok("/api/v1/pledge/enterprises", {"credit_code": owner, "name": "Withdrawn Co."})
        right = await appraised_right(w.bank, owner, "patent", make_patent_number(2020, "1", w.serial()), "900000.00")
        created = await w.bank.ok(
            P, {"enterprise_credit_code": owner, "amount": yuan, "term_months": 12, "right_ids": [right]}
        )
        await w.bank.ok(f"{P}/{created['id']}/transitions", {"move": "approve"}, status=200)
        await w.bank.ok(f"{P}/{created['id']}/transitions", {"move": "withdraw", "reason": "test"}, status=200)
        return
    loan_id = await paid_out_loan(w.bank, w.serial(), yuan, loan.day.isoformat(), mixed=loan.mixed)
    if loan.fate == "undone":
        await w.bank.ok(f"{P}/{loan_id}/transitions", {"move": "undo_disburse", "reason": "reported by mistake"}, 200)
    elif loan.fate == "restated":
        restated = f"{loan.restated_fen // 100}.{loan.restated_fen % 100:02d}"
        body = {"amount": restated, "disbursed_date": loan.restated_day.isoformat(), "reason": "corrected"}
        await w.bank.ok(f"{P}/{loan_id}/disbursement-restatements", body, status=200)
    elif loan.fate == "defaulted" and loan.day < TODAY - timedelta(days=40):
        since = (TODAY - timedelta(days=35)).isoformat()
        overdue = {"move": "mark_overdue", "overdue_since": since, "as_of": TODAY.isoformat()}
        await w.bank.ok(f"{P}/{loan_id}/transitions", overdue, status=200)
        await w.bank.ok(f"{P}/{loan_id}/transitions", {"move": "default"}, status=200)


async def apply_enrolment(w: World, e: Enrolment) -> None:
    T = "/api/v1/trusteeship"
    code = credit_code(w.serial())
    enterprise = {"credit_code": code, "name": f"Firm {code[-6:]}", "industry": "equipment", "size": e.size,
                  "address": "Dongli district, Tianjin"}  # fmt: skip
    body = {"enterprise": enterprise, "start_date": e.start.isoformat(), "reason": "government purchase"}
    enrolment = await w.agency.ok(f"{T}/enrolments", body)
    if e.exit is not None:
        await w.agency.ok(
            f"{T}/enrolments/{enrolment['id']}/exit", {"end_date": e.exit.isoformat(), "reason": "left"}, status=200
        )
    if e.corrected_size is not None:
        await write(w.operator, "PATCH", f"{T}/enterprises/{code}", {"size": e.corrected_size})


def patent_list(base: int) -> list[dict[str, Any]]:
    # 50 granted inventions, 10 of them PCT: a list that qualifies (7-digit serials of their own)
    return [
        {
            "application_number": make_patent_number(2017, "1", base % 90_000 * 50 + i),
            "pct": i < 10,
            "legal_status": "in_force",
        }
        for i in range(50)
    ]


async def apply_portfolio(w: World, p: Portfolio) -> None:
    N = "/api/v1/navigation/portfolios"
    code = credit_code(w.serial())
    patents = patent_list(w.serial())
    ids = []
    for copy in range(2 if p.twice else 1):
        body = {"credit_code": code, "enterprise_name": "Portfolio Co.", "name": f"list {copy}", "patents": patents,
                "effective_on": p.effective.isoformat()}  # fmt: skip
        ids.append((await w.operator.ok(N, body))["id"])
    if p.withdrawn is not None:
        body = {"reason": "withdrawn", "withdrawn_on": p.withdrawn.isoformat()}
        await w.operator.ok(f"{N}/{ids[0]}/withdrawal", body, status=200)


async def apply_case(w: World, c: Case, requesters: list[str]) -> None:
    E = "/api/v1/enforcement/cases"
    body = {
        "case_type": c.case_type, "title": "A dispute", "received_at": c.received.isoformat(),
        "parties": [{"role": "requester", "kind": "enterprise", "name": "Requester Co.",
                     "credit_code": requesters[c.requester]}],
    }  # fmt: skip
    case = await w.operator.ok(E, body)
    if c.corrected_type is not None and c.corrected_type != c.case_type:
        await write(w.operator, "PATCH", f"{E}/{case['id']}", {"case_type": c.corrected_type, "reason": "mistyped"})
    if c.fate == "withdraw":
        await w.operator.ok(f"{E}/{case['id']}/transitions", {"move": "withdraw", "reason": "withdrawn"}, status=200)
    elif c.fate == "cancel":
        move = {"move": "cancel", "resolution_reason": "duplicate", "reason": "a duplicate"}
        await w.operator.ok(f"{E}/{case['id']}/transitions", move, status=200)


async def apply(w: World, history: History) -> None:
    for loan in history.loans:
        await apply_loan(w, loan)
    for enrolment in history.enrolments:
        await apply_enrolment(w, enrolment)
    for portfolio in history.portfolios:
        await apply_portfolio(w, portfolio)
    requesters = [credit_code(w.serial()) for _ in range(3)]
    for case in history.cases:
        await apply_case(w, case, requesters)


async def test_public_figures_equal_the_owning_services_for_random_histories(
    gateway: httpx.AsyncClient, operator: Caller, make_caller: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    bank = await make_caller("bank", f"bank-prop-{tag}")
    await pool_for(operator, f"bank-prop-{tag}", "100000000.00")
    agency = await make_caller("agency", f"agency-prop-{tag}")
    await operator.ok(
        "/api/v1/trusteeship/agencies",
        {"id": f"agency-prop-{tag}", "name": "Property Agency", "contract_number": f"DL-PROP-{tag}",
         "contract_start_date": "2018-01-01", "contract_end_date": "2030-12-31", "quota": 1000},
    )  # fmt: skip
    world = World(operator, bank, agency)
    drawn = drawn_histories()
    assert len(drawn) == EXAMPLES
    assert any(h.loans and h.enrolments and h.cases for h in drawn), "the histories exercise every owner"
    for number, history in enumerate(drawn):
        await apply(world, history)
        try:
            await agree(gateway, operator, OWNERS)
        except AssertionError as exc:
            raise AssertionError(f"history {number}: {history}\n{exc}") from exc
