"""Ending a client's access at once, not when its tokens expire.

Disabling a client or rotating its secret raises the client's token generation
(`oauth_client.token_generation`). Every token the gateway issues carries the generation of its
client at that moment (claim `client_generation`), and the gateway refuses a token whose
generation is below its client's, whether it verifies it now or kept it verified from before.

A generation rather than a time: `iat` has whole seconds, so a token issued in the second of the
change could not be told from one issued just after it; replicas' clocks differ; and a token
being issued while the change commits carries the generation it authenticated against, so it is
refused too.

Each replica keeps the raised generations in memory (`Revocations`). The replica that makes a
change notes it at once; every replica reads the rows changed since it last looked every
`revocation_refresh_seconds` (1 s), from a little before the newest change it has seen
(`LOOKBACK`: clocks of the replicas that wrote the rows differ, transactions commit out of order),
and all of them every `FULL_READ_EVERY` rounds. While the database cannot be read a replica keeps
what it knew and backs off (its readiness reports the database down meanwhile).

This holds for what passes the gateway: a service verifies a token with the gateway's JWKS and
accepts it until its `exp`, so the services must be reachable only through the gateway.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from gateway import clients
from ipops.backoff import Backoff
from ipops.db import SessionMaker

log = logging.getLogger(__name__)

LOOKBACK = timedelta(seconds=60)
FULL_READ_EVERY = 60


class Revocations:
    """The raised token generations a replica knows, by client id."""

    def __init__(self) -> None:
        self._generations: dict[str, int] = {}
        self._newest: datetime | None = None
        self._rounds = 0

    def __len__(self) -> int:
        return len(self._generations)

    def refused(self, client_id: str, generation: int) -> bool:
        """Whether a token of `client_id` issued under `generation` has been revoked."""
        current = self._generations.get(client_id)
        return current is not None and generation < current

    def note(self, client_id: str, generation: int) -> None:
        """A client's generation as read or just raised (an older report never lowers it)."""
        if generation > self._generations.get(client_id, 0):
            self._generations[client_id] = generation

    async def refresh(self, sessionmaker: SessionMaker) -> None:
        """Read what changed since the last look (everything on the first and every
        `FULL_READ_EVERY`th round)."""
        full = self._newest is None or self._rounds % FULL_READ_EVERY == 0
        since = None if full or self._newest is None else self._newest - LOOKBACK
        async with sessionmaker() as session:
            rows = await clients.revoked_since(session, since)
        for client_id, generation, revoked_at in rows:
            self.note(client_id, generation)
            if self._newest is None or revoked_at > self._newest:
                self._newest = revoked_at
        self._rounds += 1

    async def follow(self, sessionmaker: SessionMaker, every: float) -> None:
        """Refresh every `every` seconds for ever; while the database cannot be read, back off up
        to four times that and keep what is known."""
        backoff = Backoff(first=every, cap=4 * every)
        while True:
            await backoff.wait()
            try:
                await self.refresh(sessionmaker)
            except Exception as exc:  # the database may be restarting; try again next round
                log.warning("cannot read revoked clients", extra={"error": repr(exc)})
                continue
            backoff.reset()
