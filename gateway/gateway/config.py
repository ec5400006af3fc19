"""Settings of the gateway: every variable is `GATEWAY_<NAME>`.

Besides the platform settings (database, Kafka, token verification) the gateway knows where its
upstreams are, how long to wait for them, where its signing keys live, how much a client may
ask, and which web origins may call it from a browser.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from ipops.settings import ServiceSettings

SERVICES = ("pledge", "trusteeship", "navigation", "enforcement", "operations")


class GatewaySettings(ServiceSettings):
    """Gateway settings."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    database_url: str = "sqlite+aiosqlite:///var/db/gateway.sqlite"

    # --- upstreams ---------------------------------------------------------------------------
    pledge_url: str = "http://127.0.0.1:8001"
    trusteeship_url: str = "http://127.0.0.1:8002"
    navigation_url: str = "http://127.0.0.1:8003"
    enforcement_url: str = "http://127.0.0.1:8004"
    operations_url: str = "http://127.0.0.1:8005"
    # Connecting is quick or the service is not there; reading may include a database write.
    upstream_connect_timeout: float = 2.0
    upstream_read_timeout: float = 15.0
    # Extra attempts after a connection failure, for idempotent requests only.
    upstream_retries: int = 2
    upstream_retry_backoff: float = 0.05
    # Connections kept open to each upstream (aiohttp's per-host pool).
    upstream_pool_size: int = 200
    # Consecutive transport failures that open an upstream's circuit, and how long it stays open.
    breaker_failure_threshold: int = 5
    breaker_open_seconds: float = 10.0
    # While a circuit is open the service's /readyz is asked this often; ready closes the circuit.
    breaker_probe_seconds: float = 0.5
    readiness_timeout: float = 2.0

    # --- identity ----------------------------------------------------------------------------
    jwt_issuer: str = "ipops-gateway"
    keys_dir: str = "var/keys"
    signing_algorithm: Literal["RS256", "EdDSA"] = "RS256"
    token_ttl_seconds: int = 600
    # How often the key directory is reread (a key rotated by the CLI or a mounted Secret).
    keys_reload_seconds: float = 30.0
    # How often each replica reads the clients whose tokens were revoked (disabled, new secret).
    revocation_refresh_seconds: float = 1.0
    bootstrap_operator_client_id: str | None = None
    bootstrap_operator_client_secret: str | None = None
    # Trust an external OpenID Connect issuer (Keycloak, ...) instead of issuing tokens here: its
    # tokens must carry the `role` and `tenant` claims (a protocol mapper in Keycloak).
    oidc_issuer: str | None = None
    oidc_jwks_url: str | None = None

    # --- protection --------------------------------------------------------------------------
    # Token buckets: `requests` tokens refilled evenly over `window` seconds (also the burst).
    rate_limit_client_requests: int = 600
    rate_limit_client_window: float = 60.0
    # Operators are the district office's own staff and back-office systems: entering a year's
    # cases or loading a district (`make demo`) is their normal work, at many times a partner's rate.
    rate_limit_operator_requests: int = 12_000
    rate_limit_operator_window: float = 60.0
    # Anonymous callers read cached public figures; many people behind one NAT share an address.
    rate_limit_anonymous_requests: int = 600
    rate_limit_anonymous_window: float = 60.0
    # The token endpoint has its own, stricter bucket per address: it is where secrets are guessed.
    rate_limit_token_requests: int = 30
    rate_limit_token_window: float = 60.0
    max_body_bytes: int = 1_048_576
    cors_origins: list[str] = []
    hsts_seconds: int = 0  # behind TLS set e.g. 31536000; 0 sends no Strict-Transport-Security

    # --- read model --------------------------------------------------------------------------
    read_model_watch_seconds: float = 5.0

    @model_validator(mode="after")
    def _oidc_complete(self) -> GatewaySettings:
        if bool(self.oidc_issuer) != bool(self.oidc_jwks_url):
            raise ValueError("GATEWAY_OIDC_ISSUER and GATEWAY_OIDC_JWKS_URL go together")
        if self.oidc_issuer:
            # Verification (ours and the services') then trusts that issuer.
            self.jwt_issuer = self.oidc_issuer
            self.jwt_jwks_url = self.oidc_jwks_url
        return self

    @property
    def uses_external_issuer(self) -> bool:
        """True when tokens come from an external OIDC issuer (our token endpoint is off)."""
        return bool(self.oidc_issuer)

    def upstream_urls(self) -> dict[str, str]:
        """Base URL of each upstream service."""
        return {name: getattr(self, f"{name}_url").rstrip("/") for name in SERVICES}
