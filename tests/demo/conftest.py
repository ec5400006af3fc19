"""The demo runs on the same real platform as the end-to-end tests (PostgreSQL, the test broker,
the gateway issuing tokens), started the same way but given longer to become ready: the demo's
test starts it on a machine where other suites run too, and a service's first start (imports,
migrations) is the slow part, not what the test measures."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.stack import ISSUER, AppProcess, Stack, whole_platform
from tests.testing import TokenFactory


class PatientStack(Stack):
    async def wait_ready(self, app: AppProcess, timeout: float = 600) -> None:
        await super().wait_ready(app, timeout)


@pytest.fixture(scope="package")
async def platform() -> AsyncIterator[Stack]:
    async with whole_platform(PatientStack(TokenFactory(issuer=ISSUER))) as stack:
        yield stack


@pytest.fixture(scope="package")
async def gateway(platform: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform.apps["gateway"].url, timeout=120) as client:
        yield client
