"""HTTP conventions every service inherits: problem+json for every error, token verification,
Idempotency-Key semantics (also under concurrency on PostgreSQL), request ids into events,
health, readiness, metrics and the AsyncAPI catalogue."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import func, select

from ipops import db
from ipops.db import platform_registry
from ipops.events import OutboxMessage
from ipops.settings import ServiceSettings
from tests.conftest import serve
from tests.foundation.probe import ProbeEffect, ProbeItem, probe_registry
from tests.foundation.probe_app import create_probe_app
from tests.testing import TokenFactory, eventually

ITEM = {"item_id": "i-1", "seq": 1, "amount": "100.50"}


@pytest.fixture
async def client(any_db_url: str, settings_for: Any) -> AsyncIterator[httpx.AsyncClient]:
    engine = db.create_engine(any_db_url)
    async with engine.begin() as conn:
        await conn.run_sync(platform_registry.metadata.create_all)
        await conn.run_sync(probe_registry.metadata.create_all)
    await engine.dispose()
    settings = settings_for(ServiceSettings, any_db_url, service_name="probe", migrate_on_startup=False)
    async with serve(create_probe_app(settings)) as c:
        c.app_sessionmaker = c._transport.app.state.runtime.sessionmaker  # type: ignore[attr-defined]
        yield c


def bank(tokens: TokenFactory, key: str | None = "k-1", tenant: str = "bank-a") -> dict[str, str]:
    headers = tokens.headers("bank", tenant)
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


class TestProblemJson:
    async def test_validation_error_names_the_field(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        r = await client.post("/api/v1/probe/items", json={**ITEM, "amount": "1.001"}, headers=bank(tokens))
        assert r.status_code == 422
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["type"] == "/problems/validation-error" and body["status"] == 422
        assert [e["field"] for e in body["errors"]] == ["body.amount"]

    async def test_invalid_patent_number_names_the_field_and_why(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        r = await client.post("/api/v1/probe/items", json={**ITEM, "patent": "202010123456.3"}, headers=bank(tokens))
        assert r.status_code == 422
        error = r.json()["errors"][0]
        assert error["field"] == "body.patent" and "check digit" in error["message"]

    async def test_malformed_json_is_400(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        headers = {**bank(tokens), "content-type": "application/json"}
        r = await client.post("/api/v1/probe/items", content=b'{"item_id": "x", ', headers=headers)
        assert r.status_code == 400
        assert r.json()["type"] == "/problems/malformed-json"

    async def test_unknown_route_is_problem_json(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/api/v1/probe/nowhere")
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"

    async def test_unexpected_error_is_opaque_500_with_request_id(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/api/v1/probe/boom", headers={"X-Request-ID": "req-boom-1"})
        assert r.status_code == 500
        body = r.json()
        assert body["request_id"] == "req-boom-1"
        assert "secret internal detail" not in r.text


class TestTokens:
    async def test_missing_token_is_401(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/api/v1/probe/items/1")
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"

    async def test_expired_token_is_refused(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        token = tokens.token("operator", ttl=timedelta(minutes=-5))
        r = await client.get("/api/v1/probe/items/1", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401 and r.json()["detail"] == "token expired"

    async def test_wrong_audience_is_refused(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        token = tokens.token("operator", aud="someone-else")
        r = await client.get("/api/v1/probe/items/1", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401

    async def test_token_signed_by_another_key_is_refused(self, client: httpx.AsyncClient) -> None:
        stranger = TokenFactory()
        r = await client.get("/api/v1/probe/items/1", headers=stranger.headers("operator"))
        assert r.status_code == 401 and "signature" in r.json()["detail"]

    async def test_alg_none_is_refused(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        genuine = tokens.token("operator")
        claims = jwt.decode(genuine, options={"verify_signature": False})

        def b64(data: dict[str, Any]) -> str:
            return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

        forged = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
        r = await client.get("/api/v1/probe/items/1", headers={"Authorization": f"Bearer {forged}"})
        assert r.status_code == 401

    async def test_hmac_signed_with_the_public_key_is_refused(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        claims = jwt.decode(tokens.token("operator"), options={"verify_signature": False})
        forged = jwt.encode(claims, "not-the-private-key-but-long-enough-for-hs256!", algorithm="HS256")
        r = await client.get("/api/v1/probe/items/1", headers={"Authorization": f"Bearer {forged}"})
        assert r.status_code == 401

    async def test_bank_token_without_tenant_is_refused(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        r = await client.get("/api/v1/probe/items/1", headers=tokens.headers("bank"))
        assert r.status_code == 401

    async def test_wrong_role_is_403(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        headers = {**tokens.headers("agency", "agency-a"), "Idempotency-Key": "k"}
        r = await client.post("/api/v1/probe/items", json=ITEM, headers=headers)
        assert r.status_code == 403


class TestMethodNotAllowed:
    async def test_405_allows_every_method_of_the_path(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        # GET and POST /items are two routes; Starlette alone would name only the first one's.
        r = await client.delete("/api/v1/probe/items", headers=tokens.headers("operator"))
        assert r.status_code == 405
        assert r.headers["allow"] == "GET, POST"
        assert r.headers["content-type"].startswith("application/problem+json")


class TestIdempotency:
    async def test_missing_key_is_400(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        r = await client.post("/api/v1/probe/items", json=ITEM, headers=bank(tokens, key=None))
        assert r.status_code == 400
        assert r.json()["errors"][0]["field"] == "header.Idempotency-Key"

    async def test_same_key_same_body_replays(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        first = await client.post("/api/v1/probe/items", json=ITEM, headers=bank(tokens))
        again = await client.post("/api/v1/probe/items", json=ITEM, headers=bank(tokens))
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
        async with client.app_sessionmaker() as session:  # type: ignore[attr-defined]
            assert await session.scalar(select(func.count()).select_from(ProbeItem)) == 1
            assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1

    async def test_same_key_other_body_is_422(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        await client.post("/api/v1/probe/items", json=ITEM, headers=bank(tokens))
        r = await client.post("/api/v1/probe/items", json={**ITEM, "seq": 2}, headers=bank(tokens))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "header.Idempotency-Key"

    async def test_keys_are_per_tenant(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        a = await client.post("/api/v1/probe/items", json=ITEM, headers=bank(tokens, tenant="bank-a"))
        b = await client.post("/api/v1/probe/items", json=ITEM, headers=bank(tokens, tenant="bank-b"))
        assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]

    async def test_concurrent_requests_with_one_key_make_one_effect(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        responses = await asyncio.gather(
            *[client.post("/api/v1/probe/items", json=ITEM, headers=bank(tokens, key="same")) for _ in range(5)]
        )
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        async with client.app_sessionmaker() as session:  # type: ignore[attr-defined]
            assert await session.scalar(select(func.count()).select_from(ProbeItem)) == 1
            assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


class TestRequestIds:
    async def test_request_id_is_echoed_and_carried_into_the_event(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        r = await client.post("/api/v1/probe/items", json=ITEM, headers={**bank(tokens), "X-Request-ID": "req-42"})
        assert r.headers["x-request-id"] == "req-42"
        async with client.app_sessionmaker() as session:  # type: ignore[attr-defined]
            row = (await session.scalars(select(OutboxMessage))).one()
        assert ["ce_requestid", "req-42"] in row.headers

    async def test_unsafe_request_id_is_replaced(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/healthz", headers={"X-Request-ID": "bad id\n with spaces"})
        assert r.headers["x-request-id"] != "bad id\n with spaces" and len(r.headers["x-request-id"]) == 32


class TestOperations:
    async def test_health_ready_metrics_asyncapi(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        assert (await client.get("/healthz")).json()["status"] == "ok"

        async def ready() -> dict[str, Any] | None:
            r = await client.get("/readyz")
            return r.json() if r.status_code == 200 else None

        report = await eventually(ready, timeout=30)
        assert {"database", "kafka", "outbox_relay", "consumer:probe.self"} <= set(report["checks"])
        await client.post("/api/v1/probe/items", json=ITEM, headers=bank(tokens))

        async def applied() -> int:
            async with client.app_sessionmaker() as session:  # type: ignore[attr-defined]
                return int(await session.scalar(select(func.count()).select_from(ProbeEffect)) or 0)

        assert await eventually(applied) == 1, "the service consumed its own event through Kafka"
        metrics = (await client.get("/metrics")).text
        assert "ipops_http_requests_total" in metrics and "ipops_events_published_total" in metrics
        doc = (await client.get("/asyncapi.json")).json()
        assert doc["asyncapi"] == "3.0.0"
        message = doc["components"]["messages"]["ipops_testprobe_item_recorded_v1"]
        assert message["headers"]["required"] == ["ce_specversion", "ce_id", "ce_source", "ce_type"]
        schema = doc["components"]["schemas"]["ipops_testprobe_item_recorded_v1"]
        assert set(schema["required"]) == {"item_id", "seq"}
        assert {op["action"] for op in doc["operations"].values()} == {"send"}

    async def test_readiness_reports_a_broker_that_is_unreachable(self, any_db_url: str, settings_for: Any) -> None:
        engine = db.create_engine(any_db_url)
        async with engine.begin() as conn:
            await conn.run_sync(platform_registry.metadata.create_all)
        await engine.dispose()
        settings = settings_for(
            ServiceSettings,
            any_db_url,
            service_name="probe",
            migrate_on_startup=False,
            kafka_bootstrap_servers="127.0.0.1:1",
        )
        async with serve(create_probe_app(settings)) as c:
            r = await c.get("/readyz")
        assert r.status_code == 503
        body = r.json()
        assert body["checks"]["kafka"]["status"] == "down" and body["checks"]["database"]["status"] == "up"


async def test_openapi_documents_every_error_as_problem_json(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    responses = document["paths"]["/api/v1/probe/items"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "422", "503"} <= set(responses)
    assert "500" not in responses
    for status in ("401", "422"):
        assert list(responses[status]["content"]) == ["application/problem+json"]
    assert set(document["components"]["schemas"]["Problem"]["required"]) == {"type", "title", "status"}


async def test_an_id_beyond_the_column_range_is_422_naming_the_parameter(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    r = await client.get(f"/api/v1/probe/items/{2**70}", headers=tokens.headers("operator"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "path.item_id"
