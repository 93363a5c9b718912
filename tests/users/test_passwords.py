"""Passwords: stored as argon2id hashes, made in a worker thread and never on the event loop."""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from syllabus.kit import passwords
from syllabus.models import User
from tests.support import SiteClient

ADA = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}


def stored_hash(site: SiteClient, id: int) -> str | None:
    return site.db(lambda session: session.get_one(User, id).password_hash)


def test_a_created_users_password_is_an_argon2id_hash(site: SiteClient) -> None:
    created = site.post("/users", json={**ADA, "password": "correct horse"})
    assert created.status_code == 201
    assert "password" not in created.json()

    stored = stored_hash(site, created.json()["id"])

    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password("correct horse", stored)
    assert not passwords.verify_password("wrong horse", stored)


def test_an_update_rehashes_and_no_password_keeps_the_hash(site: SiteClient) -> None:
    id = site.post("/users", json={**ADA, "password": "first one"}).json()["id"]
    first = stored_hash(site, id)

    assert site.put(f"/users/{id}", json={"password": "second one"}).status_code == 204
    second = stored_hash(site, id)
    assert second is not None
    assert second != first
    assert passwords.verify_password("second one", second)

    assert site.put(f"/users/{id}", json={"first_name": "Augusta"}).status_code == 204
    assert stored_hash(site, id) == second


def test_hashing_runs_in_a_worker_thread(site: SiteClient, monkeypatch: pytest.MonkeyPatch) -> None:
    loops: list[bool] = []
    real = passwords.hash_password

    def hash_password(password: str) -> str:
        try:
            asyncio.get_running_loop()
            loops.append(True)
        except RuntimeError:
            loops.append(False)
        return real(password)

    monkeypatch.setattr(passwords, "hash_password", hash_password)
    assert site.post("/users", json={**ADA, "password": "off the loop"}).status_code == 201
    assert loops == [False]


def test_a_pbkdf2_hash_of_an_earlier_version_still_verifies() -> None:
    salt = "00112233445566778899aabbccddeeff"
    digest = hashlib.pbkdf2_hmac("sha256", b"legacy pass", salt.encode(), 60_000).hex()
    stored = f"pbkdf2_sha256$60000${salt}${digest}"

    assert passwords.verify_password("legacy pass", stored)
    assert not passwords.verify_password("other pass", stored)
    assert not passwords.verify_password("legacy pass", "pbkdf2_sha256$broken")
    assert not passwords.verify_password("legacy pass", "not a hash")
