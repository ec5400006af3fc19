"""The demo runs on the same real platform as the end-to-end tests (PostgreSQL, the test broker,
the gateway issuing tokens): tests/e2e's fixtures, for this package."""

from tests.e2e.conftest import gateway, operator, platform  # noqa: F401  (fixtures, registered by import)
