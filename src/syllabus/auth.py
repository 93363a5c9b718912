"""Authentication, exactly as FIDELITY §2: ``X-Auth-API-Key`` + ``X-Auth-Subdomain``, or
``Authorization: Bearer <token>``. Anything else is 401 ``{"error":"Authentication Error"}``.

Secrets are stored as SHA-256 digests. A lookup finds the row by digest and then compares the
digests in constant time. API keys also work as bearer tokens (Thinkific accepts them that way on
its v2 webhooks API).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from fastapi import Request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from starlette.datastructures import Headers

from syllabus.clock import clock
from syllabus.db import connection_of
from syllabus.errors import AuthenticationError
from syllabus.kit.body import raise_deferred
from syllabus.models import Credential, Site

if TYPE_CHECKING:
    from syllabus.db import Database

API_KEY_HEADER = "x-auth-api-key"
SUBDOMAIN_HEADER = "x-auth-subdomain"


@dataclass(frozen=True, slots=True)
class Credentials:
    token: str
    # The subdomain sent beside an API key; None for a bearer token, which names its own site.
    subdomain: str | None


@dataclass(frozen=True, slots=True)
class SiteRef:
    id: int
    subdomain: str
    global_id: str
    clock_offset_seconds: float


@dataclass(frozen=True, slots=True)
class Caller:
    """Whom a request's credentials name: the site, and what they may do there."""

    site: SiteRef
    kind: str  # "api_key" | "access_token" | "oauth"
    # An OAuth token's granted scopes. None for API keys and CLI-minted tokens: unrestricted.
    scopes: frozenset[str] | None
    # The OAuth app the token was issued to.
    app_id: int | None
    # The site's own requests a minute: None follows the server's setting, 0 is off.
    rate_limit_per_minute: int | None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_api_key() -> str:
    """32 hex characters, like Thinkific's keys."""
    return secrets.token_hex(16)


def new_access_token() -> str:
    """Longer than 32 characters, so clients that sniff the length send it as Bearer."""
    return secrets.token_urlsafe(36)


def credentials_from(headers: Headers) -> Credentials | None:
    api_key = headers.get(API_KEY_HEADER)
    if api_key:
        return Credentials(api_key.strip(), headers.get(SUBDOMAIN_HEADER, "").strip().lower())
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return Credentials(token.strip(), None)
    return None


def signing_secret(headers: Headers) -> str | None:
    """The credential that authenticated the request (an API key, sent either way, or a bearer
    token): what a caller without an OAuth app signs with (a site script's
    ``HMAC-SHA256-SIGNATURE``, FIDELITY §8). An app's token signs with the app's client secret
    instead (``oauth.apps.signing_secret``)."""
    credentials = credentials_from(headers)
    return None if credentials is None else credentials.token


# Built once: every request without a cached credential runs it (see kit/wire.py).
_LOOKUP = (
    select(
        Credential.token_hash,
        Credential.kind,
        Credential.expires_at,
        Credential.revoked_at,
        Credential.scopes,
        Credential.app_id,
        Site.id,
        Site.subdomain,
        Site.global_id,
        Site.clock_offset_seconds,
        Site.rate_limit_per_minute,
    )
    .join(Site, Site.id == Credential.site_id)
    .where(Credential.token_hash == bindparam("digest"))
)


class CredentialRow(NamedTuple):
    token_hash: str
    kind: str
    expires_at: datetime | None
    revoked_at: datetime | None
    scopes: str | None
    app_id: int | None
    site_id: int
    subdomain: str
    global_id: str
    clock_offset_seconds: float
    rate_limit_per_minute: int | None


# Found credentials are remembered per process for CACHE_SECONDS. A revoked key, a deleted site
# or a moved site clock reaches other processes within that time; this process forgets at once
# (`forget_credentials`). Unknown credentials are never cached, so a new key works immediately.
CACHE_SECONDS = 1.0
_CACHE_LIMIT = 10_000
_cache: dict[str, tuple[float, CredentialRow]] = {}


def forget_credentials() -> None:
    _cache.clear()


def find_credential(session: Session, digest: str) -> CredentialRow | None:
    # On the connection, not the ORM session: a Core row needs none of the ORM's result handling.
    row = connection_of(session).execute(_LOOKUP, {"digest": digest}).first()
    return None if row is None else CredentialRow(*row)


def check(credentials: Credentials, row: CredentialRow | None) -> Caller:
    """Whom ``credentials`` name, if ``row`` (found by their digest) accepts them. Expiry is
    judged by the site's clock, so moving it expires tokens."""
    digest = hash_secret(credentials.token)
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        raise AuthenticationError()
    if credentials.subdomain is not None and (
        row.kind != "api_key" or credentials.subdomain != row.subdomain
    ):
        raise AuthenticationError()
    if row.revoked_at is not None or (
        row.expires_at is not None and row.expires_at <= clock.now(row.clock_offset_seconds)
    ):
        raise AuthenticationError()
    site = SiteRef(row.site_id, row.subdomain, row.global_id, row.clock_offset_seconds)
    # Only an OAuth token is held to its scopes (none granted: nothing allowed).
    scopes = frozenset((row.scopes or "").split()) if row.kind == "oauth" else None
    return Caller(site, row.kind, scopes, row.app_id, row.rate_limit_per_minute)


async def authenticate(database: Database, credentials: Credentials | None) -> Caller:
    """Whom the credentials name, from the per-process cache or one short read of the database."""
    if credentials is None:
        raise AuthenticationError()
    digest = hash_secret(credentials.token)
    moment = time.monotonic()
    hit = _cache.get(digest)
    if hit is not None and moment - hit[0] < CACHE_SECONDS:
        row: CredentialRow | None = hit[1]
    else:
        row = await database.run(lambda session: find_credential(session, digest), write=False)
        if row is not None:
            if len(_cache) >= _CACHE_LIMIT:
                _cache.clear()
            _cache[digest] = (moment, row)
    return check(credentials, row)


# Where a layer that authenticated before routing (the rate limiter) leaves its answer.
CALLER_KEY = "syllabus.caller"


def remember_caller(scope: MutableMapping[str, Any], caller: Caller) -> None:
    scope[CALLER_KEY] = caller


async def authenticated(request: Request) -> Caller:
    """The caller, checked first, as Rails' ``before_action``: on a known route, bad
    credentials are a 401 before any 400, 404 or 422 that the path, query or body would cause.
    A body the body layer could not read (kit/body.py) is reported only after this check."""
    caller: Caller | None = request.scope.get(CALLER_KEY)
    if caller is None:
        caller = await authenticate(request.app.state.database, credentials_from(request.headers))
    raise_deferred(request.scope)
    return caller
