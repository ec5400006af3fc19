"""The docket over HTTP on PostgreSQL: the fee calendar on real dates (29 February filings, grace
ends, lapse), reminders 90/30/7 days ahead, regeneration without duplicates, payments with
surcharge, first patents and the zero-patent list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from dateutil.relativedelta import relativedelta

from ipops.identifiers import make_patent_number
from tests import testing
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

A = "agency-a"
LEAP_PATENT = make_patent_number(2024, "2", 1234)  # utility model filed on 29 February 2024

# The fee calendar of that patent, granted 2025-06-10: (year, due, grace end, fee)
LEAP_CALENDAR = [
    (3, "2026-02-28", "2026-08-28", "600.00"),
    (4, "2027-02-28", "2027-08-28", "900.00"),
    (5, "2028-02-29", "2028-08-29", "900.00"),
    (6, "2029-02-28", "2029-08-28", "1200.00"),
    (7, "2030-02-28", "2030-08-28", "1200.00"),
    (8, "2031-02-28", "2031-08-28", "1200.00"),
    (9, "2032-02-29", "2032-08-29", "2000.00"),
    (10, "2033-02-28", "2033-08-28", "2000.00"),
]


def today() -> date:
    """The service's "today": the date in Tianjin."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


async def setup_leap_patent(client: httpx.AsyncClient, tokens: testing.TokenFactory, code: str) -> dict[str, Any]:
    await register_agency(client, tokens, A)
    await enrol(client, tokens, A, code)
    response = await client.post(
        f"{BASE}/enterprises/{code}/patents",
        json={"number": LEAP_PATENT, "title": "Clamp", "filing_date": "2024-02-29", "grant_date": "2025-06-10"},
        headers=as_agency(tokens, A),
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def docket_of(client: httpx.AsyncClient, tokens: testing.TokenFactory, code: str) -> list[dict[str, Any]]:
    response = await client.get(f"{BASE}/enterprises/{code}/docket", headers=as_agency(tokens, A, keyed=False))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def run(client: httpx.AsyncClient, tokens: testing.TokenFactory, as_of: str) -> dict[str, Any]:
    response = await client.post(f"{BASE}/docket/run", json={"as_of": as_of}, headers=as_operator(tokens))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


class TestFeeCalendar:
    async def test_leap_day_filing_calendar(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        code = credit_code(100)
        patent = await setup_leap_patent(client, tokens, code)
        assert patent["kind"] == "utility_model" and patent["status"] == "valid"
        assert patent["expiry_date"] == "2034-02-28"
        got = [
            (d["patent_year"], d["due_date"], d["grace_end_date"], d["fee"])
            for d in await docket_of(client, tokens, code)
        ]
        # the docket looks forward from the day the patent was recorded: years whose grace ended before are left out
        expected = [row for row in LEAP_CALENDAR if date.fromisoformat(row[2]) >= today()]
        assert got == expected

    async def test_reminders_then_lapse_on_real_dates(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        code = credit_code(101)
        await setup_leap_patent(client, tokens, code)
        year4 = next(d for d in await docket_of(client, tokens, code) if d["patent_year"] == 4)
        paid = await client.post(
            f"{BASE}/fee-deadlines/{year4['id']}/payments",
            json={"paid_date": today().isoformat(), "amount": "900.00"},
            headers=as_agency(tokens, A),
        )
        assert paid.status_code == 201, paid.text
        assert paid.json()["status"] == "paid" and paid.json()["payment"]["surcharge"] == "0.00"

        # year 5 falls due on 29 February 2028
        assert (await run(client, tokens, "2027-11-30"))["reminders_sent"] == 0  # 91 days ahead
        first = await run(client, tokens, "2027-12-01")  # 90 days ahead
        assert first["reminders_sent"] == 1 and first["patents_lapsed"] == 0
        rerun = await run(client, tokens, "2027-12-01")
        assert rerun == {**first, "reminders_sent": 0, "deadlines_added": 0}
        assert (await run(client, tokens, "2028-02-22"))["reminders_sent"] == 1  # 7 days ahead (30 skipped: catch-up)
        assert (await run(client, tokens, "2028-02-29"))["reminders_sent"] == 0  # due date, 7-day already sent
        assert (await run(client, tokens, "2028-07-30"))["reminders_sent"] == 1  # 30 days before grace ends 2028-08-29
        on_grace_end = await run(client, tokens, "2028-08-29")
        assert on_grace_end["reminders_sent"] == 1 and on_grace_end["patents_lapsed"] == 0
        lapse = await run(client, tokens, "2028-08-30")
        assert lapse["patents_lapsed"] == 1
        assert (await run(client, tokens, "2028-08-31"))["patents_lapsed"] == 0

        profile = (await client.get(f"{BASE}/enterprises/{code}", headers=as_agency(tokens, A, keyed=False))).json()
        [patent] = profile["patents"]
        assert patent["status"] == "lapsed" and patent["lapsed_date"] == "2028-02-29"
        statuses = {d["patent_year"]: d["status"] for d in await docket_of(client, tokens, code)}
        assert statuses[4] == "paid" and all(statuses[y] == "lapsed" for y in range(5, 11))

        types = await outbox_types(trusteeship_settings.database_url)
        assert types.count("ipops.trusteeship.fee.due.v1") == 4
        assert types.count("ipops.trusteeship.patent.lapsed.v1") == 1

        zero_before = await client.get(
            f"{BASE}/zero-patent-enterprises", params={"as_of": "2028-02-28"}, headers=as_agency(tokens, A, keyed=False)
        )
        zero_after = await client.get(
            f"{BASE}/zero-patent-enterprises", params={"as_of": "2028-02-29"}, headers=as_agency(tokens, A, keyed=False)
        )
        assert zero_before.json()["total"] == 0
        assert [e["credit_code"] for e in zero_after.json()["items"]] == [code]


class TestRegeneration:
    async def test_regeneration_restores_only_what_is_missing(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        code = credit_code(102)
        await setup_leap_patent(client, tokens, code)
        before = await docket_of(client, tokens, code)
        assert (await run(client, tokens, today().isoformat()))["deadlines_added"] == 0
        deleted = await execute(
            trusteeship_settings.database_url,
            "DELETE FROM fee_deadline WHERE patent_number = :n AND patent_year = 7",
            n=LEAP_PATENT,
        )
        assert deleted == 1
        assert (await run(client, tokens, today().isoformat()))["deadlines_added"] == 1
        assert (await run(client, tokens, today().isoformat()))["deadlines_added"] == 0
        after = await docket_of(client, tokens, code)
        key = ("patent_year", "due_date", "grace_end_date", "fee", "status")
        assert [tuple(d[k] for k in key) for d in after] == [tuple(d[k] for k in key) for d in before]
        counts = await execute(
            trusteeship_settings.database_url,
            "SELECT patent_number, patent_year FROM fee_deadline GROUP BY 1, 2 HAVING count(*) > 1",
        )
        assert counts == []


class TestPayment:
    async def test_payment_in_grace_carries_the_surcharge(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        code = credit_code(103)
        await register_agency(client, tokens, A)
        await enrol(client, tokens, A, code)
        # an invention whose 10th anniversary (fee of year 11, 4000.00) was two months and a day ago
        filed = today() - relativedelta(years=10, months=2, days=1)
        number = make_patent_number(filed.year, "1", 77)
        created = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={
                "number": number,
                "title": "Sensor",
                "filing_date": filed.isoformat(),
                "grant_date": (filed + relativedelta(years=2)).isoformat(),
            },
            headers=as_agency(tokens, A),
        )
        assert created.status_code == 201, created.text
        year11 = next(d for d in await docket_of(client, tokens, code) if d["patent_year"] == 11)
        assert year11["fee"] == "4000.00" and year11["surcharge_if_paid_today"] == "400.00"  # third month late: 10 %
        future = await client.post(
            f"{BASE}/fee-deadlines/{year11['id']}/payments",
            json={"paid_date": (today() + relativedelta(days=1)).isoformat(), "amount": "4400.00"},
            headers=as_agency(tokens, A),
        )
        assert future.status_code == 422 and future.json()["errors"][0]["field"] == "body.paid_date"
        paid = await client.post(
            f"{BASE}/fee-deadlines/{year11['id']}/payments",
            json={"paid_date": today().isoformat(), "amount": "4400.00"},
            headers=as_agency(tokens, A),
        )
        assert paid.status_code == 201, paid.text
        assert paid.json()["payment"] == {**paid.json()["payment"], "amount": "4400.00", "surcharge": "400.00"}
        twice = await client.post(
            f"{BASE}/fee-deadlines/{year11['id']}/payments",
            json={"paid_date": today().isoformat(), "amount": "4400.00"},
            headers=as_agency(tokens, A),
        )
        assert twice.status_code == 409

    async def test_bad_patent_numbers_name_the_field(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        code = credit_code(104)
        await register_agency(client, tokens, A)
        await enrol(client, tokens, A, code)
        wrong_check = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": "202010123456.3", "title": "x", "filing_date": "2020-03-01"},
            headers=as_agency(tokens, A),
        )
        assert wrong_check.status_code == 422 and wrong_check.json()["errors"][0]["field"] == "body.number"
        wrong_year = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": "202010123456.2", "title": "x", "filing_date": "2021-03-01"},
            headers=as_agency(tokens, A),
        )
        assert wrong_year.status_code == 422 and wrong_year.json()["errors"][0]["field"] == "body.filing_date"
        granted_first = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": "202010123456.2", "title": "x", "filing_date": "2020-03-01", "grant_date": "2020-02-29"},
            headers=as_agency(tokens, A),
        )
        # an order between two fields is the use case's rule, naming the grant (#15)
        assert granted_first.status_code == 422 and granted_first.json()["type"] == "/problems/rule-violation"
        assert granted_first.json()["errors"][0]["field"] == "body.grant_date"
        as_number = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": "202010123456.2", "title": "x", "filing_date": 1583020800},
            headers=as_agency(tokens, A),
        )
        # a date is a YYYY-MM-DD string from 2000 to 2100, as the schema declares; never a timestamp
        assert as_number.status_code == 422 and as_number.json()["errors"][0]["field"] == "body.filing_date"


class TestFirstPatent:
    async def test_first_grant_while_enrolled_counts_once(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        code = credit_code(105)
        await register_agency(client, tokens, A)
        await enrol(client, tokens, A, code)
        agency = as_agency(tokens, A, keyed=False)
        numbers = [make_patent_number(2025, "2", 501), make_patent_number(2025, "2", 502)]
        for number in numbers:
            pending = await client.post(
                f"{BASE}/enterprises/{code}/patents",
                json={"number": number, "title": "Valve", "filing_date": "2025-03-03"},
                headers=as_agency(tokens, A),
            )
            assert pending.status_code == 201 and pending.json()["status"] == "pending"
        zero = await client.get(f"{BASE}/zero-patent-enterprises", headers=agency)
        assert [e["credit_code"] for e in zero.json()["items"]] == [code]

        for number in numbers:
            granted = await client.post(
                f"{BASE}/enterprises/{code}/patents/{number}/grant",
                json={"grant_date": "2025-10-01"},
                headers=as_agency(tokens, A),
            )
            assert granted.status_code == 200 and granted.json()["status"] == "valid"
        firsts = (await client.get(f"{BASE}/first-patents", headers=agency)).json()
        assert firsts["total"] == 1 and firsts["items"][0]["patent_number"] == numbers[0]
        assert (await client.get(f"{BASE}/zero-patent-enterprises", headers=agency)).json()["total"] == 0
        stats = (
            await client.get(
                f"{BASE}/statistics/valid-patents", params={"from_year": 2025, "to_year": 2025}, headers=agency
            )
        ).json()
        assert stats["years"][0]["enterprises"] == 1 and stats["years"][0]["growth_percent"] is None
        assert stats["first_patents"] == 1 and stats["zero_patent_enterprises"] == 0


class TestValidPatentGrowth:
    async def test_growth_year_on_year(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, A)
        grants = [("2019", "2022-05-01"), ("2020", "2023-03-01"), ("2021", "2023-09-01"), ("2021", "2024-01-15")]
        for i, (year, granted) in enumerate(grants):
            code = credit_code(200 + i)
            await enrol(client, tokens, A, code)
            created = await client.post(
                f"{BASE}/enterprises/{code}/patents",
                json={
                    "number": make_patent_number(int(year), "1", 600 + i),
                    "title": "x",
                    "filing_date": f"{year}-06-01",
                    "grant_date": granted,
                },
                headers=as_agency(tokens, A),
            )
            assert created.status_code == 201, created.text
        stats = (
            await client.get(
                f"{BASE}/statistics/valid-patents",
                params={"from_year": 2022, "to_year": 2024},
                headers=as_operator(tokens, keyed=False),
            )
        ).json()
        got = [
            (y["year"], y["on_date"], y["enterprises"], y["growth_percent"], y["year_to_date"]) for y in stats["years"]
        ]
        assert got == [
            (2022, "2022-12-31", 1, None, False),  # no enterprise held a valid patent at the end of 2021
            (2023, "2023-12-31", 3, "200.00", False),
            (2024, "2024-12-31", 4, "33.33", False),
        ]
