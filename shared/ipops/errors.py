"""Domain errors: raised anywhere below the routes, rendered once as RFC 9457 problem+json.

Each error carries its HTTP status and a stable `type` slug, so a client can branch on the slug
and never has to parse the human-readable `detail`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class DomainError(Exception):
    """Base of every expected failure; never rendered as a 500."""

    status: int = 400
    type_slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it does."""

    status = 404
    type_slug = "not-found"
    title = "Not found"


class Forbidden(DomainError):
    """The caller is known but its role may not do this."""

    status = 403
    type_slug = "forbidden"
    title = "Forbidden"


class Unauthorized(DomainError):
    """No credentials, or credentials that do not verify."""

    status = 401
    type_slug = "unauthorized"
    title = "Unauthorized"


class Conflict(DomainError):
    """The request is valid but the object's current state refuses it."""

    status = 409
    type_slug = "conflict"
    title = "Conflict"

    def __init__(self, detail: str, *, allowed_moves: Sequence[str] | None = None, **extensions: Any) -> None:
        if allowed_moves is not None:
            extensions["allowed_moves"] = sorted(allowed_moves)
        super().__init__(detail, **extensions)


class RuleViolation(DomainError):
    """A business rule refuses the input; `field` names the input at fault when there is one."""

    status = 422
    type_slug = "rule-violation"
    title = "Business rule violated"

    def __init__(self, detail: str, *, field: str | None = None, **extensions: Any) -> None:
        if field is not None:
            extensions["errors"] = [{"field": field, "message": detail}]
        super().__init__(detail, **extensions)


class BadRequest(DomainError):
    """The request is malformed in a way validation of its schema cannot see."""

    status = 400
    type_slug = "bad-request"
    title = "Bad request"


class ServiceUnavailable(DomainError):
    """A dependency (database, broker, upstream) cannot serve right now; retry later."""

    status = 503
    type_slug = "service-unavailable"
    title = "Service unavailable"


class UnsupportedMediaType(DomainError):
    """The body's media type is not one the route accepts."""

    status = 415
    type_slug = "unsupported-media-type"
    title = "Unsupported media type"


class PayloadTooLarge(DomainError):
    """The body is larger than the route accepts in one request."""

    status = 413
    type_slug = "payload-too-large"
    title = "Payload too large"
