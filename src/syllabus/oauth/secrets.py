"""App secrets: derived, never stored.

An app's client secret is ``HMAC-SHA256(server key, "client-secret:<client_id>:<salt>")``. The
database keeps only its SHA-256 (to authenticate the app) and the salt, so the server can sign
with the secret (site scripts' ``HMAC-SHA256-SIGNATURE``, webhooks of OAuth apps) while a dump
of the database alone cannot recover it, once ``SYLLABUS_SECRET_KEY`` keeps the key elsewhere.
Without that setting the key is the one the migrations made, in ``server_secrets``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.config import Settings
from syllabus.models import OAuthApp, ServerSecret

KEY_NAME = "app_secrets"

# The database's key, read once per process (the migration made it; nothing changes it).
_stored_key: dict[str, str] = {}


def server_key(session: Session, settings: Settings) -> str:
    if settings.secret_key:
        return settings.secret_key
    url = str(session.connection().engine.url)
    key = _stored_key.get(url)
    if key is None:
        key = session.scalars(select(ServerSecret.value).where(ServerSecret.name == KEY_NAME)).one()
        _stored_key[url] = key
    return key


def new_salt() -> str:
    return secrets.token_hex(16)


def derive_secret(key: str, client_id: str, salt: str) -> str:
    message = f"client-secret:{client_id}:{salt}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def app_secret(session: Session, settings: Settings, app: OAuthApp) -> str:
    """The app's client secret, as ``syllabus apps create`` printed it."""
    return derive_secret(server_key(session, settings), app.client_id, app.secret_salt)
