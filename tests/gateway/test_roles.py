"""Every role (and no role) against every class of route: public, identity, gateway
administration, and service routes forwarded to a real service, which decides for itself."""

from __future__ import annotations

from tests.gateway.conftest import OPERATOR_ID, OPERATOR_SECRET, bearer, gateway_client, make_client
from tests.gateway.test_routing import pledge_upstream

ROLES = ("anonymous", "bank", "agency", "operator", "forged")

OPEN = {"anonymous": 200, "bank": 200, "agency": 200, "operator": 200, "forged": 401}

# (route class, method, path, json body) -> expected status per role
MATRIX: list[tuple[str, str, str, dict[str, object] | None, dict[str, int]]] = [
    (
        "public",
        "GET",
        "/api/v1/public/progress",
        None,
        {"anonymous": 200, "bank": 200, "agency": 200, "operator": 200, "forged": 401},
    ),
    (
        "public",
        "GET",
        "/api/v1/public/navigation-projects",
        None,
        {"anonymous": 200, "bank": 200, "agency": 200, "operator": 200, "forged": 401},
    ),
    (
        "public",
        "GET",
        "/api/v1/public/enforcement-statistics",
        None,
        {"anonymous": 200, "bank": 200, "agency": 200, "operator": 200, "forged": 401},
    ),
    ("dashboard", "GET", "/", None, {"anonymous": 200, "bank": 200, "agency": 200, "operator": 200, "forged": 401}),
    ("keys", "GET", "/.well-known/jwks.json", None, {**OPEN, "forged": 200}),  # never looks at tokens
    ("docs", "GET", "/openapi.json", None, OPEN),
    ("operations", "GET", "/healthz", None, {**OPEN, "forged": 200}),  # probes never look at tokens
    (
        "administration",
        "GET",
        "/api/v1/gateway/clients",
        None,
        {"anonymous": 401, "bank": 403, "agency": 403, "operator": 200, "forged": 401},
    ),
    (
        "administration",
        "POST",
        "/api/v1/gateway/clients",
        {"name": "n", "role": "operator"},
        {"anonymous": 401, "bank": 403, "agency": 403, "operator": 201, "forged": 401},
    ),
    (
        "administration",
        "GET",
        "/api/v1/gateway/keys",
        None,
        {"anonymous": 401, "bank": 403, "agency": 403, "operator": 200, "forged": 401},
    ),
    (
        "administration",
        "POST",
        "/api/v1/gateway/clients/operator/disable",
        None,
        {"anonymous": 401, "bank": 403, "agency": 403, "operator": 409, "forged": 401},
    ),  # not its own client
    (
        "administration",
        "POST",
        "/api/v1/gateway/read-model/rebuild",
        None,
        {"anonymous": 401, "bank": 403, "agency": 403, "operator": None, "forged": 401},
    ),
    # forwarded: the gateway refuses only a token that does not verify; the service applies its roles
    (
        "service read (bank or operator)",
        "GET",
        "/api/v1/pledge/loans",
        None,
        {"anonymous": 401, "bank": 200, "agency": 403, "operator": 200, "forged": 401},
    ),
    (
        "service read (banks and operators; pledge has nothing for agencies)",
        "GET",
        "/api/v1/pledge/banks",
        None,
        {"anonymous": 401, "bank": 200, "agency": 403, "operator": 200, "forged": 401},
    ),
    (
        "service write (operator)",
        "POST",
        "/api/v1/pledge/banks",
        {"id": "bank-z", "name": "Z"},
        {"anonymous": 401, "bank": 403, "agency": 403, "operator": 201, "forged": 401},
    ),
]


async def test_every_role_against_every_route_class(settings_for, gateway_settings, gateway_keys, tokens) -> None:
    async with (
        pledge_upstream(settings_for, gateway_keys) as pledge_url,
        gateway_client(gateway_settings(pledge_url=pledge_url)) as (_, client),
    ):
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        headers: dict[str, dict[str, str]] = {"anonymous": {}, "operator": operator}
        for role, tenant in (("bank", "bank-a"), ("agency", "agency-a")):
            client_id, secret = await make_client(client, operator, role, tenant)
            headers[role] = await bearer(client, client_id, secret)
        # right claims, signed by a key the gateway does not know (the test suite's own)
        headers["forged"] = tokens.headers("operator", issuer="ipops-gateway")
        failures = []
        for route_class, method, path, body, expected in MATRIX:
            for role in ROLES:
                want = expected[role]
                if want is None:
                    continue
                extra = {"Idempotency-Key": f"{role}-{path}"} if method == "POST" else {}
                r = await client.request(method, path, json=body, headers={**headers[role], **extra})
                if r.status_code != want:
                    failures.append(f"{role} {method} {path} ({route_class}): {r.status_code}, wanted {want}")
                elif r.status_code >= 400:
                    assert r.headers["content-type"] == "application/problem+json", (role, path)
        assert failures == []
