"""What a webhook's deliveries are signed with (FIDELITY §7.2): the client secret of the OAuth
app that created it, or else the API key (or token) that did.

Credentials are stored only as digests, so a webhook keeps the key that created it *sealed*:
encrypted (Fernet: AES-128-CBC with an HMAC) under a key derived from the server's key
(``SYLLABUS_SECRET_KEY``, or the one the migrations made), never in the clear.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from syllabus.config import Settings
from syllabus.models import OAuthApp, Webhook
from syllabus.oauth.secrets import app_secret, server_key

_PURPOSE = b"webhook-signing-keys:"


# Keys unsealed by this process, by their sealed text: a delivery worker signs many deliveries
# of few webhooks. Bounded; emptied when full.
_UNSEALED_MAX = 1024
_unsealed: dict[tuple[str, str], str] = {}


@lru_cache(maxsize=4)
def _fernet_of(key: str) -> Fernet:
    digest = hashlib.sha256(_PURPOSE + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _fernet(session: Session, settings: Settings) -> Fernet:
    return _fernet_of(server_key(session, settings))


def seal(session: Session, settings: Settings, secret: str) -> str:
    return _fernet(session, settings).encrypt(secret.encode()).decode()


def unseal(session: Session, settings: Settings, sealed: str) -> str:
    key = server_key(session, settings)
    found = _unsealed.get((key, sealed))
    if found is None:
        found = _fernet_of(key).decrypt(sealed.encode()).decode()
        if len(_unsealed) >= _UNSEALED_MAX:
            _unsealed.clear()
        _unsealed[(key, sealed)] = found
    return found


def signing_key(session: Session, settings: Settings, webhook: Webhook) -> str:
    """The key ``webhook``'s deliveries are signed with."""
    if webhook.app_id is not None:
        app = session.get_one(OAuthApp, webhook.app_id)
        return app_secret(session, settings, app)
    if webhook.sealed_key is None:
        raise ValueError(f"webhook {webhook.id} has no signing key")
    return unseal(session, settings, webhook.sealed_key)
