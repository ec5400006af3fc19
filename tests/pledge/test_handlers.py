"""The enforcement-case handler on PostgreSQL, called the way the consumer runner calls it (in a
transaction): patents and trademarks named in a case flag the live loans pledging them, and a loan
submitted later on an alerted right is flagged at once. (Delivery through Kafka and the inbox:
test_events.py.)"""

from __future__ import annotations

from datetime import UTC, datetime

from ipops import db
from ipops.contracts.enforcement import CaseOpenedV1
from ipops.events.outbox import build_event
from pledge.handlers import HANDLERS
from tests.pledge.helpers import Api, drive, enterprise, right


async def apply_case(url: str, payload: CaseOpenedV1) -> None:
    engine = db.create_engine(url)
    event = build_event(payload, source="/ipops/enforcement", key=payload.case_id)
    async with db.transaction(db.make_sessionmaker(engine)) as session:
        await HANDLERS[CaseOpenedV1.event_type](session, event, payload)
    await engine.dispose()


async def test_named_rights_flag_live_loans(bank: Api, module_pg_url: str) -> None:
    owner = await enterprise(bank)
    patent, mark, spare = await right(bank, owner), await right(bank, owner, "trademark"), await right(bank, owner)
    body = {"enterprise_credit_code": owner, "amount": "100.00", "term_months": 6}
    by_patent = await bank.ok("/loans", {**body, "right_ids": [patent["id"]]})
    by_mark = await bank.ok("/loans", {**body, "right_ids": [mark["id"]]})
    untouched = await bank.ok("/loans", {**body, "right_ids": [spare["id"]]})
    await drive(bank, by_mark["id"], "disbursed")
    await apply_case(
        module_pg_url,
        CaseOpenedV1(
            case_id="case-h1",
            case_type="trademark_counterfeit",
            patent_numbers=["ZL" + patent["number"]],
            trademark_numbers=[mark["number"]],
            opened_at=datetime.now(UTC),
        ),
    )
    for loan, kind in ((by_patent, "patent"), (by_mark, "trademark")):
        shown = (await bank.get(f"/loans/{loan['id']}")).json()
        assert shown["collateral_at_risk"] is True
        assert [(a["case_id"], a["right_kind"]) for a in shown["collateral_alerts"]] == [("case-h1", kind)]
    assert (await bank.get(f"/loans/{untouched['id']}")).json()["collateral_at_risk"] is False


async def test_a_loan_on_an_alerted_right_is_flagged_at_submission(bank: Api, module_pg_url: str) -> None:
    owner = await enterprise(bank)
    patent = await right(bank, owner)
    await apply_case(
        module_pg_url,
        CaseOpenedV1(
            case_id="case-h2",
            case_type="patent_infringement",
            patent_numbers=[patent["number"]],
            opened_at=datetime.now(UTC),
        ),
    )
    loan = await bank.ok(
        "/loans", {"enterprise_credit_code": owner, "amount": "100.00", "term_months": 6, "right_ids": [patent["id"]]}
    )
    assert loan["collateral_at_risk"] is True and loan["collateral_alerts"][0]["case_id"] == "case-h2"


async def test_an_invalid_number_is_kept_as_named(operator: Api, bank: Api, module_pg_url: str) -> None:
    await apply_case(
        module_pg_url,
        CaseOpenedV1(
            case_id="case-h3",
            case_type="patent_infringement",
            patent_numbers=["not-a-number"],
            opened_at=datetime.now(UTC),
        ),
    )
    alerts = (await operator.get("/collateral-alerts", limit=500)).json()["items"]
    assert any(a["case_id"] == "case-h3" and a["patent_number"] == "not-a-number" for a in alerts)
    # it backs no loan: no bank sees it
    assert not any(a["case_id"] == "case-h3" for a in (await bank.get("/collateral-alerts")).json()["items"])
