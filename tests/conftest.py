"""Test fixtures: a database built by the migrations, the app, and one fresh site per test.

Sites isolate tests from each other the way they isolate tenants, so every test runs through
the real unit of work (real commits) on a shared, migrated database.

``SYLLABUS_TEST_DATABASE_URL=postgresql://user@host:port/db`` runs the suite on PostgreSQL: a fresh
database is created beside the named one for the session, and dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from syllabus.db import Database, normalize_url
from syllabus.migrate import upgrade
from tests.support import SiteClient, client_with, new_site

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("SYLLABUS_TEST_DATABASE_URL")
    if not configured or configured.startswith("sqlite"):
        url = configured or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(url)
        yield url
        return
    server = make_url(normalize_url(configured))
    name = f"syllabus_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def http(database: Database, database_url: str) -> Iterator[TestClient]:
    with client_with(database, database_url, raise_errors=False) as client:
        yield client


_counter = itertools.count(1)


@pytest.fixture
def site(http: TestClient, database: Database) -> SiteClient:
    return new_site(http, database, f"t{os.getpid()}x{next(_counter)}x{uuid.uuid4().hex[:6]}")


@pytest.fixture
def other_site(http: TestClient, database: Database) -> SiteClient:
    return new_site(http, database, f"o{os.getpid()}x{next(_counter)}x{uuid.uuid4().hex[:6]}")
