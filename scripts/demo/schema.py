"""What the running platform's API accepts, read from the gateway's merged OpenAPI document.

The services grow optional business dates on counted facts (the date a loan was disbursed, an
enterprise enrolled, a case received); history loaded today must carry them or every fact would be
dated today. Instead of assuming one spelling, the demo asks the document which of the candidate
fields a request body has, and notes each dated fact it could not date (reported at the end).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

BEIJING = timezone(timedelta(hours=8))


class Schema:
    """The request bodies of the merged OpenAPI document, by method and path template."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components: dict[str, Any] = document.get("components", {}).get("schemas", {})
        self.undated: Counter[str] = Counter()

    def has_path(self, path: str) -> bool:
        return path in self.document.get("paths", {})

    def properties(self, method: str, path: str, variant: str | None = None) -> dict[str, Any]:
        """The properties of the JSON body of `method path` (of the `variant` for a oneOf)."""
        operation = self.document.get("paths", {}).get(path, {}).get(method.lower(), {})
        content = operation.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        return self.props_of(schema, variant)

    def props_of(self, schema: dict[str, Any], variant: str | None) -> dict[str, Any]:
        if "$ref" in schema:
            return self.props_of(self.components.get(schema["$ref"].rsplit("/", 1)[-1], {}), variant)
        for key in ("oneOf", "anyOf", "allOf"):
            if key in schema:
                merged: dict[str, Any] = {}
                for option in schema[key]:
                    props = self.props_of(option, None)
                    kind = props.get("kind", {}).get("const")
                    if variant is None or kind in (None, variant):
                        merged.update(props)
                return merged
        return dict(schema.get("properties", {}))

    def dated(
        self,
        method: str,
        path: str,
        body: dict[str, Any],
        on: date,
        candidates: tuple[str, ...],
        *,
        variant: str | None = None,
    ) -> dict[str, Any]:
        """`body` with the business date `on` under the first candidate field the API has (a
        `*_at` field gets Beijing noon of that day); noted as undated when it has none."""
        props = self.properties(method, path, variant)
        for name in candidates:
            if name in props:
                return {**body, name: _value(props[name], name, on)}
        self.undated[f"{method} {path}"] += 1
        return body


def _value(prop: dict[str, Any], name: str, on: date) -> str:
    formats = {prop.get("format")} | {o.get("format") for o in prop.get("anyOf", [])}
    if "date-time" in formats or (name.endswith("_at") and "date" not in formats):
        return datetime.combine(on, time(12, 0), BEIJING).isoformat()
    return on.isoformat()
