"""The operations service on PostgreSQL and on SQLite (the embedded mode `make up` uses): the
migration up, down and up again, and a deal, a verified report and the indicators on each."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from alembic import command

from ipops.clock import district_today, utc_now
from ipops.migrations import alembic_config
from operations.agencies import service as agencies
from operations.config import OperationsSettings
from operations.main import ALEMBIC_INI, create_app
from tests import testing
from tests.operations.helpers import BASE, LICENSEE, LICENSOR, PATENT_1, post


async def test_a_deal_and_a_verified_report_on_both_databases(
    any_db_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
) -> None:
    settings: OperationsSettings = settings_for(OperationsSettings, any_db_url, run_background_tasks=False)
    operator, agency = tokens.headers("operator"), tokens.headers("agency", "agency-e")
    app = create_app(settings)
    async with serve_app(app) as client:
        async with app.state.runtime.transaction() as session:
            await agencies.follow_agency(session, "agency-e", "Embedded Agency", None, utc_now())
        year = district_today().year - 1
        deal = {
            "kind": "sole_licence", "right_kind": "patent", "right_numbers": [PATENT_1],
            "transferor": {"credit_code": LICENSOR, "name": "A"}, "transferee": {"credit_code": LICENSEE, "name": "B"},
            "start_date": f"{year}-01-01", "amount": "300.10", "payment_form": "lump_sum",
            "contracted_on": f"{year}-06-30",
        }  # fmt: skip
        await post(client, "/transactions", agency, deal)
        report = await post(client, "/agencies/agency-e/revenue-reports", agency,
                            {"year": year, "revenue": "20000000.00", "evidence": "x"})  # fmt: skip
        await post(client, f"/revenue-reports/{report['id']}/verification", operator, {}, expect=200)
        document = (await client.get(f"{BASE}/statistics/indicators", headers=agency)).json()
    values = {
        i["indicator"]: next(y["value"] for y in i["series"] if y["year"] == year) for i in document["indicators"]
    }
    assert values["transactions_licensing"] == "300.10"
    assert values["operation_agencies"] == "1"


async def test_migrations_revert_and_reapply(any_db_url: str) -> None:
    """The revision downgrades cleanly and applies again."""
    cfg = alembic_config(ALEMBIC_INI, any_db_url)
    for target in ("head", "base", "head"):
        step = command.upgrade if target == "head" else command.downgrade
        await asyncio.to_thread(step, cfg, target)
