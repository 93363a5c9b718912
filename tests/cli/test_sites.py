"""``syllabus migrate``, ``sites create|list|update``, ``keys create`` and ``tokens create``."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, select

from syllabus.db import Database
from syllabus.models import Site
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


def own_rate_limit(database: Database, subdomain: str) -> int | None:
    with database.transaction(write=False) as session:
        return session.scalar(select(Site.rate_limit_per_minute).where(Site.subdomain == subdomain))


class TestSitesUpdate:
    """``syllabus sites update SUBDOMAIN --rate-limit N|off|default``. The test app's own
    setting is off, so a site is limited only by what it is given here."""

    def test_a_number_limits_the_site(
        self, cli: Run, subdomain: str, http: TestClient, database: Database
    ) -> None:
        key = cli("sites", "create", subdomain).stdout.strip()
        site = client_for(http, database, subdomain, key)

        result = cli("sites", "update", subdomain, "--rate-limit", "2")

        assert result.exit_code == 0, result.output
        assert result.stdout == f"{subdomain} rate limit: 2 requests a minute\n"
        assert own_rate_limit(database, subdomain) == 2
        codes = [http.get(USERS, headers=site.headers).status_code for _ in range(3)]
        assert codes == [200, 200, 429]

    @pytest.mark.parametrize(
        ("value", "stored", "said"),
        [
            ("off", 0, "off"),
            ("OFF", 0, "off"),
            ("0", 0, "off"),
            ("default", None, "the server's default"),
        ],
    )
    def test_off_and_default_lift_the_sites_own_limit(
        self,
        cli: Run,
        subdomain: str,
        http: TestClient,
        database: Database,
        value: str,
        stored: int | None,
        said: str,
    ) -> None:
        key = cli("sites", "create", subdomain).stdout.strip()
        site = client_for(http, database, subdomain, key)
        cli("sites", "update", subdomain, "--rate-limit", "1")
        assert [http.get(USERS, headers=site.headers).status_code for _ in range(2)] == [200, 429]

        result = cli("sites", "update", subdomain, "--rate-limit", value)

        assert result.exit_code == 0, result.output
        assert result.stdout == f"{subdomain} rate limit: {said}\n"
        assert own_rate_limit(database, subdomain) == stored
        codes = [http.get(USERS, headers=site.headers).status_code for _ in range(3)]
        assert codes == [200, 200, 200]

    @pytest.mark.parametrize("value", ["lots", "-1", "1.5", "1_000", "2147483648", ""])
    def test_a_bad_value_fails_and_changes_nothing(
        self, cli: Run, subdomain: str, database: Database, value: str
    ) -> None:
        cli("sites", "create", subdomain)
        cli("sites", "update", subdomain, "--rate-limit", "7")

        result = cli("sites", "update", subdomain, "--rate-limit", value)

        assert result.exit_code == 1
        assert (
            f"error: invalid rate limit {value!r}: use a number of requests a minute "
            "(at most 2147483647), off or default"
        ) in one_line(result.stderr)
        assert own_rate_limit(database, subdomain) == 7

    def test_an_unknown_site_or_no_setting_fails(self, cli: Run, subdomain: str) -> None:
        unknown = cli("sites", "update", subdomain, "--rate-limit", "5")
        assert unknown.exit_code == 1
        assert f"no site with subdomain '{subdomain}'" in one_line(unknown.stderr)
        cli("sites", "create", subdomain)
        missing = cli("sites", "update", subdomain)
        assert missing.exit_code == 2
        assert "Missing option '--rate-limit'" in one_line(missing.stderr)

    def test_sites_list_shows_each_sites_rate_limit(
        self, cli: Run, subdomain: str, database: Database
    ) -> None:
        cli("sites", "create", subdomain)
        cli("sites", "update", subdomain, "--rate-limit", "45")

        result = cli("sites", "list")

        assert result.exit_code == 0, result.output
        row = next(line for line in result.stdout.splitlines() if subdomain in line)
        assert row.split("│")[-2].strip() == "45/min"
