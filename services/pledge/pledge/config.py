"""Settings of the pledge service: every variable is `PLEDGE_<NAME>`."""

from pydantic_settings import SettingsConfigDict

from ipops.settings import ServiceSettings


class PledgeSettings(ServiceSettings):
    """Pledge settings."""

    model_config = SettingsConfigDict(env_prefix="PLEDGE_", extra="ignore")

    service_name: str = "pledge"
    database_url: str = "sqlite+aiosqlite:///var/db/pledge.sqlite"
