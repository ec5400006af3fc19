"""Idempotency-Key for every write a bank or an agency makes (Stripe's semantics, IETF draft's codes).

- The first request with a key runs; its response is stored in the same transaction as its effect,
  so either both exist or neither does.
- The same key with the same request replays the stored response (`Idempotent-Replayed: true`).
- The same key with a different request is 422; a missing or malformed key is 400 naming
  `header.Idempotency-Key` (the IETF draft's code): the header is declared required, with its
  pattern and length, so validation refuses it before the route runs (`ipops.http` answers a
  refusal that concerns only this header with 400), and `idempotent_write` checks it again for
  a caller that reaches it another way.
- Two concurrent requests with one key make one effect: the second's insert of the key waits on
  the first's (primary key), then replays its response. The insert is the only check: a replay
  is found by its failing, so a first request costs no read of its own. A request that failed stored nothing and
  may be retried with the same key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Header, Request, Response
from pydantic import BaseModel
from sqlalchemy import Column, LargeBinary
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field

from ipops.auth import Principal
from ipops.db import PlatformTable, utc_column
from ipops.errors import BadRequest, Conflict, RuleViolation
from ipops.runtime import ServiceRuntime

KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
_KEY_RE = re.compile(KEY_PATTERN)

# Declared required, with its pattern and length, so a client generated from the OpenAPI (and
# Schemathesis) sends it on every write and knows its form; the route then never runs without one.
# A route writes `idempotency_key: IdempotencyKey` with no default: a default would make it optional.
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=KEY_PATTERN,
        description="Required on every bank and agency write: a unique key (e.g. a UUID) per "
        "intended operation, 1 to 255 visible ASCII characters; resending it replays the first "
        "response, sending it with a different request is 422.",
    ),
]


class IdempotencyRecord(PlatformTable, table=True):
    """The stored outcome of a keyed write."""

    __tablename__ = "idempotency_record"

    owner: str = Field(primary_key=True, max_length=200)
    key: str = Field(primary_key=True, max_length=255)
    request_hash: str = Field(max_length=64)
    method: str = Field(max_length=10)
    path: str = Field(max_length=500)
    status_code: int
    response_body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_column=utc_column())


class _KeyTaken(Exception):
    pass


Work = Callable[[AsyncSession], Awaitable[tuple[int, BaseModel]]]


def _replay(record: IdempotencyRecord, digest: str) -> Response:
    if record.request_hash != digest:
        raise RuleViolation("this Idempotency-Key was used with a different request", field="header.Idempotency-Key")
    return Response(
        record.response_body,
        status_code=record.status_code,
        media_type="application/json",
        headers={"Idempotent-Replayed": "true"},
    )


def _checked_key(key: str | None) -> str:
    if key is None:
        raise BadRequest(
            "the Idempotency-Key header is required for this write",
            errors=[{"field": "header.Idempotency-Key", "message": "missing"}],
        )
    if not _KEY_RE.match(key):
        raise BadRequest(
            "the Idempotency-Key must be 1 to 255 visible ASCII characters",
            errors=[{"field": "header.Idempotency-Key", "message": "invalid"}],
        )
    return key


async def idempotent_write(
    runtime: ServiceRuntime,
    request: Request,
    principal: Principal,
    key: str | None,
    work: Work,
    *,
    body_digest: str | None = None,
) -> Response:
    """Run `work` once per (caller, key); returns its response or the stored one.

    `body_digest` stands in for the body when the route has already streamed it elsewhere (a large
    upload written to disk and hashed on the way): the request is then identified by that digest."""
    key = _checked_key(key)
    body = body_digest.encode() if body_digest is not None else await request.body()
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    digest = hashlib.sha256(b"\n".join([request.method.encode(), target.encode(), body])).hexdigest()
    owner = principal.owner_key

    # No read before the insert: the key's primary key decides (a taken key fails the flush and is
    # replayed below), so a first request, by far the common one, saves a checkout and a round
    # trip of its own (the profile of a claim was mostly waiting on PostgreSQL round trips).
    try:
        async with runtime.transaction() as session:
            record = IdempotencyRecord(
                owner=owner,
                key=key,
                request_hash=digest,
                method=request.method,
                path=target,
                status_code=0,
                response_body=b"",
                created_at=datetime.now(UTC),
            )
            session.add(record)
            try:
                await session.flush()
            except IntegrityError as exc:
                raise _KeyTaken from exc
            status, model = await work(session)
            payload = model.model_dump_json().encode()
            record.status_code = status
            record.response_body = payload
    except _KeyTaken:
        async with runtime.sessionmaker() as session:
            existing = await session.get(IdempotencyRecord, (owner, key))
        if existing is None:  # pragma: no cover - the holder rolled back between our two reads
            raise Conflict("a request with this Idempotency-Key is in progress; retry") from None
        return _replay(existing, digest)
    return Response(payload, status_code=status, media_type="application/json")
