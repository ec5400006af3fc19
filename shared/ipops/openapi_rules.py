"""The OpenAPI document declares the rules the platform enforces before any route runs.

`ipops.textguard` refuses a control character (NUL, the other C0 characters but tab, line feed
and carriage return, and DEL) in every JSON string, object key, query parameter and path of every
service. A schema that says only `type: string` would promise a client (and a fuzzer) that such
a string is accepted, so `declare_text_rule` writes the rule into the document once, for every
service and the gateway's merged document alike:
- a string with no `pattern`, `format`, `enum` or `const` of its own gets `TEXT_PATTERN` (those
  that have one are already narrower: an identifier, a date, a choice);
- every object names its keys by `propertyNames` with the same pattern, and one that does not
  refuse extra properties (pydantic ignores them) describes them as `TextValue`: any JSON value
  whose strings and keys obey the rule, since the guard reads those too.
Header parameters are left alone: the guard does not read headers (HTTP cannot carry most control
characters there), and each header's own schema says what it accepts.
"""

from __future__ import annotations

from typing import Any

# The characters ipops.textguard refuses (its _FORBIDDEN), as a JSON Schema (ECMA-262) pattern.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
TEXT_VALUE = "TextValue"
_TEXT_VALUE_REF = {"$ref": f"#/components/schemas/{TEXT_VALUE}"}
_NARROWING = ("pattern", "format", "enum", "const", "contentMediaType")


def text_value_schema() -> dict[str, Any]:
    """Any JSON value whose strings and object keys hold no control character: what a property
    the schema does not name may carry (it is ignored, but the guard still reads it)."""
    return {
        "title": TEXT_VALUE,
        "description": "Any JSON value; its strings and keys hold no control character. A property "
        "a schema does not name is ignored.",
        "pattern": TEXT_PATTERN,
        "propertyNames": {"pattern": TEXT_PATTERN},
        "items": _TEXT_VALUE_REF,
        "additionalProperties": _TEXT_VALUE_REF,
    }


def _is(schema: dict[str, Any], kind: str) -> bool:
    declared = schema.get("type")
    return declared == kind or (isinstance(declared, list) and kind in declared)


def _declare(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _declare(item)
        return
    if not isinstance(node, dict):
        return
    if _is(node, "string") and not any(key in node for key in _NARROWING):
        node["pattern"] = TEXT_PATTERN
    if _is(node, "object") or "properties" in node:
        node.setdefault("propertyNames", {"pattern": TEXT_PATTERN})
        node.setdefault("additionalProperties", dict(_TEXT_VALUE_REF))
    for key, value in node.items():
        if key not in ("examples", "example", "default", "const", "enum"):
            _declare(value)


def _request_schemas(document: dict[str, Any]) -> list[Any]:
    """The schemas of path and query parameters and request bodies, inline as written."""
    found: list[Any] = []
    for item in document.get("paths", {}).values():
        if not isinstance(item, dict):
            continue
        operations = [op for op in item.values() if isinstance(op, dict)]
        for holder in [item, *operations]:
            for parameter in holder.get("parameters", []):
                if isinstance(parameter, dict) and parameter.get("in") in ("path", "query"):
                    found.append(parameter.get("schema"))
        for operation in operations:
            for media in operation.get("requestBody", {}).get("content", {}).values():
                if isinstance(media, dict):
                    found.append(media.get("schema"))
    return found


def _referenced(node: Any, into: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            into.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _referenced(value, into)
    elif isinstance(node, list):
        for item in node:
            _referenced(item, into)


def declare_text_rule(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with the control-character rule declared in everything a request may carry
    (in place; also returned). Schemas only responses use are left as they are: a problem's
    `instance` echoes the refused path, control character included."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    inline = _request_schemas(document)
    names: set[str] = set()
    _referenced(inline, names)
    pending = set(names)
    while pending:  # what the request schemas refer to, transitively
        found: set[str] = set()
        _referenced([schemas.get(name) for name in pending], found)
        pending = found - names
        names |= found
    declared = [*inline, *(schemas[name] for name in sorted(names - {TEXT_VALUE}) if name in schemas)]
    for schema in declared:
        _declare(schema)
    used: set[str] = set()
    _referenced(declared, used)
    if TEXT_VALUE in used:
        schemas[TEXT_VALUE] = text_value_schema()
    return document
