"""``syllabus demo``: the site behind ``make serve``, created and seeded once."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from syllabus.db import Database
from syllabus.models import Course, Credential, Enrollment, User
from syllabus.seed.demo import key_file_for
from syllabus.sites.service import create_site, revoke
from tests.cli.conftest import Run, client_for, site_id_of


def demo_key(output: str, subdomain: str, host: str = "127.0.0.1", port: int = 8000) -> str:
    base = f"http://{host}:{port}/api/public/v1"
    assert f"Base URL: {base}\n" in output
    match = re.search(
        rf"^curl -s {re.escape(base)}/courses -H 'X-Auth-API-Key: ([0-9a-f]{{32}})' "
        rf"-H 'X-Auth-Subdomain: {subdomain}'$",
        output,
        re.MULTILINE,
    )
    assert match, output
    return match.group(1)


def create_empty_site(database: Database, subdomain: str) -> None:
    # Through the service, not `syllabus sites create`: that command leaves its engine open.
    with database.transaction() as session:
        create_site(session, subdomain)


def counts(database: Database, site_id: int | None) -> tuple[int, int, int]:
    with database.transaction(write=False) as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).where(model.site_id == site_id)) or 0)
            for model in (User, Course, Enrollment)
        )


class TestDemo:
    def test_creates_and_seeds_the_site_once(
        self, cli: Run, subdomain: str, database: Database, http: TestClient, tmp_path: Path
    ) -> None:
        key_file = tmp_path / "demo.key"
        first = cli(
            "demo", subdomain, "--host", "localhost", "--port", "9123", "--key-file", str(key_file)
        )

        assert first.exit_code == 0, first.output
        key = demo_key(first.stdout, subdomain, "localhost", 9123)
        assert "created and seeded" in first.stdout
        site_id = site_id_of(database, subdomain)
        assert counts(database, site_id) == (50, 6, 150)
        assert key_file.read_text().strip() == key
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        site = client_for(http, database, subdomain, key)
        response = site.get("/users")
        assert response.status_code == 200
        assert response.json()["meta"]["pagination"]["total_items"] == 50

        second = cli("demo", subdomain, "--key-file", str(key_file))

        assert second.exit_code == 0, second.output
        assert demo_key(second.stdout, subdomain) == key
        assert "already seeded" in second.stdout
        assert counts(database, site_id) == (50, 6, 150)
        with database.transaction(write=False) as session:
            keys = session.scalar(select(func.count()).where(Credential.site_id == site_id))
        assert keys == 1

    def test_mints_a_new_key_when_the_saved_one_no_longer_works(
        self, cli: Run, subdomain: str, database: Database, http: TestClient, tmp_path: Path
    ) -> None:
        key_file = tmp_path / "demo.key"
        first = cli("demo", subdomain, "--key-file", str(key_file))
        old = demo_key(first.stdout, subdomain)
        with database.transaction() as session:
            assert revoke(session, old)

        second = cli("demo", subdomain, "--key-file", str(key_file))

        assert second.exit_code == 0, second.output
        new = demo_key(second.stdout, subdomain)
        assert new != old
        assert key_file.read_text().strip() == new
        assert client_for(http, database, subdomain, new).get("/users").status_code == 200
        assert counts(database, site_id_of(database, subdomain))[0] == 50

    @pytest.mark.parametrize("content", ["", "not-a-key\n", "0" * 32])
    def test_replaces_a_key_file_that_does_not_hold_this_sites_key(
        self,
        cli: Run,
        subdomain: str,
        database: Database,
        http: TestClient,
        tmp_path: Path,
        content: str,
    ) -> None:
        create_empty_site(database, subdomain)
        key_file = tmp_path / "demo.key"
        key_file.write_text(content)

        result = cli("demo", subdomain, "--key-file", str(key_file))

        assert result.exit_code == 0, result.output
        key = demo_key(result.stdout, subdomain)
        assert key_file.read_text().strip() == key
        assert client_for(http, database, subdomain, key).get("/users").status_code == 200

    def test_seeds_an_existing_empty_site(
        self, cli: Run, subdomain: str, database: Database, tmp_path: Path
    ) -> None:
        create_empty_site(database, subdomain)

        result = cli("demo", subdomain, "--key-file", str(tmp_path / "k"))

        assert result.exit_code == 0, result.output
        assert "seeded" in result.stdout
        assert "created" not in result.stdout
        assert counts(database, site_id_of(database, subdomain)) == (50, 6, 150)

    def test_keeps_the_key_beside_the_sqlite_database_or_under_var(
        self,
        cli: Run,
        subdomain: str,
        database_url: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.chdir(tmp_path)
        expected = key_file_for(database_url, subdomain)
        if database_url.startswith("sqlite"):
            assert expected == Path(database_url.removeprefix("sqlite:///")).parent / (
                f"demo-{subdomain}.key"
            )
        else:
            assert expected == Path("var") / f"demo-{subdomain}.key"

        result = cli("demo", subdomain)

        assert result.exit_code == 0, result.output
        try:
            assert expected.read_text().strip() == demo_key(result.stdout, subdomain)
            assert stat.S_IMODE(expected.stat().st_mode) == 0o600
        finally:
            expected.unlink()

    def test_an_invalid_subdomain_fails(self, cli: Run, tmp_path: Path) -> None:
        result = cli("demo", "Bad Name", "--key-file", str(tmp_path / "k"))

        assert result.exit_code == 1
        assert "invalid subdomain" in result.stderr
        assert not (tmp_path / "k").exists()
