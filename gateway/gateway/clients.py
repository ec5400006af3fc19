"""Client administration and client authentication (use cases; the route owns the transaction)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gateway import identity
from gateway.models import OAuthClient
from gateway.schemas import ClientCreate
from ipops.clock import utc_now
from ipops.errors import Conflict, NotFound


async def create_client(session: AsyncSession, data: ClientCreate, *, created_by: str) -> tuple[OAuthClient, str]:
    """A new client and its secret (the secret is not stored, only its hash)."""
    client_id = data.client_id or f"{data.role}-{secrets.token_hex(6)}"
    if await session.get(OAuthClient, client_id) is not None:
        raise Conflict(f"a client {client_id!r} exists already", field="client_id")
    secret = identity.new_secret()
    client = OAuthClient(
        client_id=client_id,
        name=data.name,
        role=data.role,
        tenant_id=data.tenant_id if data.role != "operator" else None,
        secret_hash=await _hash(secret),
        created_at=utc_now(),
        created_by=created_by,
    )
    session.add(client)
    await session.flush()
    return client, secret


async def _hash(secret: str) -> str:
    import asyncio

    return await asyncio.to_thread(identity.hash_secret, secret)


async def list_clients(session: AsyncSession, *, limit: int, offset: int) -> tuple[list[OAuthClient], int]:
    """A page of clients, oldest first, and the total."""
    query = select(OAuthClient).order_by(col(OAuthClient.created_at), col(OAuthClient.client_id))
    rows = await session.execute(query.limit(limit).offset(offset))
    total = (await session.execute(select(func.count()).select_from(OAuthClient))).scalar_one()
    return list(rows.scalars()), total


async def get_client(session: AsyncSession, client_id: str, *, for_update: bool = False) -> OAuthClient:
    """One client; NotFound otherwise."""
    client = await session.get(OAuthClient, client_id, with_for_update=for_update)
    if client is None:
        raise NotFound(f"no client {client_id!r}")
    return client


def _revoke_tokens(client: OAuthClient) -> None:
    """Every token the client holds stops working (gateway/revocation.py)."""
    client.token_generation += 1
    client.tokens_revoked_at = utc_now()


async def disable_client(session: AsyncSession, client_id: str) -> OAuthClient:
    """A disabled client obtains no more tokens, and the tokens it holds are refused."""
    client = await get_client(session, client_id, for_update=True)
    if client.disabled_at is None:
        client.disabled_at = utc_now()
        _revoke_tokens(client)
    return client


async def enable_client(session: AsyncSession, client_id: str) -> OAuthClient:
    """Undo `disable_client` (for tokens obtained from now on: the old ones stay refused)."""
    client = await get_client(session, client_id, for_update=True)
    client.disabled_at = None
    return client


async def rotate_secret(session: AsyncSession, client_id: str) -> tuple[OAuthClient, str]:
    """A new secret; the old one, and every token obtained with it, stop working at once."""
    client = await get_client(session, client_id, for_update=True)
    if client.disabled_at is not None:
        raise Conflict("the client is disabled; enable it first", allowed_moves=["enable"])
    secret = identity.new_secret()
    client.secret_hash = await _hash(secret)
    client.secret_rotated_at = utc_now()
    _revoke_tokens(client)
    return client, secret


async def revoked_since(session: AsyncSession, since: datetime | None) -> list[tuple[str, int, datetime]]:
    """(client id, token generation, when it rose) of the clients whose tokens were revoked at or
    after `since` (all of them when None)."""
    revoked_at = col(OAuthClient.tokens_revoked_at)
    query = select(col(OAuthClient.client_id), col(OAuthClient.token_generation), revoked_at).where(
        revoked_at.is_not(None) if since is None else revoked_at >= since
    )
    return [(row[0], row[1], row[2]) for row in await session.execute(query) if row[2] is not None]


async def authenticate(session: AsyncSession, client_id: str, secret: str) -> OAuthClient | None:
    """The enabled client whose secret this is, or None (the same time either way)."""
    client = await session.get(OAuthClient, client_id)
    ok = await identity.verify_secret(client.secret_hash if client else None, secret)
    if client is None or not ok or client.disabled_at is not None:
        return None
    if identity.needs_rehash(client.secret_hash):
        client.secret_hash = await _hash(secret)
    return client


async def ensure_bootstrap_operator(session: AsyncSession, client_id: str, secret: str) -> bool:
    """Create the first operator client when it does not exist; True when created. An existing
    client is left alone (its secret may have been rotated since)."""
    if await session.get(OAuthClient, client_id) is not None:
        return False
    session.add(
        OAuthClient(
            client_id=client_id,
            name="bootstrap operator",
            role="operator",
            tenant_id=None,
            secret_hash=await _hash(secret),
            created_at=utc_now(),
            created_by="bootstrap",
        )
    )
    return True
