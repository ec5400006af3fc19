"""The platform's public contract as documents: each service's OpenAPI and AsyncAPI, the gateway's
own, and the merged OpenAPI the gateway serves at /openapi.json.

Built from the app factories without starting anything (no database, no broker): the documents
depend on the code alone. `python -m tests.contract.documents --write` records them as the
snapshots `test_contract_unchanged.py` compares against; rewrite them only for a change to the
contract that is meant, and say so in the commit.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SERVICES = ("pledge", "trusteeship", "navigation", "enforcement", "operations")


def _service_app(name: str, workdir: Path) -> FastAPI:
    url = f"sqlite+aiosqlite:///{workdir}/{name}.sqlite"
    common: dict[str, Any] = {"database_url": url, "run_background_tasks": False, "migrate_on_startup": False}
    if name == "pledge":
        from pledge.config import PledgeSettings
        from pledge.main import create_app as pledge_app

        return pledge_app(PledgeSettings(**common))
    if name == "trusteeship":
        from trusteeship.config import TrusteeshipSettings
        from trusteeship.main import create_app as trusteeship_app

        return trusteeship_app(TrusteeshipSettings(**common))
    if name == "navigation":
        from navigation.config import NavigationSettings
        from navigation.main import create_app as navigation_app

        return navigation_app(NavigationSettings(**common, data_dir=str(workdir / "navigation")))
    if name == "operations":
        from operations.config import OperationsSettings
        from operations.main import create_app as operations_app

        return operations_app(OperationsSettings(**common))
    from enforcement.config import EnforcementSettings
    from enforcement.main import create_app as enforcement_app

    return enforcement_app(EnforcementSettings(**common))


def _gateway_app(workdir: Path) -> FastAPI:
    from gateway.config import GatewaySettings
    from gateway.main import create_app as gateway_app

    settings = GatewaySettings(
        database_url=f"sqlite+aiosqlite:///{workdir}/gateway.sqlite",
        run_background_tasks=False,
        migrate_on_startup=False,
        keys_dir=str(workdir / "keys"),
    )
    return gateway_app(settings)


def _asyncapi(app: FastAPI) -> dict[str, Any]:
    # No `with`: the lifespan (migrations, Kafka) is not started; the route needs neither.
    response = TestClient(app).get("/asyncapi.json")
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    # The broker address comes from settings, not from the contract.
    document.pop("servers", None)
    return document


def build() -> dict[str, dict[str, Any]]:
    """Every contract document, by snapshot name."""
    from gateway.openapi_docs import merge

    documents: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        upstream: dict[str, dict[str, Any]] = {}
        for name in SERVICES:
            app = _service_app(name, workdir)
            upstream[name] = app.openapi()
            documents[f"{name}.openapi"] = upstream[name]
            documents[f"{name}.asyncapi"] = _asyncapi(app)
        gateway = _gateway_app(workdir)
        documents["gateway.asyncapi"] = _asyncapi(gateway)
        documents["merged.openapi"] = merge(gateway.openapi(), upstream)
    return documents


def canonical(document: dict[str, Any]) -> str:
    """A stable text form: sorted keys, so only a real change shows as a diff."""
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the snapshots from the code")
    args = parser.parse_args()
    SNAPSHOTS.mkdir(exist_ok=True)
    changed = 0
    for name, document in build().items():
        path = SNAPSHOTS / f"{name}.json"
        text = canonical(document)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed += 1
            print(f"{'writing' if args.write else 'differs'}: {path}")
            if args.write:
                path.write_text(text, encoding="utf-8")
    print(f"{changed} document(s) {'written' if args.write else 'differ'}")


if __name__ == "__main__":
    main()
