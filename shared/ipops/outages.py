"""Which exceptions mean "a dependency cannot serve right now" rather than "this request is wrong".

Kept apart from `ipops.errors` because it needs SQLAlchemy's exception types, and the domain
errors are imported by pure `domain/` modules that must not pull in a database library. The HTTP
layer answers an outage with 503 and Retry-After; the consumer waits instead of counting an
attempt against the record.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

# SQLSTATE classes that mean "the server cannot serve you now", not "your statement is wrong":
# 08 connection exception, 53 insufficient resources, 57P admin/crash shutdown or "cannot connect
# now" (a PostgreSQL that is starting or stopping).
_OUTAGE_SQLSTATES = ("08", "53", "57P")


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error or of any error it wraps."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        code = getattr(seen, "sqlstate", None) or getattr(seen, "pgcode", None)
        if isinstance(code, str):
            return code
        seen = getattr(seen, "orig", None) or seen.__cause__
    return None


def is_dependency_outage(exc: BaseException) -> bool:
    """True when `exc` means a database or network dependency cannot be reached right now."""
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        code = _sqlstate(exc)
        if code is not None and code.startswith(_OUTAGE_SQLSTATES):
            return True
        cause = exc.orig.__cause__ if exc.orig is not None else None
        return isinstance(cause, ConnectionError | OSError | TimeoutError)
    return isinstance(exc, ConnectionError | TimeoutError) or (isinstance(exc, OSError) and exc.errno is not None)
