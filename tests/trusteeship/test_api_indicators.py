"""Trusteeship's indicators on PostgreSQL: for each, a history that makes it count, changes it and
takes it back out, checked in the ledger rows, the outbox events and `/statistics/indicators`
per year; the recount that backfills existing rows."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import httpx

from ipops.identifiers import make_patent_number
from tests import testing
from tests.trusteeship.helpers import (
    BASE,
    as_agency,
    as_operator,
    credit_code,
    enterprise_body,
    execute,
    register_agency,
)
from trusteeship.config import TrusteeshipSettings

A, B = "agency-a", "agency-b"
RECORDED = "ipops.indicator.contribution.recorded.v1"
THIS_YEAR = date.today().year  # the years of the series run to this one (Beijing differs 1 day a year at most)


def hashed(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()[:32]


async def ledger(url: str, indicator: str) -> list[tuple[str, int, str, str | None]]:
    """(subject, quantity, start, end) of one indicator's rows."""
    rows = await execute(
        url,
        "SELECT subject, quantity, start_on, end_on FROM indicator_contribution WHERE indicator = :i ORDER BY subject",
        i=indicator,
    )
    return [(s, q, str(a), None if b is None else str(b)) for s, q, a, b in rows]


async def announced(url: str, indicator: str) -> list[dict[str, Any]]:
    """The contribution events of one indicator in the outbox, oldest first."""
    rows = await execute(url, "SELECT payload FROM outbox_message WHERE event_type = :t ORDER BY id", t=RECORDED)
    events = [json.loads(bytes(p)) for (p,) in rows]
    return [e for e in events if e["indicator"] == indicator]


async def series(client: httpx.AsyncClient, headers: dict[str, str], indicator: str) -> dict[int, int]:
    """The indicator's yearly values from `/statistics/indicators` (2018 .. this year)."""
    response = await client.get(f"{BASE}/statistics/indicators", headers=headers)
    assert response.status_code == 200, response.text
    [entry] = [i for i in response.json()["indicators"] if i["indicator"] == indicator]
    assert entry["owner"] == "trusteeship" and entry["has_source"] is True
    return {y["year"]: int(y["value"]) for y in entry["series"]}


def years(counted: dict[int, int]) -> dict[int, int]:
    """A full series from 2018 to this year: the years given, 0 elsewhere."""
    return {y: counted.get(y, 0) for y in range(2018, THIS_YEAR + 1)}


