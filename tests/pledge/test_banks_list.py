"""The banks' list read (#17): pages by name with the total of all the caller may see, read in
one statement (the window count rides on the page's rows), and a bank sees only itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pledge.main import create_app
from tests import testing
from tests.conftest import serve
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import Api, register_bank


async def _page(api: Api, **params: Any) -> dict[str, Any]:
    response = await api.get("/banks", **params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_an_operator_pages_through_every_bank_by_name(operator: Api) -> None:
    # registered out of name order; the module's database holds only this module's banks
    for bank_id in ("bank-list-c", "bank-list-a", "bank-list-b"):
        await register_bank(operator, bank_id)
    everyone = await _page(operator, limit=500)
    names = [b["name"] for b in everyone["items"]]
    assert names == sorted(names) and everyone["total"] == len(names) >= 3
    first, second = await _page(operator, limit=2), await _page(operator, limit=2, offset=2)
    assert [b["id"] for b in first["items"] + second["items"]] == [b["id"] for b in everyone["items"]][:4]
    assert first["total"] == second["total"] == everyone["total"]
    mine = next(b for b in everyone["items"] if b["id"] == "bank-list-a")
    assert mine["name"] == "Bank bank-list-a" and mine["suspended_at"] is None and mine["suspension_reason"] is None
    assert mine["registered_at"].endswith("Z")


async def test_a_page_past_the_end_is_empty_and_still_says_the_total(operator: Api) -> None:
    await register_bank(operator)
    total = (await _page(operator, limit=1))["total"]
    past = await _page(operator, limit=10, offset=total)
    assert past == {"items": [], "total": total}


async def test_a_bank_sees_only_itself_on_every_page(operator: Api, as_role: Callable[..., Api]) -> None:
    bank = as_role("bank", await register_bank(operator))
    await register_bank(operator)
    assert [b["id"] for b in (await _page(bank, limit=500))["items"]] == [bank.tenant]
    assert (await _page(bank, limit=500))["total"] == 1
    assert await _page(bank, limit=5, offset=1) == {"items": [], "total": 1}
    unregistered = as_role("bank", "bank-never-registered")
    assert await _page(unregistered) == {"items": [], "total": 0}


async def test_a_page_is_one_statement_and_an_empty_one_past_the_end_two(
    operator: Api, as_role: Callable[..., Api]
) -> None:
    bank = as_role("bank", await register_bank(operator))
    counter = testing.Statements()
    for api, params, expected in (
        (operator, {}, 1),
        (bank, {}, 1),
        (bank, {"offset": 3}, 2),
        (operator, {"offset": 10_000}, 2),
    ):
        with counter.counting() as seen:
            await _page(api, **params)
        assert len(seen) == expected, seen


def _count(metrics: str, status: int) -> float:
    prefix = f'ipops_http_requests_total{{method="GET",route="/banks",service="pledge",status="{status}"}} '
    return sum(float(line[len(prefix) :]) for line in metrics.splitlines() if line.startswith(prefix))


async def test_each_answer_is_counted_under_its_route_and_status(operator: Api, as_role: Callable[..., Api]) -> None:
    agency = as_role("agency", "agency-list")
    before = (await operator.client.get("/metrics")).text
    for _ in range(3):
        await _page(operator)
    assert (await agency.get("/banks")).status_code == 403
    after = (await operator.client.get("/metrics")).text
    assert _count(after, 200) - _count(before, 200) == 3
    assert _count(after, 403) - _count(before, 403) == 1


async def test_on_sqlite_the_read_leaves_its_connection_as_ipops_db_set_it(
    tmp_path: Path, tokens: testing.TokenFactory, kafka_bootstrap: str
) -> None:
    # autocommit is for PostgreSQL only: on SQLite, the pool's reset after an autocommit read
    # gives pysqlite back its implicit BEGIN, which ipops.db turns off on every connection
    app = create_app(pledge_settings(f"sqlite+aiosqlite:///{tmp_path}/pledge.db", tokens, kafka_bootstrap))
    async with serve(app) as client:
        operator = Api(client, tokens, "operator")
        for bank_id in ("bank-sqlite-b", "bank-sqlite-a"):
            await register_bank(operator, bank_id)
            listed = await _page(operator)
        assert [b["id"] for b in listed["items"]] == ["bank-sqlite-a", "bank-sqlite-b"] and listed["total"] == 2
        assert await _page(Api(client, tokens, "bank", "bank-sqlite-b"), offset=1) == {"items": [], "total": 1}
        async with app.state.runtime.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            assert raw.driver_connection.isolation_level is None
