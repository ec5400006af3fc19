"""The media types of bulk uploads (CSV and JSON Lines), recognised the same way by every service."""

from __future__ import annotations

from typing import Any, Literal

from ipops.errors import UnsupportedMediaType

CSV_TYPES = frozenset({"text/csv", "application/csv"})
JSONL_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "application/jsonlines",
        "application/json-lines",
    }
)

UploadFormat = Literal["csv", "jsonl"]

# The request body of an upload route as OpenAPI describes it (FastAPI cannot infer a raw body):
# `openapi_extra=TABULAR_UPLOAD_BODY` on the route.
TABULAR_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


def upload_format(content_type: str | None) -> UploadFormat:
    """`csv` or `jsonl` from a Content-Type header (parameters ignored); 415 naming the header
    otherwise."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in CSV_TYPES:
        return "csv"
    if media in JSONL_TYPES:
        return "jsonl"
    raise UnsupportedMediaType(
        f"send text/csv or application/x-ndjson (JSON Lines), not {media or 'no content type'}",
        errors=[{"field": "header.Content-Type", "message": f"not accepted: {media or 'missing'}"}],
    )
