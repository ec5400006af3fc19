"""One OpenAPI document: the gateway's routes and every reachable service's paths, served even
when a service is down; schema names that clash are renamed with their references."""

from __future__ import annotations

from typing import Any

from gateway.openapi_docs import merge
from tests.gateway.conftest import gateway_client
from tests.gateway.test_routing import pledge_upstream


async def test_merged_document_tolerates_a_service_down(settings_for, gateway_settings, gateway_keys) -> None:
    async with (
        pledge_upstream(settings_for, gateway_keys) as pledge_url,
        gateway_client(gateway_settings(pledge_url=pledge_url)) as (_, client),
    ):
        r = await client.get("/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    paths = doc["paths"]
    assert "/oauth/token" in paths and "/api/v1/public/progress" in paths
    assert "/api/v1/gateway/clients" in paths
    assert "/api/v1/pledge/loans" in paths and "get" in paths["/api/v1/pledge/loans"]
    # the service's own operational routes are not the gateway's to publish
    assert not any(p.startswith("/api/v1/trusteeship/") for p in paths)
    assert doc["info"]["x-ipops-services"]["pledge"] == "included"
    assert doc["info"]["x-ipops-services"]["trusteeship"].startswith("unavailable")
    # every reference resolves
    schemas = doc["components"]["schemas"]
    import json
    import re

    for ref in set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(doc))):
        assert ref in schemas, ref


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _get(schema: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}}


