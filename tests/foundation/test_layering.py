"""Layers point one way (DESIGN.md convention 2): a service's `domain/` is plain Python and
imports no database, web, broker or platform I/O module, and no service imports another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["pledge", "trusteeship", "navigation", "enforcement"]
FORBIDDEN_IN_DOMAIN = (
    "sqlmodel",
    "sqlalchemy",
    "fastapi",
    "starlette",
    "aiokafka",
    "httpx",
    "ipops.db",
    "ipops.events",
    "ipops.runtime",
    "ipops.app",
    "ipops.idempotency",
    "ipops.kafka",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(service: str, sub: str = "") -> list[Path]:
    base = ROOT / "services" / service / service / sub
    return sorted(base.rglob("*.py")) if base.exists() else []


def test_every_service_package_exists() -> None:
    for service in SERVICES:
        assert python_files(service), f"services/{service}/{service}/ has no code"


@pytest.mark.parametrize("service", SERVICES)
def test_domain_imports_no_io(service: str) -> None:
    files = python_files(service, "domain")
    assert files, f"services/{service}/{service}/domain/ is missing"
    for path in files:
        for module in imported_modules(path):
            assert not module.startswith(FORBIDDEN_IN_DOMAIN), f"{path.relative_to(ROOT)} imports {module}"


@pytest.mark.parametrize("service", SERVICES)
def test_services_do_not_import_each_other(service: str) -> None:
    others = (*[s for s in SERVICES if s != service], "gateway")
    for path in python_files(service):
        for module in imported_modules(path):
            assert module.split(".")[0] not in others, f"{path.relative_to(ROOT)} imports {module}"
