"""One OpenAPI document: the gateway's routes and every reachable service's paths, served even
when a service is down; schema names that clash are renamed with their references."""

from __future__ import annotations

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


def test_clashing_schema_names_are_renamed() -> None:
    own = {
        "openapi": "3.1.0",
        "info": {"title": "g", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Page": {"type": "object", "properties": {"a": {"type": "string"}}}}},
    }
    pledge = {
        "paths": {
            "/api/v1/pledge/x": {
                "get": {
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}
                    }
                }
            },
            "/healthz": {"get": {}},
        },
        "components": {
            "schemas": {
                "Page": {"type": "object", "properties": {"b": {"type": "integer"}}},
                "Same": {"type": "string"},
            }
        },
    }
    merged = merge(own, {"pledge": pledge, "navigation": {"components": {"schemas": {"Same": {"type": "string"}}}}})
    assert set(merged["paths"]) == {"/api/v1/pledge/x"}
    ref = merged["paths"]["/api/v1/pledge/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ref == {"$ref": "#/components/schemas/pledge.Page"}
    assert merged["components"]["schemas"]["Page"]["properties"] == {"a": {"type": "string"}}
    assert merged["components"]["schemas"]["pledge.Page"]["properties"] == {"b": {"type": "integer"}}
    assert "navigation.Same" not in merged["components"]["schemas"]  # identical schemas are shared


async def test_asyncapi_lists_what_the_read_model_consumes(gateway_settings) -> None:
    from gateway.readmodel.projector import HANDLERS

    async with gateway_client(gateway_settings()) as (_, client):
        doc = (await client.get("/asyncapi.json")).json()
    operations = doc["operations"]
    assert len(operations) == len(HANDLERS)
    assert all(op["action"] == "receive" for op in operations.values())
