"""A minimal OpenID Connect relying party: the "other government system" that proves Yizhan's single
sign-on works. Authorization code flow with PKCE (S256), state and nonce; the id_token's RS256
signature is verified against the provider's published JWKS, and iss, aud, exp and nonce are checked.

The HTTP transport is passed in (`Transport`), so the same client runs against a live server
(httpx) and inside tests (Django's test client)."""

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from jwcrypto import jwk, jwt


class Transport(Protocol):
    def get_json(self, url: str) -> dict[str, Any]: ...
    def post_form(self, url: str, data: dict[str, str], auth: tuple[str, str]) -> dict[str, Any]: ...


class HttpxTransport:
    def get_json(self, url: str) -> dict[str, Any]:
        import httpx

        response = httpx.get(url, timeout=10)
        response.raise_for_status()
        return response.json()

    def post_form(self, url: str, data: dict[str, str], auth: tuple[str, str]) -> dict[str, Any]:
        import httpx

        response = httpx.post(url, data=data, auth=auth, timeout=10)
        response.raise_for_status()
        return response.json()


class IdTokenInvalid(Exception):
    pass


@dataclass
class LoginStart:
    url: str
    state: str
    nonce: str
    code_verifier: str


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class RelyingParty:
    def __init__(
        self, *, issuer: str, client_id: str, client_secret: str, redirect_uri: str, transport: Transport
    ):
        self.issuer, self.client_id, self.client_secret = issuer.rstrip("/"), client_id, client_secret
        self.redirect_uri, self.transport = redirect_uri, transport
        self._config: dict[str, Any] | None = None

    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            self._config = self.transport.get_json(self.issuer + "/.well-known/openid-configuration")
            if self._config.get("issuer", "").rstrip("/") != self.issuer:
                raise IdTokenInvalid("discovery issuer differs from the configured issuer")
        return self._config

    def start(self, scope: str = "openid profile email") -> LoginStart:
        state, nonce, verifier = (
            secrets.token_urlsafe(16),
            secrets.token_urlsafe(16),
            secrets.token_urlsafe(48),
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": scope,
                "state": state,
                "nonce": nonce,
                "code_challenge": _s256(verifier),
                "code_challenge_method": "S256",
            }
        )
        return LoginStart(f"{self.config['authorization_endpoint']}?{query}", state, nonce, verifier)

    def finish(self, *, code: str, returned_state: str, start: LoginStart) -> dict[str, Any]:
        """Exchange the code and return the verified id_token claims plus the userinfo."""
        if not secrets.compare_digest(returned_state, start.state):
            raise IdTokenInvalid("state mismatch")
        tokens = self.transport.post_form(
            self.config["token_endpoint"],
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "code_verifier": start.code_verifier,
            },
            (self.client_id, self.client_secret),
        )
        claims = self.verify_id_token(tokens["id_token"], nonce=start.nonce)
        return {"id_token": claims, "access_token": tokens["access_token"]}

    def verify_id_token(self, token: str, *, nonce: str) -> dict[str, Any]:
        keys = jwk.JWKSet.from_json(json.dumps(self.transport.get_json(self.config["jwks_uri"])))
        try:
            parsed = jwt.JWT(
                jwt=token, key=keys, algs=["RS256"], check_claims={"iss": self.issuer, "exp": None}
            )
        except Exception as exc:  # noqa: BLE001 — jwcrypto raises several types for a bad token
            raise IdTokenInvalid(f"signature or claims: {exc}") from exc
        claims = json.loads(parsed.claims)
        audience = claims.get("aud")
        if self.client_id not in (audience if isinstance(audience, list) else [audience]):
            raise IdTokenInvalid("audience")
        if claims.get("nonce") != nonce:
            raise IdTokenInvalid("nonce")
        if claims["exp"] < time.time():
            raise IdTokenInvalid("expired")
        return claims
