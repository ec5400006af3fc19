"""Receiving a data-set upload: the body is streamed to a file and hashed on the way, never held
in memory whole (a million records are several hundred MB)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio

from ipops.errors import PayloadTooLarge, RuleViolation
from ipops.uploads import upload_format
from navigation.enums import DatasetFormat


@dataclass(frozen=True)
class StoredUpload:
    """A body written to disk."""

    path: Path
    sha256: str
    size_bytes: int


def media_format(content_type: str | None) -> DatasetFormat:
    """`csv` or `jsonl` from the Content-Type header; 415 otherwise."""
    return DatasetFormat(upload_format(content_type))


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
