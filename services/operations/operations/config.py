"""Settings of the operations service: every variable is `OPERATIONS_<NAME>`."""

from pydantic_settings import SettingsConfigDict

from ipops.settings import ServiceSettings


class OperationsSettings(ServiceSettings):
    """Operations settings."""

    model_config = SettingsConfigDict(env_prefix="OPERATIONS_", extra="ignore")

    service_name: str = "operations"
    database_url: str = "sqlite+aiosqlite:///var/db/operations.sqlite"
    # A bulk upload larger than this is refused before parsing (rows) ...
    bulk_max_rows: int = 20_000
    # ... or larger than this many bytes.
    bulk_max_bytes: int = 16 * 1024 * 1024
    # ... or an XLSX whose parts unzip to more than this many bytes (a zip bomb is refused unread).
    bulk_max_unzipped_bytes: int = 128 * 1024 * 1024
    # At most this many row errors are listed in a rejected upload's report (the count is exact).
    bulk_max_reported_errors: int = 1_000
