"""The authorization server: authlib's OAuth 2.0 grants over our tables, one per request.

authlib does the protocol (RFC 6749 authorization code and refresh grants, RFC 7636 PKCE,
RFC 7009 revocation, client authentication, error bodies and redirects); this module gives it
the site's apps, codes and tokens, and Thinkific's token response (FIDELITY §2.3):
``{access_token, token_type: "bearer", refresh_token, expires_in: 86399, gid}``.

Decisions where Thinkific says nothing:
- A code lives 10 minutes and is spent by its first successful exchange. A code presented
  again revokes every token issued from it (RFC 6749 §4.1.2).
- A refresh returns a new refresh token; the old one is spent. The old access token stays valid
  until it expires, so a client's requests in flight during a refresh don't fail.
- A public client (HTTP Basic ``client_id:`` with an empty secret, or ``client_id`` alone)
  must use PKCE and gets no refresh token ("the secret is required for a refresh token").
- Revoking either token of a pair revokes both.
"""

from __future__ import annotations

import hmac
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import (
    AccessDeniedError,
    ClientMixin,
    InvalidGrantError,
    OAuth2Payload,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy.orm import Session
from starlette.datastructures import Headers

from syllabus.auth import forget_credentials, hash_secret, new_access_token
from syllabus.clock import clock
from syllabus.config import Settings
from syllabus.models import Credential, OAuthApp, OAuthCode, Site
from syllabus.oauth.apps import redirect_uris, scopes_of
from syllabus.oauth.repository import OAUTH, OAuthRepository
from syllabus.oauth.secrets import app_secret

ACCESS_TOKEN_SECONDS = 86_399  # FIDELITY §2.3's example
CODE_LIFETIME = timedelta(minutes=10)
GRANT_TYPES = ("authorization_code", "refresh_token")

# authlib's answer: status, a body (a dict, or "" for a redirect) and headers.
Answer = tuple[int, Any, list[tuple[str, str]]]


@dataclass
class OAuthUnit:
    """One request's unit of work on one site."""

    session: Session
    site: Site
    settings: Settings

    def now(self) -> datetime:
        return clock.now(self.site.clock_offset_seconds)


class Client(ClientMixin):  # type: ignore[misc]
    """An app as authlib sees a client."""

    def __init__(self, app: OAuthApp, unit: OAuthUnit) -> None:
        self.app = app
        self.unit = unit

    def get_client_id(self) -> str:
        return self.app.client_id

    def get_default_redirect_uri(self) -> str:
        return redirect_uris(self.app)[0]

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The scope asked for, if the app may have it all (None: ``invalid_scope``); nothing
        asked is everything the app was registered with."""
        allowed = scopes_of(self.app)
        if not scope:
            return " ".join(allowed)
        asked = list(dict.fromkeys(scope.split()))
        return " ".join(asked) if set(asked) <= set(allowed) else None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in redirect_uris(self.app)

    def check_client_secret(self, client_secret: str) -> bool:
        """The secret ``syllabus apps create`` printed, and still the one the server's key
        derives (which signs for the app): after the key changes, every app needs a new one."""
        if not hmac.compare_digest(hash_secret(client_secret), self.app.secret_hash):
            return False
        derived = app_secret(self.unit.session, self.unit.settings, self.app)
        return hmac.compare_digest(client_secret, derived)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return True  # each grant and endpoint lists the methods it takes

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


class Code:
    """An authorization code row as authlib sees one."""

    def __init__(self, row: OAuthCode) -> None:
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self) -> str | None:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scope


class Token:
    """An OAuth token row as authlib sees one."""

    def __init__(self, row: Credential) -> None:
        self.row = row

    def check_client(self, client: Client) -> bool:
        return self.row.app_id == client.app.id

    def get_scope(self) -> str:
        return self.row.scopes or ""


class Payload(OAuth2Payload):  # type: ignore[misc]
    """Parameters from the query string and the body, each name with all its values."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for name, value in items:
            self._datalist[name].append(value)
        self._data = {name: values[0] for name, values in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class Request(OAuth2Request):  # type: ignore[misc]
    """An HTTP request as authlib reads one. authlib refuses plain-http URLs other than
    localhost; Syllabus serves http wherever it runs, so the URL it is shown is https."""

    def __init__(
        self,
        method: str,
        url: str,
        headers: Headers,
        query: list[tuple[str, str]],
        body: list[tuple[str, str]],
    ) -> None:
        parts = urlsplit(url)
        super().__init__(method, urlunsplit(parts._replace(scheme="https")), headers=headers)
        self._args = dict(query)
        self._form = dict(body)
        self.payload = Payload(query + body)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


def client_id_of(headers: Headers, params: dict[str, str]) -> str | None:
    """The client a token or revocation request names: HTTP Basic's user, or ``client_id``."""
    user, _ = extract_basic_authorization(headers)
    return user or params.get("client_id")


def _authenticate_public(query_client: Any, request: Request) -> Client | None:
    """authlib's ``none`` method, also taking HTTP Basic ``client_id:`` with an empty secret,
    as Thinkific's PKCE example sends it (FIDELITY §2.3)."""
    user, secret = extract_basic_authorization(request.headers)
    if user is not None:
        client_id = user if not secret else None
    else:
        client_id = None if request.payload.data.get("client_secret") else request.payload.client_id
    client: Client | None = query_client(client_id) if client_id else None
    return client


class SiteAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """authlib's server for one request on one site."""

    def __init__(self, unit: OAuthUnit) -> None:
        super().__init__()
        self.unit = unit
        self.repository = OAuthRepository(unit.session, unit.site.id)
        # The scope of the token being generated, for `save_token` (the response omits it).
        self.issued_scope = ""
        self.register_token_generator("default", self._generate_token)
        self.register_client_auth_method("none", _authenticate_public)
        self.register_grant(AuthorizationCodeGrant, [CodeChallenge(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(Revocation)

    def query_client(self, client_id: str) -> Client | None:
        app = self.repository.app(client_id)
        return None if app is None else Client(app, self.unit)

    def _generate_token(
        self,
        grant_type: str,
        client: Client,
        user: Any = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        self.issued_scope = scope or ""
        token: dict[str, Any] = {"access_token": new_access_token(), "token_type": "bearer"}
        if include_refresh_token:
            token["refresh_token"] = new_access_token()
        token["expires_in"] = ACCESS_TOKEN_SECONDS
        token["gid"] = self.unit.site.global_id
        return token

    def save_token(self, token: dict[str, Any], request: Request) -> None:
        now = self.unit.now()
        access = token["access_token"]
        refresh = token.get("refresh_token")
        if request.authorization_code is not None:
            code_id: int | None = request.authorization_code.row.id
        else:
            code_id = request.refresh_token.row.code_id
        self.repository.add(
            Credential(
                kind=OAUTH,
                token_hash=hash_secret(access),
                hint=access[-4:],
                label=request.client.app.name,
                scopes=self.issued_scope,
                expires_at=now + timedelta(seconds=ACCESS_TOKEN_SECONDS),
                app_id=request.client.app.id,
                refresh_hash=None if refresh is None else hash_secret(refresh),
                code_id=code_id,
                created_at=now,
                updated_at=now,
            )
        )

    def create_oauth2_request(self, request: Request) -> Request:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Answer:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """authlib's hook for framework signals: Syllabus listens to none."""


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    server: SiteAuthorizationServer

    def create_authorization_response(self, redirect_uri: str, grant_user: Any) -> Answer:
        """authlib's, with the site's subdomain on the callback (FIDELITY §2.3)."""
        if not grant_user:
            raise AccessDeniedError(redirect_uri=redirect_uri)
        self.request.user = grant_user
        code = self.generate_authorization_code()
        self.save_authorization_code(code, self.request)
        params = [("code", code), ("subdomain", self.server.unit.site.subdomain)]
        if self.request.payload.state:
            params.append(("state", self.request.payload.state))
        return 302, "", [("Location", add_params_to_uri(redirect_uri, params))]

    def save_authorization_code(self, code: str, request: Request) -> None:
        now = self.server.unit.now()
        data = request.payload.data
        self.server.repository.add(
            OAuthCode(
                app_id=request.client.app.id,
                code_hash=hash_secret(code),
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope,
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method")
                or (None if not data.get("code_challenge") else "plain"),
                expires_at=now + CODE_LIFETIME,
                created_at=now,
                updated_at=now,
            )
        )

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        unit = self.server.unit
        row = self.server.repository.code(hash_secret(code), client.app.id)
        if row is None or row.expires_at <= unit.now():
            return None
        if row.used_at is not None:
            self.server.repository.revoke_issued_from(row.id, unit.now())
            forget_credentials()
            return None
        return Code(row)

    def authenticate_user(self, authorization_code: Code) -> Site:
        """Spend the code, now that every check passed: a concurrent exchange loses here."""
        if not self.server.repository.claim_code(authorization_code.row.id, self.server.unit.now()):
            raise InvalidGrantError("Invalid 'code' in request.")
        return self.server.unit.site

    def delete_authorization_code(self, authorization_code: Code) -> None:
        """Spent already (``authenticate_user``): a spent code is kept, to detect its reuse."""

    def generate_token(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if self.request.auth_method == "none":
            kwargs["include_refresh_token"] = False
        token: dict[str, Any] = super().generate_token(*args, **kwargs)
        return token


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: SiteAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        row = self.server.repository.token(refresh_hash=hash_secret(refresh_token))
        if row is None or row.refreshed_at is not None or row.revoked_at is not None:
            return None
        return Token(row)

    def authenticate_user(self, refresh_token: Token) -> Site:
        """Spend the refresh token: a concurrent refresh with the same one loses here."""
        if not self.server.repository.claim_refresh(refresh_token.row.id, self.server.unit.now()):
            raise InvalidGrantError()
        return self.server.unit.site

    def revoke_old_credential(self, refresh_token: Token) -> None:
        """Spent already (``authenticate_user``); its access token lives until it expires."""


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    server: SiteAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        digest = hash_secret(token_string)
        repository = self.server.repository
        if token_type_hint == "refresh_token":
            row = repository.token(refresh_hash=digest) or repository.token(access_hash=digest)
        else:
            row = repository.token(access_hash=digest) or repository.token(refresh_hash=digest)
        return None if row is None else Token(row)

    def revoke_token(self, token: Token, request: Request) -> None:
        if token.row.revoked_at is None:
            token.row.revoked_at = self.server.unit.now()
            self.server.unit.session.flush()
        forget_credentials()
