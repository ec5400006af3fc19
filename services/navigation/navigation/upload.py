"""Receiving a data-set upload: the body is streamed to a file and hashed on the way, never held
in memory whole (a million records are several hundred MB)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio

from ipops.errors import DomainError, RuleViolation
from navigation.enums import DatasetFormat

CSV_TYPES = frozenset({"text/csv", "application/csv"})
JSONL_TYPES = frozenset(
    {"application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"}
)


class UnsupportedMediaType(DomainError):
    """The upload is neither CSV nor JSON Lines."""

    status = 415
    type_slug = "unsupported-media-type"
    title = "Unsupported media type"


class PayloadTooLarge(DomainError):
    """The upload exceeds the configured size."""

    status = 413
    type_slug = "payload-too-large"
    title = "Payload too large"


@dataclass(frozen=True)
class StoredUpload:
    """A body written to disk."""

    path: Path
    sha256: str
    size_bytes: int


def media_format(content_type: str | None) -> DatasetFormat:
    """`csv` or `jsonl` from the Content-Type header; 415 otherwise."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in CSV_TYPES:
        return DatasetFormat.CSV
    if media in JSONL_TYPES:
        return DatasetFormat.JSONL
    raise UnsupportedMediaType(
        "upload CSV (text/csv) or JSON Lines (application/x-ndjson)",
        errors=[{"field": "header.Content-Type", "message": f"not accepted: {media or 'missing'}"}],
    )


async def store(chunks: AsyncIterator[bytes], directory: Path, *, max_bytes: int) -> StoredUpload:
    """Write the streamed body to a new file in `directory`; 413 (and no file) past `max_bytes`."""
    await anyio.Path(directory).mkdir(parents=True, exist_ok=True)
    path = anyio.Path(directory / f"incoming-{uuid.uuid4().hex}")
    digest = hashlib.sha256()
    size = 0
    try:
        async with await anyio.open_file(path, "wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(f"the upload exceeds {max_bytes} bytes")
                digest.update(chunk)
                await out.write(chunk)
    except BaseException:
        await path.unlink(missing_ok=True)
        raise
    if size == 0:
        await path.unlink(missing_ok=True)
        raise RuleViolation("the upload is empty", field="body")
    return StoredUpload(path=Path(path), sha256=digest.hexdigest(), size_bytes=size)
