"""Settings of the enforcement service: every variable is `ENFORCEMENT_<NAME>`."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ipops.settings import ServiceSettings


class EnforcementSettings(ServiceSettings):
    """Enforcement settings."""

    model_config = SettingsConfigDict(env_prefix="ENFORCEMENT_", extra="ignore")

    service_name: str = "enforcement"
    database_url: str = "sqlite+aiosqlite:///var/db/enforcement.sqlite"
    # Hour (UTC) at which the daily overdue scan runs; the scan is idempotent, so a restart that
    # runs it twice on one day flags nothing twice.
    overdue_scan_hour_utc: int = Field(default=1, ge=0, le=23)
    # Also scan at start-up, to catch up on days the service was down.
    overdue_scan_at_startup: bool = True
    # A case is "at risk" when its running deadline is this many working days away or fewer.
    at_risk_working_days: int = 3
