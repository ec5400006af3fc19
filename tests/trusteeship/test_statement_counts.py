"""Round trips per request: the SQL statements an enrolment sends to PostgreSQL (its idempotency
record and the indicator recount included). Issue #17: an enrolment sent 20, reading the enterprise,
its enrolments and its ledger subjects more than once; the bound keeps them from creeping back.
A count, never a time."""

from __future__ import annotations

import httpx

from tests import testing
from tests.trusteeship.helpers import credit_code, enrol, register_agency

ENROL_AT_MOST = 15


async def test_an_enrolment_sends_at_most_its_bound_of_statements(
    client: httpx.AsyncClient, tokens: testing.TokenFactory
) -> None:
    await register_agency(client, tokens, "agency-a")
    await enrol(client, tokens, "agency-a", credit_code(1))  # the first request warms every cache
    with testing.Statements().counting() as seen:
        enrolment = await enrol(client, tokens, "agency-a", credit_code(2))
    assert enrolment["status"] == "active"
    assert len(seen) <= ENROL_AT_MOST, "\n".join(seen)
    assert sum(s.startswith("SELECT enrolment.id") for s in seen) == 1, seen  # whole rows: the history, once
