"""Settings of the trusteeship service: every variable is `TRUSTEESHIP_<NAME>`."""

from pydantic_settings import SettingsConfigDict

from ipops.settings import ServiceSettings


class TrusteeshipSettings(ServiceSettings):
    """Trusteeship settings."""

    model_config = SettingsConfigDict(env_prefix="TRUSTEESHIP_", extra="ignore")

    service_name: str = "trusteeship"
    database_url: str = "sqlite+aiosqlite:///var/db/trusteeship.sqlite"
    # The district's calendar: "today" for the docket is the date in Tianjin, not in UTC.
    docket_timezone: str = "Asia/Shanghai"
    # The daily docket job runs shortly after local midnight (and once at start-up).
    docket_job_enabled: bool = True
    docket_run_minute_after_midnight: int = 5
    # A bulk upload larger than this is refused before parsing (rows).
    bulk_max_rows: int = 100_000
    # ... or larger than this many bytes (100,000 CSV rows with long descriptions fit).
    bulk_max_bytes: int = 64 * 1024 * 1024
    # ... or an XLSX whose parts unzip to more than this many bytes (a zip bomb is refused unread).
    bulk_max_unzipped_bytes: int = 512 * 1024 * 1024
    # At most this many row errors are listed in a rejected upload's report (the count is exact).
    bulk_max_reported_errors: int = 1_000
