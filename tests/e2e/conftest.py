"""The whole platform as real processes (five services and the gateway) on PostgreSQL and the
test broker; callers authenticate at the gateway's /oauth/token like the banks' systems do."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.stack import Stack, whole_platform


class Caller:
    """A bank's, an agency's or the office's system talking to the gateway with its own token."""

    def __init__(self, client: httpx.AsyncClient, token: str, tenant: str | None = None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.tenant = tenant

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, "Idempotency-Key": uuid.uuid4().hex}
        return await self.client.post(path, json=json, headers=headers, **kwargs)

    async def ok(self, path: str, json: Any = None, status: int = 201) -> Any:
        response = await self.post(path, json)
        assert response.status_code == status, f"{path}: {response.status_code} {response.text}"
        return response.json()

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(path, headers=self.headers, params=params)

    async def json(self, path: str, **params: Any) -> Any:
        response = await self.get(path, **params)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text}"
        return response.json()


@pytest.fixture(scope="package")
async def platform() -> AsyncIterator[Stack]:
    async with whole_platform() as stack:
        yield stack


@pytest.fixture(scope="package")
async def gateway(platform: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform.apps["gateway"].url, timeout=30) as client:
        yield client


async def token(client: httpx.AsyncClient, client_id: str, secret: str) -> str:
    response = await client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture(scope="package")
async def operator(platform: Stack, gateway: httpx.AsyncClient) -> Caller:
    secret = platform.apps["gateway"].env["GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET"]
    return Caller(gateway, await token(gateway, "operator", secret))


@pytest.fixture(scope="package")
async def make_caller(gateway: httpx.AsyncClient, operator: Caller) -> Any:
    async def make(role: str, tenant: str) -> Caller:
        created = await operator.ok(
            "/api/v1/gateway/clients", {"name": f"{role} {tenant}", "role": role, "tenant_id": tenant}
        )
        return Caller(gateway, await token(gateway, created["client_id"], created["client_secret"]), tenant)

    return make
