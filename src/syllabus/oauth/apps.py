"""OAuth apps of a site: what ``syllabus apps`` and the control plane register, list and delete.

Each function is one step inside the caller's unit of work; none commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from syllabus.auth import forget_credentials, hash_secret
from syllabus.clock import clock
from syllabus.config import Settings
from syllabus.models import OAuthApp, Site
from syllabus.oauth.repository import OAuthRepository
from syllabus.oauth.scopes import known_scopes
from syllabus.oauth.secrets import app_secret, derive_secret, new_salt, server_key

if TYPE_CHECKING:
    from syllabus.context import Scope


class AppError(ValueError):
    """An app that cannot be registered as asked: the message says why, ``field`` which of
    its fields (``redirect_uris`` or ``scopes``) is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class IssuedApp:
    app: OAuthApp
    client_secret: str


def redirect_uris(app: OAuthApp) -> list[str]:
    return app.redirect_uris.splitlines()


def scopes_of(app: OAuthApp) -> list[str]:
    return app.scopes.split()


def permission_scopes() -> list[str]:
    """Every ``read:``/``write:`` scope: what an app registered without ``--scope`` may ask."""
    return sorted(scope for scope in known_scopes() if ":" in scope)


def _checked_uri(uri: str) -> str:
    parts = urlsplit(uri.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        raise AppError(
            "redirect_uris",
            f"redirect URI {uri!r} must be an absolute http(s) URL without a fragment",
        )
    return uri.strip()


def _checked_scopes(scopes: list[str]) -> list[str]:
    words = list(dict.fromkeys(word for scope in scopes for word in scope.split()))
    unknown = [word for word in words if word not in known_scopes()]
    if unknown:
        raise AppError(
            "scopes",
            f"unknown scope {unknown[0]!r}: scopes are read:<resource>, write:<resource> "
            "(the Admin API's first path segment, like read:users) and openid, profile, email, site",
        )
    return words


def create_app(
    session: Session,
    settings: Settings,
    site: Site,
    *,
    redirect_uris: list[str],
    scopes: list[str] | None = None,
    name: str | None = None,
) -> IssuedApp:
    """Register an app on ``site``: its client id and (derived, never stored) secret."""
    uris = list(dict.fromkeys(_checked_uri(uri) for uri in redirect_uris))
    if not uris:
        raise AppError("redirect_uris", "an app needs at least one redirect URI")
    allowed = _checked_scopes(scopes) if scopes else permission_scopes()
    client_id = secrets.token_hex(16)
    salt = new_salt()
    secret = derive_secret(server_key(session, settings), client_id, salt)
    now = clock.now(site.clock_offset_seconds)
    app = OAuthApp(
        name=(name or "").strip() or urlsplit(uris[0]).hostname or client_id,
        client_id=client_id,
        secret_hash=hash_secret(secret),
        secret_salt=salt,
        redirect_uris="\n".join(uris),
        scopes=" ".join(allowed),
        consented_scopes=None,
        created_at=now,
        updated_at=now,
    )
    OAuthRepository(session, site.id).add(app)
    return IssuedApp(app, secret)


def calling_app(scope: Scope) -> OAuthApp | None:
    """The OAuth app whose token made the request, if one did."""
    caller = scope.caller
    if caller is None or caller.app_id is None:
        return None
    return OAuthRepository(scope.session, scope.site.id).app_by_id(caller.app_id)


def signing_secret(scope: Scope, app: OAuthApp | None) -> str | None:
    """What the caller signs with (FIDELITY §8, site scripts): the calling app's client secret,
    else the credential that authenticated the request (an API key or a CLI-minted token)."""
    if app is None:
        return scope.signing_secret
    return app_secret(scope.session, scope.settings, app)


def app_hosts(app: OAuthApp) -> list[str]:
    """The hosts of the app's redirect URIs: where its own pages live."""
    return [host for uri in redirect_uris(app) if (host := urlsplit(uri).hostname)]


def list_apps(session: Session, site: Site) -> list[OAuthApp]:
    return OAuthRepository(session, site.id).apps()


def delete_app(session: Session, site: Site, client_id: str) -> bool:
    """Delete the app and every token issued to it (401 from now on). False: no such app."""
    repository = OAuthRepository(session, site.id)
    app = repository.app(client_id)
    if app is None:
        return False
    repository.delete_app(app)
    forget_credentials()
    return True
