"""Settings every ipops process shares, read from the environment by pydantic-settings.

Each service subclasses `ServiceSettings` with its own prefix (`PLEDGE_DATABASE_URL`, ...),
so two services on one machine never read each other's configuration.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Configuration of one ipops service process."""

    model_config = SettingsConfigDict(env_prefix="IPOPS_", extra="ignore")

    service_name: str = "ipops"
    environment: Literal["dev", "test", "prod"] = "dev"
    database_url: str = "sqlite+aiosqlite:///var/db/ipops.sqlite"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Prepended to every topic and consumer group: lets tests and parallel stacks share a broker.
    topic_prefix: str = ""
    # Replication of the topics this service creates; None: 1 on a single-broker bootstrap list,
    # else 3. Set it where one bootstrap address fronts several brokers (Strimzi's Service).
    kafka_replication_factor: int | None = None
    # Token verification: a JWKS URL (the gateway's, or an external OIDC issuer's) or PEM keys.
    jwt_jwks_url: str | None = None
    jwt_public_keys: list[str] = Field(default_factory=list)
    jwt_issuer: str = "ipops-gateway"
    jwt_audience: str = "ipops"
    log_level: str = "INFO"
    # Start the outbox relay and the consumers with the app (tests of the HTTP layer alone may not).
    run_background_tasks: bool = True
    relay_batch_size: int = 200
    relay_idle_seconds: float = 0.05
    # On PostgreSQL a commit that added outbox rows NOTIFYs the relay (any process, any worker),
    # so while the relay listens it polls only this often, as a safety net.
    relay_listening_idle_seconds: float = 1.0
    consumer_max_attempts: int = 4
    consumer_backoff_seconds: float = 0.2
    # Migrations at start-up keep a fresh `make up` one command; production may run them as a job.
    migrate_on_startup: bool = True

    @model_validator(mode="after")
    def _verification_configured_outside_dev(self) -> ServiceSettings:
        if self.environment == "prod" and not (self.jwt_jwks_url or self.jwt_public_keys):
            raise ValueError("prod requires jwt_jwks_url or jwt_public_keys for token verification")
        if self.environment == "prod" and self.database_url.startswith("sqlite"):
            raise ValueError("prod runs on PostgreSQL; SQLite is for a quick local run")
        return self

    def topic(self, name: str) -> str:
        """The broker-level name of a logical topic."""
        return f"{self.topic_prefix}{name}"

    def group(self, name: str) -> str:
        """The broker-level name of a consumer group."""
        return f"{self.topic_prefix}{name}"
