"""Settings of the navigation service: every variable is `NAVIGATION_<NAME>`."""

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from ipops.settings import ServiceSettings


class NavigationSettings(ServiceSettings):
    """Navigation settings."""

    model_config = SettingsConfigDict(env_prefix="NAVIGATION_", extra="ignore")

    service_name: str = "navigation"
    database_url: str = "sqlite+aiosqlite:///var/db/navigation.sqlite"
    # Uploaded patent data sets are kept here as the project's data-set snapshot (one file each).
    data_dir: Path = Path("var/navigation")
    # An upload larger than this is refused while it streams (bytes); 1M records are ~600 MB of CSV.
    max_upload_bytes: int = 2 * 1024**3
    # DuckDB's own limits while analysing: it spills to data_dir/tmp beyond the memory limit.
    duckdb_memory_limit: str = "512MB"
    duckdb_threads: int = 2
    # The district's name as it appears in applicant addresses ("district's own applicants").
    district_name: str = "东丽"
