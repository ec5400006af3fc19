"""What reaches a service is text PostgreSQL can store and a media type the route takes; a
malformed body is named by line and column (issue 15: NUL reached PostgreSQL as a 500, a wrong
Content-Type answered 422 "valid dictionary", malformed JSON named `body.182`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from ipops import db
from ipops.db import platform_registry
from ipops.settings import ServiceSettings
from ipops.textguard import forbidden_strings
from tests.conftest import serve
from tests.foundation.probe import probe_registry
from tests.foundation.probe_app import create_probe_app
from tests.testing import TokenFactory

ITEM = {"item_id": "i-1", "seq": 1, "amount": "100.50"}
ITEMS = "/api/v1/probe/items"


@pytest.fixture
async def client(pg_url: str, settings_for: Any) -> AsyncIterator[httpx.AsyncClient]:
    engine = db.create_engine(pg_url)
    async with engine.begin() as conn:
        await conn.run_sync(platform_registry.metadata.create_all)
        await conn.run_sync(probe_registry.metadata.create_all)
    await engine.dispose()
    settings = settings_for(ServiceSettings, pg_url, service_name="probe", migrate_on_startup=False)
    async with serve(create_probe_app(settings)) as c:
        yield c


def bank(tokens: TokenFactory, key: str = "k-1") -> dict[str, str]:
    return {**tokens.headers("bank", "bank-a"), "Idempotency-Key": key}


class TestControlCharacters:
    @pytest.mark.parametrize("bad", ["a\u0000b", "\u0007", "x\u001fy", "del\u007f"])
    async def test_a_control_character_in_a_json_string_is_422_naming_the_field(
        self, client: httpx.AsyncClient, tokens: TokenFactory, bad: str
    ) -> None:
        r = await client.post(ITEMS, json={**ITEM, "item_id": bad}, headers=bank(tokens))
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == ["body.item_id"]

    async def test_the_request_is_not_applied(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        await client.post(ITEMS, json={**ITEM, "item_id": "n\u0000ul"}, headers=bank(tokens, "k-nul"))
        # the same key with a clean body is a first request, not a replay: nothing was stored
        r = await client.post(ITEMS, json=ITEM, headers=bank(tokens, "k-nul"))
        assert r.status_code == 201 and "idempotent-replayed" not in r.headers

    async def test_tab_and_newline_are_text(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        r = await client.post(ITEMS, json={**ITEM, "item_id": "line\tone\nline two"}, headers=bank(tokens, "k-2"))
        assert r.status_code == 201, r.text

    async def test_a_nul_in_a_query_or_path_is_422(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        r = await client.get(f"{ITEMS}/abc%00def", headers=tokens.headers("bank", "bank-a"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "path"
        r = await client.get(f"{ITEMS}/1?q=a%00", headers=tokens.headers("bank", "bank-a"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.q"


def test_every_string_is_walked_with_its_path() -> None:
    value = {"a": ["ok", {"b": "x\u0000"}], "c\u0001": "fine", "d": 5}
    assert sorted(forbidden_strings(value, "body")) == ["body.'c\\x01'", "body.a.1.b"]


class TestMediaTypeAndSyntax:
    async def test_a_body_sent_as_text_plain_is_415_naming_the_header(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        headers = {**bank(tokens, "k-3"), "content-type": "text/plain"}
        r = await client.post(ITEMS, content=b'{"item_id": "x", "seq": 1, "amount": "1.00"}', headers=headers)
        assert r.status_code == 415, r.text
        assert r.json()["errors"][0]["field"] == "header.Content-Type"

    async def test_malformed_json_names_line_and_column(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        headers = {**bank(tokens, "k-4"), "content-type": "application/json"}
        r = await client.post(ITEMS, content=b'{\n  "item_id": "x",\n  "seq": ,\n}', headers=headers)
        assert r.status_code == 400
        error = r.json()["errors"][0]
        assert (error["field"], error["line"], error["column"]) == ("body", 3, 10)
        assert "line 3, column 10" in r.json()["detail"]


async def test_operation_ids_are_the_service_and_the_function(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values() if "operationId" in op]
    assert "probe_create_item" in ids
    assert len(ids) == len(set(ids))
