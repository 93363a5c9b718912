"""Driving /oauth2 as an app does: the authorize redirect, the consent answer, the token calls."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from fastapi.testclient import TestClient

from tests.factories import make_oauth_app
from tests.support import SiteClient

REDIRECT = "https://app.example.com/callback"
STATE = "af0ifjsldkj"
# What a token response carries, in Thinkific's order (FIDELITY §2.3).
TOKEN_KEYS = ["access_token", "token_type", "refresh_token", "expires_in", "gid"]
PUBLIC_TOKEN_KEYS = ["access_token", "token_type", "expires_in", "gid"]
OUT_OF_SCOPE = {
    "error": "App does not have permission to perform this action. "
    "Please check the access token permissions"
}


def new_verifier() -> str:
    return secrets.token_urlsafe(48)


def s256(verifier: str) -> str:
    """RFC 7636's S256 challenge, computed here rather than by the server's library."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query_of(location: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(location).query, keep_blank_values=True))


@dataclass
class App:
    """An app registered on a site, and the site."""

    site: SiteClient
    client_id: str
    secret: str

    @property
    def http(self) -> TestClient:
        return self.site.http

    def authorize_params(self, **overrides: str | None) -> dict[str, str]:
        params: dict[str, str | None] = {
            "client_id": self.client_id,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "state": STATE,
            "subdomain": self.site.subdomain,
        }
        params.update(overrides)
        return {name: value for name, value in params.items() if value is not None}

    def authorize(self, **overrides: str | None) -> httpx.Response:
        """``GET /oauth2/authorize`` as the app's redirect sends the browser."""
        return self.http.get(
            "/oauth2/authorize?" + urlencode(self.authorize_params(**overrides)),
            follow_redirects=False,
        )

    def decide(self, decision: str, **overrides: str | None) -> httpx.Response:
        """The consent page's form, answered."""
        form = {**self.authorize_params(**overrides), "decision": decision}
        return self.http.post("/oauth2/authorize", data=form, follow_redirects=False)

    def code(self, *, verifier: str | None = None, scope: str | None = None) -> str:
        """A fresh authorization code, approved on the consent page (PKCE S256 if ``verifier``)."""
        challenge = (
            {"code_challenge": s256(verifier), "code_challenge_method": "S256"} if verifier else {}
        )
        response = self.decide("approve", scope=scope, **challenge)
        assert response.status_code == 302, response.text
        return query_of(response.headers["location"])["code"]

    def token(self, auth: tuple[str, str] | None = None, **form: str) -> httpx.Response:
        """``POST /oauth2/token``, a form authenticated with HTTP Basic (the app's own secret
        unless ``auth`` says otherwise)."""
        return self.http.post(
            "/oauth2/token", data=form, auth=auth or (self.client_id, self.secret)
        )

    def exchange(self, code: str, **extra: str) -> httpx.Response:
        return self.token(
            grant_type="authorization_code", code=code, redirect_uri=REDIRECT, **extra
        )

    def tokens(self, **scope: str) -> dict[str, Any]:
        """A token response of a completed flow (PKCE included)."""
        verifier = new_verifier()
        response = self.exchange(self.code(verifier=verifier, **scope), code_verifier=verifier)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def refresh(self, refresh_token: str) -> httpx.Response:
        return self.token(grant_type="refresh_token", refresh_token=refresh_token)

    def revoke(self, token: str, **extra: str) -> httpx.Response:
        return self.http.post(
            "/oauth2/revoke", data={"token": token, **extra}, auth=(self.client_id, self.secret)
        )


def register(site: SiteClient, scopes: list[str] | None = None, **kwargs: Any) -> App:
    client_id, secret = make_oauth_app(site, scopes=scopes, **kwargs)
    return App(site, client_id, secret)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def api_get(http: TestClient, token: str, path: str = "/users") -> httpx.Response:
    """An Admin API call with the token alone: a bearer token names its own site."""
    return http.get("/api/public/v1" + path, headers=bearer(token))


def oauth_error(error: str, description: str | None = None) -> dict[str, str]:
    body = {"error": error}
    if description is not None:
        body["error_description"] = description
    return body
