"""The gateway's signing keys: made on first start, rotated without downtime, published as JWKS.

Each key is one PEM file in the keys directory, named `key-<UTC created>-<kid>.pem` (mode 0600),
so the newest is found by name alone, also when the directory is a mounted Kubernetes Secret.
The newest key signs. A key that a newer one replaced stays in the JWKS until every token it
signed has expired (`token_ttl` plus leeway after it was replaced), so services verifying a
token issued just before a rotation still find its key; then it is dropped from the JWKS (its
file is kept for the operator to delete).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from ipops.clock import utc_now

log = logging.getLogger(__name__)

_NAME = re.compile(r"^key-(\d{8}T\d{6}Z)-([A-Za-z0-9_-]{8,64})\.pem$")
LEEWAY = timedelta(seconds=60)
PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class SigningKey:
    """One key pair with its id and creation time."""

    kid: str
    created_at: datetime
    private_key: Any
    algorithm: str
    # Derived once: deriving it per verification costs a tenth of a millisecond.
    public_key: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "public_key", self.private_key.public_key())

    def public_pem(self) -> str:
        """The verifying key as PEM (for services configured with static keys)."""
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def jwk(self) -> dict[str, Any]:
        """The public JWK."""
        if self.algorithm == "EdDSA":
            data: dict[str, Any] = jwt.algorithms.OKPAlgorithm.to_jwk(self.public_key, as_dict=True)
        else:
            data = jwt.algorithms.RSAAlgorithm.to_jwk(self.public_key, as_dict=True)
        data.update({"kid": self.kid, "use": "sig", "alg": self.algorithm})
        return data


def _algorithm_of(key: Any) -> str:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "EdDSA"
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    raise ValueError(f"unsupported key type {type(key).__name__}")


class KeyStore:
    """Keys in a directory; reloaded on demand so a key added by another process is picked up."""

    def __init__(self, directory: Path | str, *, algorithm: str = "RS256", token_ttl: timedelta) -> None:
        self.directory = Path(directory)
        self.algorithm = algorithm
        self.token_ttl = token_ttl
        self._keys: list[SigningKey] = []
        self._lock = threading.Lock()

    # --- loading --------------------------------------------------------------------------------

    def load(self, *, create: bool = True) -> None:
        """Read every key file; make the first key when there is none (and `create`)."""
        keys = []
        if self.directory.is_dir():
            for path in sorted(self.directory.iterdir()):
                match = _NAME.match(path.name)
                if not match:
                    continue
                try:
                    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
                    keys.append(
                        SigningKey(
                            kid=match.group(2),
                            created_at=datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC),
                            private_key=private,
                            algorithm=_algorithm_of(private),
                        )
                    )
                except (ValueError, TypeError, OSError) as exc:
                    log.error("unreadable signing key skipped", extra={"file": path.name, "error": repr(exc)})
        keys.sort(key=lambda k: (k.created_at, k.kid))
        with self._lock:
            self._keys = keys
        if not keys and create:
            self.rotate()

    def rotate(self) -> SigningKey:
        """Make a new key, which signs from now on; older keys stay published until their tokens
        expire."""
        key: PrivateKey
        if self.algorithm == "EdDSA":
            key = ed25519.Ed25519PrivateKey.generate()
        else:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = utc_now().replace(microsecond=0)
        if self._keys and now <= self._keys[-1].created_at:
            now = self._keys[-1].created_at + timedelta(seconds=1)  # names must sort in creation order
        kid = secrets.token_urlsafe(12).replace("-", "A").replace("_", "B")
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            self.directory.chmod(0o700)
        path = self.directory / f"key-{now:%Y%m%dT%H%M%SZ}-{kid}.pem"
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        tmp.replace(path)  # atomic: a reader never sees half a key
        signing = SigningKey(kid=kid, created_at=now, private_key=key, algorithm=_algorithm_of(key))
        with self._lock:
            self._keys = [*self._keys, signing]
        log.info("signing key created", extra={"kid": kid})
        return signing

    # --- use ------------------------------------------------------------------------------------

    @property
    def active(self) -> SigningKey:
        """The key that signs new tokens (the newest)."""
        with self._lock:
            if not self._keys:
                raise RuntimeError("no signing key loaded")
            return self._keys[-1]

    def published(self, now: datetime | None = None) -> list[SigningKey]:
        """Keys whose tokens may still be valid: the active one, and each older one until
        `token_ttl` + leeway after the key that replaced it was made."""
        now = now or utc_now()
        with self._lock:
            keys = list(self._keys)
        out = []
        for index, key in enumerate(keys):
            replaced_at = keys[index + 1].created_at if index + 1 < len(keys) else None
            if replaced_at is None or now < replaced_at + self.token_ttl + LEEWAY:
                out.append(key)
        return out

    def by_kid(self, kid: str) -> SigningKey | None:
        """A published key by id."""
        for key in self.published():
            if key.kid == kid:
                return key
        return None

    def jwks(self) -> dict[str, Any]:
        """The JSON Web Key Set of the published keys."""
        return {"keys": [key.jwk() for key in self.published()]}
