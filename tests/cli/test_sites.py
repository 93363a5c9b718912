"""``syllabus migrate``, ``sites create|list``, ``keys create`` and ``tokens create``."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect

from syllabus.db import Database
from tests.cli.conftest import Run, client_for, one_line

USERS = "/api/public/v1/users"


def test_migrate_builds_a_fresh_database(cli: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'new.db'}"
    result = cli("migrate", "--database-url", url, env={})
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "migrated"
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"sites", "users", "courses", "enrollments", "events", "alembic_version"} <= tables


def test_migrate_honours_the_environment_variable(cli: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = cli("migrate", env={"SYLLABUS_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_sites_create_prints_a_working_key(
    cli: Run, subdomain: str, http: TestClient, database: Database
) -> None:
    result = cli("sites", "create", subdomain)
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert len(key) == 32
    assert int(key, 16) >= 0
    site = client_for(http, database, subdomain, key)
    assert site.get("/users").status_code == 200


def test_sites_create_with_a_given_key(
    cli: Run, subdomain: str, http: TestClient, database: Database
) -> None:
    key = "0123456789abcdef" * 2
    result = cli("sites", "create", subdomain, "--api-key", key)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == key
    assert client_for(http, database, subdomain, key).get("/users").status_code == 200


def test_sites_create_rejects_bad_input(cli: Run, subdomain: str) -> None:
    bad_key = cli("sites", "create", subdomain, "--api-key", "not-hex")
    assert bad_key.exit_code == 1
    assert "an API key is 32 lowercase hex characters" in one_line(bad_key.output)
    bad_name = cli("sites", "create", "Not A Subdomain")
    assert bad_name.exit_code == 1
    assert "invalid subdomain" in one_line(bad_name.output)
    assert cli("sites", "create", subdomain).exit_code == 0
    again = cli("sites", "create", subdomain)
    assert again.exit_code == 1
    assert "already exists" in one_line(again.output)


def test_sites_list_shows_the_site(cli: Run, subdomain: str) -> None:
    cli("sites", "create", subdomain)
    result = cli("sites", "list")
    assert result.exit_code == 0, result.output
    assert subdomain in result.stdout


def test_keys_create_adds_a_second_key(
    cli: Run, subdomain: str, http: TestClient, database: Database
) -> None:
    first = cli("sites", "create", subdomain).stdout.strip()
    result = cli("keys", "create", subdomain)
    assert result.exit_code == 0, result.output
    second = result.stdout.strip()
    assert second != first
    for key in (first, second):
        assert client_for(http, database, subdomain, key).get("/users").status_code == 200


def test_tokens_create_mints_a_bearer_token(cli: Run, subdomain: str, http: TestClient) -> None:
    cli("sites", "create", subdomain)
    result = cli("tokens", "create", subdomain)
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert len(token) > 32
    response = http.get(USERS, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    # A bearer token names its own site: it is not an API key for the subdomain headers.
    as_key = http.get(USERS, headers={"X-Auth-API-Key": token, "X-Auth-Subdomain": subdomain})
    assert as_key.status_code == 401


def test_keys_and_tokens_for_an_unknown_site_fail(cli: Run, subdomain: str) -> None:
    for command in ("keys", "tokens"):
        result = cli(command, "create", subdomain)
        assert result.exit_code == 1
        assert f"no site with subdomain '{subdomain}'" in one_line(result.output)
