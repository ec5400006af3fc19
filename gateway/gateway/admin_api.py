"""Operator routes of the gateway itself: OAuth2 clients, signing keys, read-model rebuilds."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request

from gateway import clients
from gateway.auth import Operator
from gateway.keys import KeyStore
from gateway.models import OAuthClient
from gateway.revocation import Revocations
from gateway.schemas import (
    ClientCreate,
    ClientPage,
    ClientPublic,
    ClientWithSecret,
    KeyList,
    KeyPublic,
    RebuildStarted,
)
from ipops.auth import Principal
from ipops.errors import Conflict

router = APIRouter(prefix="/api/v1/gateway", tags=["gateway administration"])
log = logging.getLogger(__name__)


def _audit(action: str, operator: Principal, **details: object) -> None:
    """Who changed which client or key: one log line per administrative action."""
    log.info("gateway administration", extra={"action": action, "operator": operator.subject, **details})


def _public(client: OAuthClient) -> ClientPublic:
    return ClientPublic.model_validate(client, from_attributes=True)


def _with_secret(client: OAuthClient, secret: str) -> ClientWithSecret:
    return ClientWithSecret(**_public(client).model_dump(), client_secret=secret)


def _revoked(request: Request, client: OAuthClient) -> None:
    """This replica refuses the client's older tokens at once (the others within a second or so:
    gateway/revocation.py); called once the change is committed."""
    revocations: Revocations = request.app.state.revocations
    revocations.note(client.client_id, client.token_generation)


@router.post("/clients", status_code=201, response_model=ClientWithSecret)
async def create_client(data: ClientCreate, request: Request, operator: Operator) -> ClientWithSecret:
    """Register a bank's, an agency's or an operator's client. The secret is in this answer
    only: it is stored as a hash and cannot be shown again."""
    async with request.app.state.runtime.transaction() as session:
        client, secret = await clients.create_client(session, data, created_by=operator.subject)
    _audit("client created", operator, client_id=client.client_id, role=client.role, tenant=client.tenant_id)
    return _with_secret(client, secret)


@router.get("/clients", response_model=ClientPage)
async def list_clients(
    request: Request,
    _: Operator,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> ClientPage:
    """All clients, oldest first."""
    async with request.app.state.runtime.transaction() as session:
        rows, total = await clients.list_clients(session, limit=limit, offset=offset)
    return ClientPage(items=[_public(c) for c in rows], total=total)


@router.post("/clients/{client_id}/disable", response_model=ClientPublic)
async def disable_client(client_id: str, request: Request, operator: Operator) -> ClientPublic:
    """Stop a client from obtaining tokens; the tokens it holds are refused from now on (by every
    gateway replica within seconds). Not the caller's own client (409)."""
    _not_yourself(client_id, operator)
    async with request.app.state.runtime.transaction() as session:
        client = await clients.disable_client(session, client_id)
    _revoked(request, client)
    _audit("client disabled", operator, client_id=client_id)
    return _public(client)


@router.post("/clients/{client_id}/enable", response_model=ClientPublic)
async def enable_client(client_id: str, request: Request, operator: Operator) -> ClientPublic:
    """Let a disabled client obtain tokens again (the tokens it held stay refused)."""
    async with request.app.state.runtime.transaction() as session:
        client = await clients.enable_client(session, client_id)
    _audit("client enabled", operator, client_id=client_id)
    return _public(client)


@router.post("/clients/{client_id}/secret", response_model=ClientWithSecret)
async def rotate_client_secret(client_id: str, request: Request, operator: Operator) -> ClientWithSecret:
    """Give the client a new secret (shown once); the old one, and every token obtained with it,
    stop working at once (on every gateway replica within seconds). Not the caller's own client
    (409)."""
    _not_yourself(client_id, operator)
    async with request.app.state.runtime.transaction() as session:
        client, secret = await clients.rotate_secret(session, client_id)
    _revoked(request, client)
    _audit("client secret rotated", operator, client_id=client_id)
    return _with_secret(client, secret)


def _not_yourself(client_id: str, operator: Principal) -> None:
    # An operator who disables its own client, or rotates its secret by mistake (a script, a
    # fuzzer), locks itself out; another operator does it.
    if client_id == operator.subject:
        raise Conflict("an operator cannot disable or rotate the client it is calling with; ask another operator")


def _key_list(keys: KeyStore) -> KeyList:
    active = keys.active.kid
    return KeyList(
        items=[
            KeyPublic(kid=k.kid, algorithm=k.algorithm, created_at=k.created_at, active=k.kid == active)
            for k in keys.published()
        ]
    )


@router.get("/keys", response_model=KeyList)
async def list_keys(request: Request, _: Operator) -> KeyList:
    """The published signing keys."""
    keys: KeyStore | None = request.app.state.keys
    if keys is None:
        raise Conflict("tokens are issued by an external OpenID Connect provider")
    return _key_list(keys)


@router.post("/keys/rotation", response_model=KeyList, status_code=201)
async def rotate_keys(request: Request, operator: Operator) -> KeyList:
    """Make a new signing key. It signs from now on; the previous key stays in the JWKS until the
    tokens it signed have expired, so no caller or service sees a failure."""
    keys: KeyStore | None = request.app.state.keys
    if keys is None:
        raise Conflict("tokens are issued by an external OpenID Connect provider")
    try:
        await asyncio.to_thread(keys.rotate)
    except OSError as exc:
        detail = f"the key directory is not writable here ({exc.strerror}); rotate where the keys are kept"
        raise Conflict(detail) from exc
    _audit("signing key rotated", operator, kid=keys.active.kid)
    return _key_list(keys)


@router.post("/read-model/rebuild", response_model=RebuildStarted, status_code=202)
async def rebuild_read_model(request: Request, operator: Operator) -> RebuildStarted:
    """Empty the public read model and consume every topic again from the beginning under a
    fresh consumer group. Public figures fill up again as the topics are replayed."""
    manager = request.app.state.read_model
    generation = await manager.rebuild()
    _audit("read model rebuild", operator, generation=generation)
    return RebuildStarted(generation=generation, group=manager.group or "")
