"""A database that is starting, stopping or unreachable is an outage (503, retry), while a
statement the database refuses is not: the classification the API and the consumer rely on."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import asyncpg as sa_asyncpg

from ipops.outages import is_dependency_outage


def wrapped(error: Exception) -> sa_exc.DBAPIError:
    """The error as SQLAlchemy hands it to us, translated exactly as its asyncpg dialect does."""
    dbapi = sa_asyncpg.AsyncAdapt_asyncpg_dbapi(asyncpg)
    try:
        sa_asyncpg.AsyncAdapt_asyncpg_connection._handle_exception_no_connection(dbapi, error)
    except Exception as translated:
        return sa_exc.DBAPIError.instance("SELECT 1", None, translated, dbapi.Error)
    raise AssertionError("not translated")


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.CannotConnectNowError("the database system is shutting down"),
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    ],
)
def test_server_unavailable_is_an_outage(error: Exception) -> None:
    assert is_dependency_outage(wrapped(error))


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.UniqueViolationError("duplicate key"),
        asyncpg.exceptions.UndefinedTableError("relation does not exist"),
    ],
)
def test_refused_statement_is_not_an_outage(error: Exception) -> None:
    assert not is_dependency_outage(wrapped(error))


def test_plain_network_errors() -> None:
    assert is_dependency_outage(ConnectionRefusedError(111, "refused"))
    assert not is_dependency_outage(ValueError("bad input"))
