"""Password hashing: argon2id (argon2-cffi), never on the event loop.

Thinkific never returns a password; ``POST /users`` and ``PUT /users/{id}`` only store one. A
hash takes tens of milliseconds by design, so a route hashes before its unit of work, in a worker
thread (``hashed``), and hands the service the hash. ``verify_password`` still accepts the
PBKDF2-SHA256 hashes that earlier versions stored.
"""

from __future__ import annotations

import hashlib
import hmac

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
_PBKDF2 = "pbkdf2_sha256$"


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


async def hashed(password: str | None) -> str | None:
    """``password``'s hash, made in a worker thread; None for no password."""
    if not password:
        return None
    return await anyio.to_thread.run_sync(hash_password, password)


def verify_password(password: str, stored: str) -> bool:
    if stored.startswith(_PBKDF2):
        return _verify_pbkdf2(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _verify_pbkdf2(password: str, stored: str) -> bool:
    try:
        _scheme, iterations, salt, digest = stored.split("$")
        rounds = int(iterations)
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), rounds)
    return hmac.compare_digest(candidate.hex(), digest)