def _answer(merged: dict[str, Any], path: str) -> Any:
    """The schema of the 200 answer of GET `path`."""
    return merged["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_clashing_schema_names_are_renamed_without_dots() -> None:
    """A clash is renamed `<Service><Name>` (a name generators accept), its title too (generators
    name the class after it), and its references with it."""
    own = {
        "openapi": "3.1.0",
        "info": {"title": "g", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {"Page": {"title": "Page", "type": "object", "properties": {"a": {"type": "string"}}}}
        },
    }
    pledge = {
        "paths": {"/api/v1/pledge/x": _get(_ref("Page")), "/healthz": {"get": {}}},
        "components": {
            "schemas": {
                "Page": {"title": "Page", "type": "object", "properties": {"b": {"type": "integer"}}},
                "Same": {"type": "string"},
            }
        },
    }
    merged = merge(own, {"pledge": pledge, "navigation": {"components": {"schemas": {"Same": {"type": "string"}}}}})
    assert set(merged["paths"]) == {"/api/v1/pledge/x"}
    assert _answer(merged, "/api/v1/pledge/x") == _ref("PledgePage")
    schemas = merged["components"]["schemas"]
    assert schemas["Page"] == own["components"]["schemas"]["Page"]
    assert schemas["PledgePage"] == {"title": "PledgePage", "type": "object", "properties": {"b": {"type": "integer"}}}
    assert set(schemas) == {"Page", "PledgePage", "Same"}  # identical schemas are shared


def test_a_renamed_schema_never_takes_a_name_in_use() -> None:
    """`EnforcementMove` exists already (in the merged document, or in the service's own), so the
    clash gets the next free name; every reference follows."""
    own = {"paths": {}, "components": {"schemas": {"Move": {"enum": ["a"]}, "EnforcementMove": {"enum": ["b"]}}}}
    enforcement = {
        "paths": {"/api/v1/enforcement/x": _get(_ref("Move")), "/api/v1/enforcement/y": _get(_ref("EnforcementMove2"))},
        "components": {"schemas": {"Move": {"title": "Move", "enum": ["c"]}, "EnforcementMove2": {"enum": ["d"]}}},
    }
    merged = merge(own, {"enforcement": enforcement})
    schemas = merged["components"]["schemas"]
    assert schemas["EnforcementMove3"] == {"title": "EnforcementMove3", "enum": ["c"]}
    assert schemas["EnforcementMove2"] == {"enum": ["d"]}
    assert _answer(merged, "/api/v1/enforcement/x") == _ref("EnforcementMove3")
    assert _answer(merged, "/api/v1/enforcement/y") == _ref("EnforcementMove2")
    assert not any("." in name for name in schemas)


def test_a_schema_that_refers_to_a_renamed_one_is_renamed_too() -> None:
    """Two services' `CaseDetail` read alike but point at their own `Move`: once the second
    `Move` is renamed, its `CaseDetail` differs from the first and is renamed as well, so it keeps
    pointing at the right `Move`."""
    detail = {"title": "CaseDetail", "type": "object", "properties": {"move": _ref("Move")}}
    trusteeship = {
        "paths": {"/api/v1/trusteeship/x": _get(_ref("CaseDetail"))},
        "components": {"schemas": {"Move": {"enum": ["enrol"]}, "CaseDetail": detail}},
    }
    enforcement = {
        "paths": {"/api/v1/enforcement/x": _get(_ref("CaseDetail"))},
        "components": {"schemas": {"Move": {"enum": ["close"]}, "CaseDetail": detail}},
    }
    merged = merge({"paths": {}}, {"trusteeship": trusteeship, "enforcement": enforcement})
    schemas = merged["components"]["schemas"]
    assert schemas["CaseDetail"]["properties"]["move"] == _ref("Move")
    assert schemas["EnforcementCaseDetail"]["properties"]["move"] == _ref("EnforcementMove")
    assert schemas["EnforcementCaseDetail"]["title"] == "EnforcementCaseDetail"
    assert _answer(merged, "/api/v1/enforcement/x") == _ref("EnforcementCaseDetail")
    assert schemas["EnforcementMove"]["enum"] == ["close"]


async def test_asyncapi_lists_what_the_read_model_consumes(gateway_settings) -> None:
    from gateway.readmodel.projector import HANDLERS

    async with gateway_client(gateway_settings()) as (_, client):
        doc = (await client.get("/asyncapi.json")).json()
    operations = doc["operations"]
    assert len(operations) == len(HANDLERS)
    assert all(op["action"] == "receive" for op in operations.values())


GATEWAY_OPERATIONS = {
    ("get", "/healthz"): "gateway_healthz",
    ("get", "/readyz"): "gateway_readyz",
    ("post", "/oauth/token"): "gateway_issue_token",
    ("get", "/.well-known/jwks.json"): "gateway_jwks",
    ("get", "/.well-known/openid-configuration"): "gateway_openid_configuration",
    ("post", "/api/v1/gateway/clients"): "gateway_create_client",
    ("get", "/api/v1/gateway/clients"): "gateway_list_clients",
    ("post", "/api/v1/gateway/clients/{client_id}/disable"): "gateway_disable_client",
    ("post", "/api/v1/gateway/clients/{client_id}/enable"): "gateway_enable_client",
    ("post", "/api/v1/gateway/clients/{client_id}/secret"): "gateway_rotate_client_secret",
    ("get", "/api/v1/gateway/keys"): "gateway_list_keys",
    ("post", "/api/v1/gateway/keys/rotation"): "gateway_rotate_keys",
    ("post", "/api/v1/gateway/read-model/rebuild"): "gateway_rebuild_read_model",
    ("get", "/api/v1/public/progress"): "public_progress",
    ("get", "/api/v1/public/charts/{indicator}.svg"): "public_chart",
    ("get", "/api/v1/public/report/{year}"): "public_annual_report",
    ("get", "/api/v1/public/navigation-projects"): "public_navigation_projects",
    ("get", "/api/v1/public/enforcement-statistics"): "public_enforcement_statistics",
    ("get", "/asyncapi.json"): "gateway_asyncapi",
}


def test_the_gateways_own_operations_have_short_readable_ids(tmp_path) -> None:
    """They become a client's method names: `gateway_<what it does>`, `public_<figure>`."""
    from gateway.config import GatewaySettings
    from gateway.main import create_app

    settings = GatewaySettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/gateway.sqlite",
        run_background_tasks=False,
        migrate_on_startup=False,
        keys_dir=str(tmp_path / "keys"),
    )
    doc = create_app(settings).openapi()
    ids = {
        (method, path): operation["operationId"]
        for path, item in doc["paths"].items()
        for method, operation in item.items()
    }
    assert ids == GATEWAY_OPERATIONS
