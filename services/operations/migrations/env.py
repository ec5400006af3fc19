"""Alembic environment of the operations service (the shared body is ipops.migrations.run_env)."""

from ipops.db import platform_registry
from ipops.migrations import run_env
from operations.models import table_registry

run_env([table_registry.metadata, platform_registry.metadata])
