"""``syllabus demo``: the site behind ``make serve``, created and seeded once."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import Result

from syllabus.db import Database
from syllabus.models import Course, Credential, Enrollment, Site, User
from syllabus.seed.demo import key_file_for, rate_limit_line
from syllabus.sites.service import create_site, revoke
from tests.cli.conftest import Run, client_for, one_line, site_id_of
from tests.servers import SYLLABUS, Server, free_port, start_server, wait_until_serving


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


def rate_limit_off(subdomain: str) -> str:
    return (
        f"Rate limit: off for the demo site; `syllabus sites update {subdomain} --rate-limit "
        "default` turns Thinkific's 120 requests a minute on."
    )


def rate_limit_on(subdomain: str, limit: int) -> str:
    return (
        f"Rate limit: {limit} requests a minute for the demo site; `syllabus sites update "
        f"{subdomain} --rate-limit off` turns it off."
    )


def own_rate_limit(database: Database, subdomain: str) -> int | None:
    with database.transaction(write=False) as session:
        return session.scalar(select(Site.rate_limit_per_minute).where(Site.subdomain == subdomain))


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
        assert rate_limit_off(subdomain) in one_line(first.stdout)
        assert own_rate_limit(database, subdomain) == 0
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
        assert rate_limit_off(subdomain) in one_line(second.stdout)
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
        # A site it did not create keeps its rate limit: the server's.
        assert own_rate_limit(database, subdomain) is None
        assert rate_limit_on(subdomain, 120) in one_line(result.stdout)

    def test_keeps_the_rate_limit_the_site_was_given(
        self, cli: Run, subdomain: str, database: Database, tmp_path: Path
    ) -> None:
        key_file = str(tmp_path / "k")
        assert cli("demo", subdomain, "--key-file", key_file).exit_code == 0
        assert cli("sites", "update", subdomain, "--rate-limit", "default").exit_code == 0

        result = cli("demo", subdomain, "--key-file", key_file)

        assert result.exit_code == 0, result.output
        assert rate_limit_on(subdomain, 120) in one_line(result.stdout)
        assert own_rate_limit(database, subdomain) is None
        cli("sites", "update", subdomain, "--rate-limit", "30")
        again = cli("demo", subdomain, "--key-file", key_file)
        assert rate_limit_on(subdomain, 30) in one_line(again.stdout)

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

    @pytest.mark.parametrize(
        ("own", "server", "line"),
        [
            (0, 120, rate_limit_off("demo")),
            (
                0,
                500,
                "Rate limit: off for the demo site; `syllabus sites update demo --rate-limit "
                "default` gives it the server's setting (500 requests a minute).",
            ),
            (
                0,
                0,
                "Rate limit: off for the demo site; `syllabus sites update demo --rate-limit "
                "default` gives it the server's setting (off).",
            ),
            (None, 120, rate_limit_on("demo", 120)),
            (30, 0, rate_limit_on("demo", 30)),
            (None, 0, "Rate limit: off (the server's setting)."),
        ],
    )
    def test_the_banner_says_what_limits_the_site(
        self, own: int | None, server: int, line: str
    ) -> None:
        assert rate_limit_line("demo", own, server) == line

    def test_an_invalid_subdomain_fails(self, cli: Run, tmp_path: Path) -> None:
        result = cli("demo", "Bad Name", "--key-file", str(tmp_path / "k"))

        assert result.exit_code == 1
        assert "invalid subdomain" in result.stderr
        assert not (tmp_path / "k").exists()


def printed_admin_token(output: str, host: str = "127.0.0.1", port: int = 8000) -> str:
    """The ``admin_token:`` line, checked against the control-plane curl line printed beside it."""
    match = re.search(r"^admin_token: (\S+)$", output, re.MULTILINE)
    assert match, output
    token = match.group(1)
    curl = f"curl -s http://{host}:{port}/_syllabus/sites -H 'Authorization: Bearer {token}'"
    assert f"\n{curl}\n" in output
    return token


def demo_with_token_file(
    cli: Run, subdomain: str, token_file: Path, *options: str, env: dict[str, str] | None = None
) -> Result:
    """``syllabus demo --admin-token-file token_file`` (its key kept beside), succeeding."""
    key_file = token_file.with_name("demo.key")
    arguments = ["demo", subdomain, "--key-file", str(key_file), "--admin-token-file"]
    result = cli(*arguments, str(token_file), *options, env=env)
    assert result.exit_code == 0, result.output
    return result


class TestAdminToken:
    """``make serve`` opens the control plane: ``syllabus demo --admin-token-file`` generates a
    token once and keeps it, unless ``SYLLABUS_ADMIN_TOKEN`` already names one."""

    def test_generates_a_token_once_and_keeps_it(
        self, cli: Run, subdomain: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("SYLLABUS_ADMIN_TOKEN", raising=False)
        token_file = tmp_path / "var" / "admin-token"

        first = demo_with_token_file(cli, subdomain, token_file, "--port", "9123")

        token = printed_admin_token(first.stdout, port=9123)
        assert re.fullmatch(r"[0-9a-f]{64}", token)
        assert token_file.read_text().strip() == token
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert f"Admin token generated and kept in {token_file}" in one_line(first.stdout)

        second = demo_with_token_file(cli, subdomain, token_file)

        assert printed_admin_token(second.stdout) == token
        assert f"Admin token kept in {token_file}" in one_line(second.stdout)

    @pytest.mark.parametrize("content", ["", "\n", "two words\n"])
    def test_replaces_a_file_that_holds_no_usable_token(
        self,
        cli: Run,
        subdomain: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        content: str,
    ) -> None:
        monkeypatch.delenv("SYLLABUS_ADMIN_TOKEN", raising=False)
        token_file = tmp_path / "admin-token"
        token_file.write_text(content)
        result = demo_with_token_file(cli, subdomain, token_file)
        assert token_file.read_text().strip() == printed_admin_token(result.stdout)

    def test_a_configured_token_is_printed_and_no_file_is_made(
        self, cli: Run, subdomain: str, database_url: str, tmp_path: Path
    ) -> None:
        token_file = tmp_path / "admin-token"
        result = demo_with_token_file(
            cli,
            subdomain,
            token_file,
            "--database-url",
            database_url,
            env={"SYLLABUS_ADMIN_TOKEN": "given-token"},
        )
        assert printed_admin_token(result.stdout) == "given-token"
        assert not token_file.exists()

    def test_without_a_token_or_a_file_the_control_plane_is_said_closed(
        self, cli: Run, subdomain: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("SYLLABUS_ADMIN_TOKEN", raising=False)
        result = cli("demo", subdomain, "--key-file", str(tmp_path / "k"))
        assert result.exit_code == 0, result.output
        assert "admin_token" not in result.stdout
        assert "The control plane (/_syllabus/) is closed: set SYLLABUS_ADMIN_TOKEN." in one_line(
            result.stdout
        )


MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


@contextmanager
def make_serve(
    tmp_path: Path, database_url: str, subdomain: str, env: dict[str, str]
) -> Iterator[tuple[Server, str]]:
    """``make serve`` run in ``tmp_path`` (its ``var/``) on a free port, with this venv's
    ``syllabus`` (``-o``: never reinstalled): the server, once it answers, and what make printed."""
    port = free_port()
    bin_dir = SYLLABUS.parent
    log = tmp_path / "make-serve.log"
    command = [
        "make", "--no-print-directory", "-f", str(MAKEFILE), "-o", str(bin_dir / "syllabus"),
        "serve", f"BIN={bin_dir}", f"PORT={port}", "HOST=127.0.0.1", f"DEMO={subdomain}",
    ]  # fmt: skip
    environment = {**os.environ, "SYLLABUS_DATABASE_URL": database_url}
    environment.pop("SYLLABUS_ADMIN_TOKEN", None)
    environment.update(env)
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,  # its own process group: make, and the server it starts
        )
    server = Server(process, port, log)
    try:
        assert wait_until_serving(server), server.log_tail()
        yield server, log.read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def control_plane_status(server: Server, token: str | None) -> int:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{server.url}/_syllabus/sites", headers=headers, timeout=10).status_code


class TestServe:
    def test_make_serve_opens_the_control_plane(
        self, tmp_path: Path, database_url: str, subdomain: str
    ) -> None:
        token_file = tmp_path / "var" / "admin-token"
        # No SYLLABUS_ADMIN_TOKEN: one is generated, kept in var/, printed and given the server.
        with make_serve(tmp_path, database_url, subdomain, {}) as (server, printed):
            token = printed_admin_token(printed, port=server.port)
            assert token_file.read_text().strip() == token
            assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
            assert control_plane_status(server, token) == 200
            assert control_plane_status(server, None) == 401
            # The server limits sites to Thinkific's 120 a minute; the demo site is off.
            assert rate_limit_off(subdomain) in one_line(printed)
            key = demo_key(printed, subdomain, port=server.port)
            headers = {"X-Auth-API-Key": key, "X-Auth-Subdomain": subdomain}
            with httpx.Client(base_url=f"{server.url}/api/public/v1", timeout=10) as client:
                codes = {client.get("/courses", headers=headers).status_code for _ in range(121)}
            assert codes == {200}
        # A configured token wins, and the kept one is left as it is.
        env = {"SYLLABUS_ADMIN_TOKEN": "configured-token"}
        with make_serve(tmp_path, database_url, subdomain, env) as (server, printed):
            assert printed_admin_token(printed, port=server.port) == "configured-token"
            assert control_plane_status(server, "configured-token") == 200
            assert control_plane_status(server, token) == 401
        assert token_file.read_text().strip() == token
        (tmp_path / key_file_for(database_url, subdomain)).unlink(missing_ok=True)

    def test_syllabus_serve_alone_keeps_the_control_plane_closed(
        self, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("SYLLABUS_ADMIN_TOKEN", raising=False)
        server = start_server(database_url, tmp_path / "serve.log")
        try:
            assert control_plane_status(server, None) == 401
            assert control_plane_status(server, "anything") == 401
        finally:
            server.kill()
