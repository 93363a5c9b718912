"""PostgreSQL's pool: a connection that has been idle is pinged before it is used, and replaced
when the server has gone away meanwhile (a restart), rather than failing the request that
drew it (``db._ping_when_idle``)."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from syllabus import db as db_module
from syllabus.db import Database


@pytest.fixture
def postgres_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL pool's connections: SQLite has no server to lose")
    return database_url


def _backend(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(url: str, pid: int) -> None:
    with psycopg.connect(url.replace("+psycopg", "", 1), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_an_idle_connection_the_server_dropped_is_replaced(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    database = Database(postgres_url)
    try:
        dropped = _backend(database)
        _terminate(postgres_url, dropped)
        assert _backend(database) != dropped
    finally:
        database.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 3600.0)
    database = Database(postgres_url)
    pings: list[object] = []
    monkeypatch.setattr(database.engine.dialect, "do_ping", pings.append)
    try:
        first = _backend(database)
        assert _backend(database) == first
        assert pings == []
    finally:
        database.dispose()
