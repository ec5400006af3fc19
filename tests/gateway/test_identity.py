"""Token issue and verification: client credentials, claims, expiry, audience, foreign keys,
`alg: none`, key rotation, client administration, and agreement with ipops.auth.TokenVerifier."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.keys import KeyStore
from ipops.auth import Role, TokenVerifier
from ipops.errors import Unauthorized
from ipops.settings import ServiceSettings
from tests.gateway.conftest import (
    OPERATOR_ID,
    OPERATOR_SECRET,
    bearer,
    gateway_client,
    get_token,
    make_client,
)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class TestTokenEndpoint:
    async def test_operator_token_verifies_with_the_platform_verifier(self, gateway_settings, gateway_keys) -> None:
        async with gateway_client(gateway_settings()) as (_, client):
            token = await get_token(client, OPERATOR_ID, OPERATOR_SECRET)
            jwks = (await client.get("/.well-known/jwks.json")).json()
        header = jwt.get_unverified_header(token)
        assert header["alg"] == "RS256"
        assert header["kid"] in {k["kid"] for k in jwks["keys"]}
        claims = jwt.decode(token, options={"verify_signature": False})
        assert {"iss", "aud", "sub", "exp", "iat", "jti", "role"} <= claims.keys()
        assert claims["exp"] - claims["iat"] == 600
        # What a service does: ipops.auth.TokenVerifier with the gateway's public key.
        service = ServiceSettings(jwt_public_keys=[gateway_keys.active.public_pem()])
        principal = await TokenVerifier(service).verify(token)
        assert principal.role is Role.OPERATOR
        assert principal.subject == OPERATOR_ID

    async def test_bank_token_carries_tenant_and_basic_auth_works(self, gateway_settings, gateway_keys) -> None:
        async with gateway_client(gateway_settings()) as (_, client):
            operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
            client_id, secret = await make_client(client, operator, "bank", "bank-a")
            r = await client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
            assert r.status_code == 200, r.text
            assert r.headers["cache-control"] == "no-store"
            token = r.json()["access_token"]
        principal = await TokenVerifier(ServiceSettings(jwt_public_keys=[gateway_keys.active.public_pem()])).verify(
            token
        )
        assert (principal.role, principal.tenant_id, principal.subject) == (Role.BANK, "bank-a", client_id)

    @pytest.mark.parametrize(
        ("form", "status", "error"),
        [
            ({"client_id": OPERATOR_ID, "client_secret": OPERATOR_SECRET}, 400, "invalid_request"),
            (
                {"grant_type": "password", "client_id": OPERATOR_ID, "client_secret": OPERATOR_SECRET},
                400,
                "unsupported_grant_type",
            ),
            (
                {"grant_type": "client_credentials", "client_id": OPERATOR_ID, "client_secret": "wrong"},
                401,
                "invalid_client",
            ),
            ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, 401, "invalid_client"),
            ({"grant_type": "client_credentials"}, 401, "invalid_client"),
        ],
    )
    async def test_refusals(self, shared_gateway, form, status, error) -> None:
        _, client, _ = shared_gateway
        r = await client.post("/oauth/token", data=form)
        assert r.status_code == status
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["error"] == error

    @pytest.mark.parametrize("database", ["postgres", "sqlite"])
    async def test_disabled_client_and_rotated_secret(self, gateway_settings, sqlite_url, database) -> None:
        db = {"database_url": sqlite_url} if database == "sqlite" else {}
        async with gateway_client(gateway_settings(**db)) as (_, client):
            operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
            client_id, secret = await make_client(client, operator, "agency", "agency-1")
            r = await client.post(f"/api/v1/gateway/clients/{client_id}/secret", headers=operator)
            assert r.status_code == 200
            new_secret = r.json()["client_secret"]
            assert new_secret != secret
            form = {"grant_type": "client_credentials", "client_id": client_id}
            assert (await client.post("/oauth/token", data={**form, "client_secret": secret})).status_code == 401
            assert (await client.post("/oauth/token", data={**form, "client_secret": new_secret})).status_code == 200
            r = await client.post(f"/api/v1/gateway/clients/{client_id}/disable", headers=operator)
            assert r.json()["disabled_at"] is not None
            # an operator cannot lock itself out
            for action in ("disable", "secret"):
                r = await client.post(f"/api/v1/gateway/clients/{OPERATOR_ID}/{action}", headers=operator)
                assert r.status_code == 409, r.text
            assert (await client.post("/oauth/token", data={**form, "client_secret": new_secret})).status_code == 401
            listing = (await client.get("/api/v1/gateway/clients", headers=operator)).json()
            assert {c["client_id"] for c in listing["items"]} == {OPERATOR_ID, client_id}
            assert all("client_secret" not in c and "secret_hash" not in c for c in listing["items"])
            assert "$argon2" not in json.dumps(listing)

    async def test_secrets_are_stored_as_argon2_hashes(self, gateway_settings) -> None:
        from sqlalchemy import text

        async with gateway_client(gateway_settings()) as (app, _client), app.state.runtime.sessionmaker() as session:
            stored = (await session.execute(text("SELECT secret_hash FROM oauth_client"))).scalar_one()
        assert stored.startswith("$argon2id$")
        assert OPERATOR_SECRET not in stored

    async def test_bank_client_needs_a_tenant(self, shared_gateway) -> None:
        _, client, _ = shared_gateway
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        r = await client.post("/api/v1/gateway/clients", json={"name": "x", "role": "bank"}, headers=operator)
        assert r.status_code == 422
        assert "tenant_id" in json.dumps(r.json()["errors"])

    async def test_a_control_character_in_a_client_name_is_422_naming_the_field(self, shared_gateway) -> None:
        # PostgreSQL text cannot hold NUL: the gateway's own routes are guarded like the services'.
        _, client, _ = shared_gateway
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        body = {"name": "a\u0000b", "role": "bank", "tenant_id": "bank-nul"}
        r = await client.post("/api/v1/gateway/clients", json=body, headers=operator)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "body.name"


class TestGatewayRefusesBadTokens:
    """The gateway verifies every bearer token before routing (the services verify again)."""

    def _claims(self, **over: Any) -> dict[str, Any]:
        now = datetime.now(UTC)
        claims = {
            "iss": "ipops-gateway",
            "aud": "ipops",
            "sub": "operator",
            "role": "operator",
            "iat": now,
            "nbf": now,
            "exp": now + timedelta(minutes=5),
            "jti": "x",
        }
        claims.update(over)
        return claims

    async def _status(self, client, token: str) -> tuple[int, dict[str, Any]]:
        r = await client.get("/api/v1/gateway/clients", headers={"Authorization": f"Bearer {token}"})
        return r.status_code, r.json()

    async def test_good_token_made_with_the_gateway_key_passes(self, shared_gateway) -> None:
        _, client, keys = shared_gateway
        key = keys.active
        token = jwt.encode(self._claims(), key.private_key, algorithm="RS256", headers={"kid": key.kid})
        assert (await self._status(client, token))[0] == 200

    async def test_expired(self, shared_gateway) -> None:
        _, client, gateway_keys = shared_gateway
        key = gateway_keys.active
        past = datetime.now(UTC) - timedelta(hours=1)
        token = jwt.encode(
            self._claims(iat=past, nbf=past, exp=past + timedelta(minutes=5)),
            key.private_key,
            algorithm="RS256",
            headers={"kid": key.kid},
        )
        status, body = await self._status(client, token)
        assert status == 401
        assert body["detail"] == "token expired"

    async def test_wrong_audience(self, shared_gateway) -> None:
        _, client, gateway_keys = shared_gateway
        key = gateway_keys.active
        token = jwt.encode(self._claims(aud="elsewhere"), key.private_key, algorithm="RS256", headers={"kid": key.kid})
        status, body = await self._status(client, token)
        assert status == 401
        assert body["detail"] == "token not issued for this service"

    async def test_wrong_key(self, shared_gateway) -> None:
        _, client, gateway_keys = shared_gateway
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        # Even claiming the gateway's own kid, a token signed by another key is refused.
        token = jwt.encode(self._claims(), stranger, algorithm="RS256", headers={"kid": gateway_keys.active.kid})
        status, body = await self._status(client, token)
        assert status == 401
        assert body["detail"] == "token signature not valid"

    async def test_alg_none_refused(self, shared_gateway) -> None:
        _, client, _ = shared_gateway
        claims = self._claims()
        claims = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
        token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
        status, body = await self._status(client, token)
        assert status == 401
        assert body["detail"] == "token algorithm not accepted"

    async def test_hmac_with_public_key_refused(self, shared_gateway) -> None:
        _, client, gateway_keys = shared_gateway
        # The classic confusion attack: HS256 keyed with the public PEM.
        import hashlib
        import hmac

        claims = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in self._claims().items()}
        head = _b64({"alg": "HS256", "typ": "JWT", "kid": gateway_keys.active.kid})
        body = _b64(claims)
        sig = hmac.new(gateway_keys.active.public_pem().encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        token = f"{head}.{body}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"
        assert (await self._status(client, token))[0] == 401


class TestKeyRotation:
    async def test_rotation_keeps_old_tokens_valid_and_publishes_both_keys(self, gateway_settings) -> None:
        async with gateway_client(gateway_settings()) as (_app, client):
            operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
            old_kid = jwt.get_unverified_header(operator["Authorization"][7:])["kid"]
            r = await client.post("/api/v1/gateway/keys/rotation", headers=operator)
            assert r.status_code == 201
            kids = [k["kid"] for k in r.json()["items"]]
            assert len(kids) == 2 and kids[0] == old_kid
            # the token signed by the old key still works
            assert (await client.get("/api/v1/gateway/clients", headers=operator)).status_code == 200
            fresh = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
            assert jwt.get_unverified_header(fresh["Authorization"][7:])["kid"] == kids[1]
            jwks = (await client.get("/.well-known/jwks.json")).json()
            assert {k["kid"] for k in jwks["keys"]} == set(kids)
            # a service refetching the JWKS verifies tokens of both keys
            key_set = jwt.PyJWKSet.from_dict(jwks)
            for header in (operator, fresh):
                tok = header["Authorization"][7:]
                kid = jwt.get_unverified_header(tok)["kid"]
                key = next(k for k in key_set.keys if k.key_id == kid)
                jwt.decode(tok, key.key, algorithms=["RS256"], audience="ipops")

    def test_replaced_key_leaves_the_jwks_after_its_tokens_expire(self, tmp_path) -> None:
        store = KeyStore(tmp_path, token_ttl=timedelta(minutes=10))
        store.load()
        first = store.active
        second = store.rotate()
        assert [k.kid for k in store.published()] == [first.kid, second.kid]
        later = second.created_at + timedelta(minutes=12)
        assert [k.kid for k in store.published(later)] == [second.kid]
        # a fresh process reading the directory sees the same keys
        again = KeyStore(tmp_path, token_ttl=timedelta(minutes=10))
        again.load(create=False)
        assert again.active.kid == second.kid
        assert all(p.stat().st_mode & 0o077 == 0 for p in tmp_path.glob("key-*.pem"))

    def test_eddsa_keys(self, tmp_path) -> None:
        store = KeyStore(tmp_path, algorithm="EdDSA", token_ttl=timedelta(minutes=10))
        store.load()
        jwk = store.jwks()["keys"][0]
        assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("OKP", "Ed25519", "EdDSA")


async def test_external_oidc_issuer_disables_token_endpoint(gateway_settings) -> None:
    settings = gateway_settings(oidc_issuer="https://sso.example/realms/ipops", oidc_jwks_url="http://127.0.0.1:1/jwks")
    assert settings.jwt_issuer == "https://sso.example/realms/ipops"
    async with gateway_client(settings) as (_, client):
        r = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": OPERATOR_ID, "client_secret": OPERATOR_SECRET},
        )
        assert r.status_code == 404
        assert r.json()["error"] == "unsupported_grant_type"
        assert (await client.get("/.well-known/jwks.json")).json() == {"keys": []}


async def test_verifier_refuses_wrong_audience_directly(gateway_keys) -> None:
    token = jwt.encode(
        {
            "iss": "ipops-gateway",
            "aud": "other",
            "sub": "s",
            "role": "operator",
            "iat": datetime.now(UTC),
            "exp": datetime.now(UTC) + timedelta(minutes=1),
        },
        gateway_keys.active.private_key,
        algorithm="RS256",
        headers={"kid": gateway_keys.active.kid},
    )
    with pytest.raises(Unauthorized):
        await TokenVerifier(ServiceSettings(jwt_public_keys=[gateway_keys.active.public_pem()])).verify(token)


async def test_cli_rotation_is_picked_up_by_a_running_gateway(gateway_settings, keys_dir) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests import testing

    gateway_bin = Path(sys.executable).parent / "gateway"
    async with gateway_client(gateway_settings(keys_reload_seconds=0.2)) as (_, client):
        before = await get_token(client, OPERATOR_ID, OPERATOR_SECRET)
        out = subprocess.run(
            [str(gateway_bin), "rotate-keys"],
            env={**os.environ, "GATEWAY_KEYS_DIR": str(keys_dir)},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        new_kid = out.split()[3]

        async def published() -> bool:
            jwks = (await client.get("/.well-known/jwks.json")).json()
            return new_kid in {k["kid"] for k in jwks["keys"]} and len(jwks["keys"]) == 2

        await testing.eventually(published, timeout=10, message="rotated key not published")
        after = await get_token(client, OPERATOR_ID, OPERATOR_SECRET)
        assert jwt.get_unverified_header(after)["kid"] == new_kid
        for token in (before, after):
            r = await client.get("/api/v1/gateway/keys", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200


async def test_tokens_of_an_external_oidc_issuer_are_trusted(gateway_settings) -> None:
    from fastapi import FastAPI

    from tests.gateway.conftest import serve_uvicorn
    from tests.testing import TokenFactory

    issuer = TokenFactory(issuer="https://sso.dongli.example/realms/ipops")
    from cryptography.hazmat.primitives import serialization

    public = serialization.load_pem_public_key(issuer.public_pem.encode())  # what Keycloak would publish
    jwk = {**jwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True), "kid": issuer.kid, "alg": "RS256", "use": "sig"}
    idp = FastAPI()

    @idp.get("/certs")
    async def certs() -> dict[str, Any]:
        return {"keys": [jwk]}

    async with serve_uvicorn(idp) as idp_url:
        settings = gateway_settings(oidc_issuer=issuer.issuer, oidc_jwks_url=f"{idp_url}/certs")
        async with gateway_client(settings) as (_, client):
            ok = await client.get("/api/v1/gateway/clients", headers=issuer.headers("operator"))
            assert ok.status_code == 200, ok.text
            bank = await client.get("/api/v1/gateway/clients", headers=issuer.headers("bank", "bank-a"))
            assert bank.status_code == 403
            # the gateway's own kind of token (another issuer) is not trusted in this mode
            other = TokenFactory(issuer="ipops-gateway")
            assert (await client.get("/api/v1/gateway/clients", headers=other.headers("operator"))).status_code == 401
