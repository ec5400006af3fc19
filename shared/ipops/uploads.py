"""The media types and text encodings of bulk uploads (CSV, JSON Lines, XLSX), recognised the same
way by every service.

CSV exported by Chinese Excel is often GBK or GB18030, not UTF-8: a `charset` parameter on the
Content-Type is honoured (UTF-8, GBK, GB2312, GB18030); without one, UTF-8 (with or without a
byte-order mark) is tried first and GB18030 (a superset of GBK and GB2312) second.
"""

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

XLSX_TYPES = frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

UploadFormat = Literal["csv", "jsonl", "xlsx"]
TEXT_FORMATS: tuple[UploadFormat, ...] = ("csv", "jsonl")
# Charsets a caller may name, by the codec Python decodes them with.
CHARSETS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030"}

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

_BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
# The same, and an XLSX workbook (its first sheet): `openapi_extra=SPREADSHEET_UPLOAD_BODY`.
SPREADSHEET_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {**TABULAR_UPLOAD_BODY["requestBody"]["content"], XLSX_MEDIA_TYPE: _BINARY},
    }
}
# A template to download, as XLSX (the default) or CSV: a 200 response's `content`.
TEMPLATE_CONTENT: dict[str, Any] = {XLSX_MEDIA_TYPE: _BINARY, "text/csv": {"schema": {"type": "string"}}}


def upload_format(content_type: str | None, accepted: tuple[UploadFormat, ...] = TEXT_FORMATS) -> UploadFormat:
    """`csv`, `jsonl` or `xlsx` from a Content-Type header (parameters ignored), if the route
    accepts it; 415 naming the header otherwise."""
    media = (content_type or "").split(";")[0].strip().lower()
    found: UploadFormat | None = None
    if media in CSV_TYPES:
        found = "csv"
    elif media in JSONL_TYPES:
        found = "jsonl"
    elif media in XLSX_TYPES:
        found = "xlsx"
    if found is not None and found in accepted:
        return found
    names = {"csv": "text/csv", "jsonl": "application/x-ndjson (JSON Lines)", "xlsx": XLSX_MEDIA_TYPE}
    wanted = " or ".join(names[f] for f in accepted)
    raise UnsupportedMediaType(
        f"send {wanted}, not {media or 'no content type'}",
        errors=[{"field": "header.Content-Type", "message": f"not accepted: {media or 'missing'}"}],
    )


def upload_charset(content_type: str | None) -> str | None:
    """The Python codec for the `charset` parameter of a Content-Type, None when there is none;
    415 naming the header for a charset uploads do not take."""
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
            if charset not in CHARSETS:
                raise UnsupportedMediaType(
                    f"charset {charset} is not taken; send UTF-8, GBK or GB18030",
                    errors=[{"field": "header.Content-Type", "message": f"charset not accepted: {charset}"}],
                )
            return CHARSETS[charset]
    return None


def decode_text(data: bytes, codec: str | None) -> str:
    """The text of an upload: in `codec` when the caller named one, else UTF-8 (a byte-order mark
    dropped) and, failing that, GB18030. Raises UnicodeDecodeError when neither fits."""
    if codec is not None:
        return data.decode(codec)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")