async def enrol_as(
    client: httpx.AsyncClient, tokens: testing.TokenFactory, agency: str, code: str, start: str, size: str = "small"
) -> dict[str, Any]:
    response = await client.post(
        f"{BASE}/enrolments",
        json={"enterprise": enterprise_body(code, size=size), "start_date": start, "reason": "lot 1"},
        headers=as_agency(tokens, agency),
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


class TestTrusteeshipSmes:
    async def test_counts_from_enrolment_until_the_last_enrolment_ends(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        url, op = trusteeship_settings.database_url, as_operator(tokens, keyed=False)
        await register_agency(client, tokens, A)
        await register_agency(client, tokens, B)
        code = credit_code(501)
        span = f"{hashed(code)}:20190301"
        first = await enrol_as(client, tokens, A, code, "2019-03-01")
        assert await ledger(url, "trusteeship_smes") == [(span, 1, "2019-03-01", None)]
        assert await series(client, op, "trusteeship_smes") == years({y: 1 for y in range(2019, THIS_YEAR + 1)})

        # a transfer is not an end: nothing changes, nothing is announced
        moved = await client.post(
            f"{BASE}/enrolments/{first['id']}/transfer",
            json={"to_agency_id": B, "transfer_date": "2020-06-01", "reason": "re-tender"},
            headers=as_operator(tokens),
        )
        assert moved.status_code == 200, moved.text
        assert len(await announced(url, "trusteeship_smes")) == 1

        # the exit takes it out from its date
        exited = await client.post(
            f"{BASE}/enrolments/{moved.json()['started']['id']}/exit",
            json={"end_date": "2021-02-01", "reason": "moved away"},
            headers=as_agency(tokens, B),
        )
        assert exited.status_code == 200, exited.text
        assert await ledger(url, "trusteeship_smes") == [(span, 1, "2019-03-01", "2021-02-01")]
        assert await series(client, op, "trusteeship_smes") == years({2019: 1, 2020: 1})

        # back after a gap: counts again from the new start, the gap years stay out
        await enrol_as(client, tokens, A, code, "2023-01-05")
        assert await series(client, op, "trusteeship_smes") == years(
            {2019: 1, 2020: 1} | {y: 1 for y in range(2023, THIS_YEAR + 1)}
        )

        # the class corrected to medium: out of every year; back to micro: in again
        corrected = await client.patch(
            f"{BASE}/enterprises/{code}", json={"size": "medium"}, headers=as_operator(tokens)
        )
        assert corrected.status_code == 200, corrected.text
        assert [q for _, q, _, _ in await ledger(url, "trusteeship_smes")] == [0, 0]
        assert await series(client, op, "trusteeship_smes") == years({})
        await client.patch(f"{BASE}/enterprises/{code}", json={"size": "micro"}, headers=as_operator(tokens))
        assert (await series(client, op, "trusteeship_smes"))[2020] == 1

        events = await announced(url, "trusteeship_smes")
        # enrol, exit, second span, medium (two spans), micro (two spans)
        assert [(e["subject"][-8:], e["quantity"]) for e in events] == [
            ("20190301", 1),
            ("20190301", 1),
            ("20230105", 1),
            ("20190301", 0),
            ("20230105", 0),
            ("20190301", 1),
            ("20230105", 1),
        ]
        assert all(code not in e["subject"] for e in events)  # the gateway keeps hashes, not codes

    async def test_medium_and_large_never_count(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        await register_agency(client, tokens, A)
        await enrol_as(client, tokens, A, credit_code(502), "2020-01-02", size="large")
        await enrol_as(client, tokens, A, credit_code(503), "2020-01-02", size="medium")
        await enrol_as(client, tokens, A, credit_code(504), "2020-01-02", size="micro")
        assert len(await ledger(trusteeship_settings.database_url, "trusteeship_smes")) == 1
        coverage = (await client.get(f"{BASE}/statistics/coverage", headers=as_operator(tokens, keyed=False))).json()
        assert coverage["covered"] == 1 and coverage["enrolled_ever"] == 3 and coverage["active"] == 3

    async def test_size_is_required_and_dates_are_bounded(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await register_agency(client, tokens, A, contract_start_date="2000-01-01")
        body = enterprise_body(credit_code(505))
        del body["size"]
        missing = await client.post(
            f"{BASE}/enrolments",
            json={"enterprise": body, "start_date": "2020-01-02", "reason": "x"},
            headers=as_agency(tokens, A),
        )
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.enterprise.size"
        for start in ("1999-12-31", "2999-01-01"):
            early = await client.post(
                f"{BASE}/enrolments",
                json={"enterprise": enterprise_body(credit_code(505)), "start_date": start, "reason": "x"},
                headers=as_agency(tokens, A),
            )
            assert early.status_code == 422 and early.json()["errors"][0]["field"] == "body.start_date"
        declared = await client.post(
            f"{BASE}/enrolments",
            json={
                "enterprise": enterprise_body(credit_code(505), employees=42, yearly_revenue="18000000.00"),
                "start_date": "2020-01-02",
                "reason": "x",
            },
            headers=as_agency(tokens, A),
        )
        assert declared.status_code == 201, declared.text
        profile = await client.get(f"{BASE}/enterprises/{credit_code(505)}", headers=as_operator(tokens, keyed=False))
        enterprise = profile.json()["enterprise"]
        assert enterprise["employees"] == 42 and enterprise["yearly_revenue"] == "18000000.00"


class TestCertifiedOrganisations:
    async def test_counts_from_certification_until_expiry_or_withdrawal(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        url, op = trusteeship_settings.database_url, as_operator(tokens, keyed=False)
        await register_agency(client, tokens, A)
        code = credit_code(511)
        await enrol_as(client, tokens, A, code, "2019-03-01")
        certified = await client.patch(
            f"{BASE}/enterprises/{code}", json={"gbt29490_certified_date": "2020-05-01"}, headers=as_agency(tokens, A)
        )
        assert certified.status_code == 200, certified.text
        assert certified.json()["gbt29490_expiry_date"] == "2023-05-01"  # three years by default
        assert await ledger(url, "certified_organisations") == [(hashed(code), 1, "2020-05-01", "2023-05-01")]
        assert await series(client, op, "certified_organisations") == years({2020: 1, 2021: 1, 2022: 1})

        withdrawn = await client.patch(
            f"{BASE}/enterprises/{code}", json={"gbt29490_withdrawn_date": "2021-07-01"}, headers=as_operator(tokens)
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert await series(client, op, "certified_organisations") == years({2020: 1})

        # recertified later: a new certificate, counted from its date (the withdrawal was the old one's)
        again = await client.patch(
            f"{BASE}/enterprises/{code}",
            json={"gbt29490_certified_date": "2024-03-01", "gbt29490_expiry_date": "2030-03-01"},
            headers=as_operator(tokens),
        )
        assert again.status_code == 200 and again.json()["gbt29490_withdrawn_date"] is None
        assert await series(client, op, "certified_organisations") == years({y: 1 for y in range(2024, THIS_YEAR + 1)})

        # recorded by mistake: cleared, it leaves every year
        cleared = await client.patch(
            f"{BASE}/enterprises/{code}", json={"gbt29490_certified_date": None}, headers=as_operator(tokens)
        )
        assert cleared.status_code == 200 and cleared.json()["gbt29490_expiry_date"] is None
        assert await ledger(url, "certified_organisations") == [(hashed(code), 0, "2024-03-01", "2030-03-01")]
        assert await series(client, op, "certified_organisations") == years({})
        assert [e["quantity"] for e in await announced(url, "certified_organisations")] == [1, 1, 1, 0]
        certs = (await client.get(f"{BASE}/statistics/certifications", headers=op)).json()
        assert certs["certified"] == 0

    async def test_refused_dates_name_the_field(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, A)
        code = credit_code(512)
        await enrol_as(client, tokens, A, code, "2019-03-01")
        cases = [
            ({"gbt29490_certified_date": "2999-01-01"}, "body.gbt29490_certified_date"),
            ({"gbt29490_certified_date": "1999-01-01"}, "body.gbt29490_certified_date"),
            ({"gbt29490_withdrawn_date": "2021-01-01"}, "body.gbt29490_certified_date"),  # nothing to withdraw
            (
                {"gbt29490_certified_date": "2020-05-01", "gbt29490_withdrawn_date": "2020-04-01"},
                "body.gbt29490_withdrawn_date",
            ),
            (
                {"gbt29490_certified_date": "2020-05-01", "gbt29490_expiry_date": "2020-05-01"},
                "body.gbt29490_expiry_date",
            ),
        ]
        for body, field in cases:
            response = await client.patch(f"{BASE}/enterprises/{code}", json=body, headers=as_operator(tokens))
            assert response.status_code == 422, (body, response.text)
            assert response.json()["errors"][0]["field"] == field


class TestEnterprisesWithValidPatents:
    async def test_counts_while_a_patent_is_in_force(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        url, op = trusteeship_settings.database_url, as_operator(tokens, keyed=False)
        await register_agency(client, tokens, A)
        code = credit_code(521)
        await enrol_as(client, tokens, A, code, "2019-03-01")
        pending = make_patent_number(2019, "1", 901)
        added = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": pending, "title": "Gear", "filing_date": "2019-06-01"},
            headers=as_agency(tokens, A),
        )
        assert added.status_code == 201, added.text
        assert await ledger(url, "enterprises_with_valid_patents") == []  # an application is not a patent

        granted = await client.post(
            f"{BASE}/enterprises/{code}/patents/{pending}/grant",
            json={"grant_date": "2021-04-01"},
            headers=as_agency(tokens, A),
        )
        assert granted.status_code == 200, granted.text
        span = f"{hashed(code)}:20210401"
        assert await ledger(url, "enterprises_with_valid_patents") == [(span, 1, "2021-04-01", "2039-06-01")]
        assert await series(client, op, "enterprises_with_valid_patents") == years(
            {y: 1 for y in range(2021, THIS_YEAR + 1)}
        )

        # an older utility model, granted 2020, lapsed in 2020: its own span, before the gap
        old = make_patent_number(2019, "2", 902)
        await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": old, "title": "Clamp", "filing_date": "2019-01-10", "grant_date": "2020-02-01"},
            headers=as_agency(tokens, A),
        )
        await execute(
            url, "UPDATE patent SET status = 'lapsed', lapsed_date = '2020-09-01' WHERE number = :n", n=old
        )  # a lapse as the docket records it; the recount below brings the ledger in line
        recount = await client.post(f"{BASE}/statistics/indicators/recount", headers=as_operator(tokens))
        assert recount.status_code == 200 and recount.json()["changed"] >= 1
        rows = await ledger(url, "enterprises_with_valid_patents")
        assert (f"{hashed(code)}:20200201", 1, "2020-02-01", "2020-09-01") in rows
        assert await series(client, op, "enterprises_with_valid_patents") == years(
            {y: 1 for y in range(2021, THIS_YEAR + 1)}
        )

    async def test_a_lapse_found_by_the_docket_takes_it_out(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        url, op = trusteeship_settings.database_url, as_operator(tokens, keyed=False)
        await register_agency(client, tokens, A)
        code = credit_code(522)
        await enrol_as(client, tokens, A, code, "2024-03-01")
        number = make_patent_number(2024, "2", 1234)  # utility model filed 29 February 2024
        created = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": number, "title": "Clamp", "filing_date": "2024-02-29", "grant_date": "2025-06-10"},
            headers=as_agency(tokens, A),
        )
        assert created.status_code == 201, created.text
        docket = (await client.get(f"{BASE}/enterprises/{code}/docket", headers=op)).json()["items"]
        for line in docket:
            if line["due_date"] < "2028-02-29":
                paid = await client.post(
                    f"{BASE}/fee-deadlines/{line['id']}/payments",
                    json={"paid_date": min(line["due_date"], date.today().isoformat()), "amount": line["fee"]},
                    headers=as_agency(tokens, A),
                )
                assert paid.status_code == 201, paid.text
        run = await client.post(f"{BASE}/docket/run", json={"as_of": "2028-08-30"}, headers=as_operator(tokens))
        assert run.status_code == 200 and run.json()["patents_lapsed"] == 1
        assert await ledger(url, "enterprises_with_valid_patents") == [
            (f"{hashed(code)}:20250610", 1, "2025-06-10", "2028-02-29")
        ]
        assert [e["end_on"] for e in await announced(url, "enterprises_with_valid_patents")] == [
            "2034-02-28",
            "2028-02-29",
        ]


class TestRecountAndAccess:
    async def test_recount_backfills_existing_rows_once(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        url = trusteeship_settings.database_url
        await register_agency(client, tokens, A)
        for i in range(3):
            await enrol_as(client, tokens, A, credit_code(531 + i), "2020-01-02")
        await client.patch(
            f"{BASE}/enterprises/{credit_code(531)}",
            json={"gbt29490_certified_date": "2021-01-04"},
            headers=as_operator(tokens),
        )
        # the rows as they were before the ledger existed
        await execute(url, "DELETE FROM indicator_contribution")
        assert await ledger(url, "trusteeship_smes") == []
        missing_key = await client.post(f"{BASE}/statistics/indicators/recount", headers=tokens.headers("operator"))
        assert missing_key.status_code == 400
        refused = await client.post(f"{BASE}/statistics/indicators/recount", headers=as_agency(tokens, A))
        assert refused.status_code == 403
        first = await client.post(f"{BASE}/statistics/indicators/recount", headers=as_operator(tokens))
        assert first.status_code == 200, first.text
        assert first.json() == {"enterprises": 3, "changed": 4}
        assert len(await ledger(url, "trusteeship_smes")) == 3
        second = await client.post(f"{BASE}/statistics/indicators/recount", headers=as_operator(tokens))
        assert second.json() == {"enterprises": 3, "changed": 0}

    async def test_any_authenticated_caller_reads_the_indicators(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await register_agency(client, tokens, A)
        await enrol_as(client, tokens, A, credit_code(541), "2020-01-02")
        for headers in (
            tokens.headers("operator"),
            tokens.headers("agency", "agency-z"),
            tokens.headers("bank", "bank-a"),
        ):
            response = await client.get(f"{BASE}/statistics/indicators", headers=headers)
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["base_year"] == 2018 and body["current_year"] == THIS_YEAR
            assert {i["indicator"] for i in body["indicators"]} == {
                "trusteeship_smes",
                "certified_organisations",
                "enterprises_with_valid_patents",
            }
        assert (await client.get(f"{BASE}/statistics/indicators")).status_code == 401


class TestRestoredPatent:
    async def test_a_restored_patent_counts_again(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        url, op = trusteeship_settings.database_url, as_operator(tokens, keyed=False)
        await register_agency(client, tokens, A)
        code = credit_code(551)
        await enrol_as(client, tokens, A, code, "2019-03-01")
        number = make_patent_number(2019, "1", 951)
        created = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": number, "title": "Gear", "filing_date": "2019-06-01", "grant_date": "2020-04-01"},
            headers=as_agency(tokens, A),
        )
        assert created.status_code == 201, created.text
        not_lapsed = await client.post(
            f"{BASE}/enterprises/{code}/patents/{number}/restore",
            json={"restored_date": "2025-06-01", "fee_paid": "900.00"},
            headers=as_agency(tokens, A),
        )
        assert not_lapsed.status_code == 409
        # the lapse as the daily run records it, earlier in the history (the docket looks forward
        # from the day a patent is recorded, so a past lapse is set here), then counted
        await execute(
            url, "UPDATE patent SET status = 'lapsed', lapsed_date = '2025-03-01' WHERE number = :n", n=number
        )
        await execute(url, "UPDATE fee_deadline SET status = 'lapsed' WHERE patent_number = :n", n=number)
        await client.post(f"{BASE}/statistics/indicators/recount", headers=as_operator(tokens))
        span = f"{hashed(code)}:20200401"
        assert await ledger(url, "enterprises_with_valid_patents") == [(span, 1, "2020-04-01", "2025-03-01")]
        assert (await series(client, op, "enterprises_with_valid_patents"))[2025] == 0

        early = await client.post(
            f"{BASE}/enterprises/{code}/patents/{number}/restore",
            json={"restored_date": "2025-02-01", "fee_paid": "900.00"},
            headers=as_agency(tokens, A),
        )
        assert early.status_code == 422 and early.json()["errors"][0]["field"] == "body.restored_date"
        restored = await client.post(
            f"{BASE}/enterprises/{code}/patents/{number}/restore",
            json={"restored_date": "2025-06-01", "fee_paid": "900.00"},
            headers=as_agency(tokens, A),
        )
        assert restored.status_code == 200, restored.text
        assert restored.json()["status"] == "valid" and restored.json()["lapsed_date"] is None
        assert await ledger(url, "enterprises_with_valid_patents") == [(span, 1, "2020-04-01", "2039-06-01")]
        assert await series(client, op, "enterprises_with_valid_patents") == years(
            {y: 1 for y in range(2020, THIS_YEAR + 1)}
        )
        statuses = [
            d["status"] for d in (await client.get(f"{BASE}/enterprises/{code}/docket", headers=op)).json()["items"]
        ]
        assert statuses[0] == "paid" and all(s == "open" for s in statuses[1:])
        [restored_event] = await execute(
            url, "SELECT count(*) FROM outbox_message WHERE event_type = 'ipops.trusteeship.patent.restored.v1'"
        )
        assert restored_event[0] == 1
        again = await client.post(
            f"{BASE}/enterprises/{code}/patents/{number}/restore",
            json={"restored_date": "2025-06-01", "fee_paid": "900.00"},
            headers=as_agency(tokens, A),
        )
        assert again.status_code == 409
