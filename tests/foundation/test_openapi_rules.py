"""The OpenAPI document declares what the platform enforces before a route runs (issue 15): the
control-character rule of `ipops.textguard` on every string, key and extra property a request may
carry, and the `Idempotency-Key` header as required, with its form."""

from __future__ import annotations

import copy
import re
from typing import Any

import jsonschema_rs
import pytest

from ipops.idempotency import KEY_PATTERN
from ipops.openapi_rules import TEXT_PATTERN, TEXT_VALUE, declare_text_rule
from ipops.settings import ServiceSettings
from ipops.textguard import forbidden_strings
from tests.foundation.probe_app import create_probe_app

STRING = {"type": "string"}


def _document() -> dict[str, Any]:
    return {
        "paths": {
            "/items/{item_id}": {
                "parameters": [{"name": "item_id", "in": "path", "schema": dict(STRING)}],
                "post": {
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"anyOf": [dict(STRING), {"type": "null"}]}},
                        {"name": "X-Trace", "in": "header", "schema": dict(STRING)},
                    ],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}},
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}
                    },
                },
            }
        },
        "components": {
            "schemas": {
                "In": {
                    "type": "object",
                    "properties": {
                        "name": dict(STRING),
                        "code": {"type": "string", "pattern": "^[0-9]+$"},
                        "when": {"type": "string", "format": "date"},
                        "kind": {"type": "string", "enum": ["a", "b"]},
                        "tags": {"type": "object", "additionalProperties": dict(STRING)},
                        "nested": {"$ref": "#/components/schemas/Nested"},
                    },
                },
                "Nested": {"type": "object", "properties": {"note": dict(STRING)}, "additionalProperties": False},
                "Out": {"type": "object", "properties": {"instance": dict(STRING)}},
            }
        },
    }


@pytest.mark.parametrize("code", [*range(0x00, 0x80), 0x85, 0xA0, 0x2028, 0xFEFF, 0x1F600])
def test_the_pattern_refuses_exactly_what_the_guard_refuses(code: int) -> None:
    text = f"a{chr(code)}b"
    refused = bool(list(forbidden_strings(text, "body")))
    # ECMA-262 reading, as clients and Schemathesis validate
    allowed = jsonschema_rs.validator_for({"type": "string", "pattern": TEXT_PATTERN}).is_valid(text)
    assert allowed is not refused
    assert (re.fullmatch(TEXT_PATTERN, text) is not None) is not refused


class TestDeclareTextRule:
    def test_request_strings_get_the_pattern_unless_already_narrower(self) -> None:
        doc = declare_text_rule(_document())
        item = doc["paths"]["/items/{item_id}"]
        assert item["parameters"][0]["schema"]["pattern"] == TEXT_PATTERN
        query, header = item["post"]["parameters"]
        assert query["schema"]["anyOf"][0]["pattern"] == TEXT_PATTERN
        assert "pattern" not in header["schema"]  # the guard does not read headers
        props = doc["components"]["schemas"]["In"]["properties"]
        assert props["name"]["pattern"] == TEXT_PATTERN
        assert props["code"]["pattern"] == "^[0-9]+$"
        assert "pattern" not in props["when"] and "pattern" not in props["kind"]
        assert props["tags"]["additionalProperties"]["pattern"] == TEXT_PATTERN
        assert props["tags"]["propertyNames"] == {"pattern": TEXT_PATTERN}

    def test_extra_properties_are_described_not_refused(self) -> None:
        doc = declare_text_rule(_document())
        schemas = doc["components"]["schemas"]
        assert schemas["In"]["additionalProperties"] == {"$ref": f"#/components/schemas/{TEXT_VALUE}"}
        assert schemas["Nested"]["additionalProperties"] is False  # a model that refuses extras says so
        assert schemas["Nested"]["properties"]["note"]["pattern"] == TEXT_PATTERN  # reached through In
        validator = jsonschema_rs.validator_for(doc["components"]["schemas"]["In"] | {"components": doc["components"]})
        assert validator.is_valid({"name": "x", "extra": {"deep": ["fine", 1, None]}})
        assert not validator.is_valid({"name": "x", "extra": {"deep": ["\x01"]}})
        assert not validator.is_valid({"name": "x", "\x1bkey": 1})

    def test_response_only_schemas_are_left_alone(self) -> None:
        """A problem's `instance` echoes the refused path, control character included."""
        doc = declare_text_rule(_document())
        assert doc["components"]["schemas"]["Out"] == _document()["components"]["schemas"]["Out"]

    def test_declaring_twice_changes_nothing(self) -> None:
        once = declare_text_rule(_document())
        assert declare_text_rule(copy.deepcopy(once)) == once

    def test_a_document_without_requests_is_unchanged(self) -> None:
        doc = {"paths": {}, "components": {"schemas": {"Page": {"type": "object", "properties": {}}}}}
        assert declare_text_rule(copy.deepcopy(doc)) == doc


def test_a_service_declares_the_idempotency_key_required_with_its_form(tmp_path: Any) -> None:
    # the document depends on the code alone: nothing is started
    settings = ServiceSettings(
        service_name="probe",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/probe.sqlite",
        migrate_on_startup=False,
        run_background_tasks=False,
    )
    doc = create_probe_app(settings).openapi()
    (header,) = [p for p in doc["paths"]["/api/v1/probe/items"]["post"]["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["in"] == "header" and header["required"] is True
    assert header["schema"]["pattern"] == KEY_PATTERN
    assert (header["schema"]["minLength"], header["schema"]["maxLength"]) == (1, 255)
