"""``syllabus requests``: the journal from the shell, and ``--follow``, its live tail."""

from __future__ import annotations

import re
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from syllabus.cli import app
from syllabus.models import JournalEntry
from tests.deliveries.helpers import run_command
from tests.journal.helpers import ADMIN, entries
from tests.support import PREFIX, SiteClient

Run = Callable[..., Result]
USER = (
    b'{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","password":"pw123456"}'
)
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def cli(database_url: str) -> Run:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, [*args, "--database-url", database_url])

    return run


def lines(result: Result) -> list[str]:
    return [" ".join(line.split()) for line in result.stdout.splitlines()]


@pytest.fixture
def journaled(site: SiteClient) -> SiteClient:
    """A site with four requests journaled (and written: a control-plane read flushes)."""
    assert site.post("/users", content=USER, headers=JSON).status_code == 201
    site.get("/users", params={"limit": 1})
    site.get("/users/00")
    site.http.get("/api/v2/webhooks", headers=site.headers)
    assert len(entries(site)) == 4
    return site


# A journal line, its time and latency replaced: what every test can know.
TIME = re.compile(r"^\d\d:\d\d:\d\d\.\d\d\d ")
LATENCY = re.compile(r" \d+\.\d ms ")


def requests(result: Result) -> list[str]:
    """The printed requests, with ``HH:MM:SS.mmm`` as ``T`` and the latency as ``N ms``."""
    found = []
    for line in lines(result):
        if TIME.match(line):
            found.append(LATENCY.sub(" N ms ", TIME.sub("T ", line)))
    return found


def test_lists_the_newest_requests_oldest_first(cli: Run, journaled: SiteClient) -> None:
    result = cli("requests", journaled.subdomain)
    assert result.exit_code == 0, result.output
    assert requests(result) == [
        "T POST /users 201 N ms api_key",
        "T GET /users?limit=1 200 N ms api_key",
        "T GET /users/00 404 N ms api_key",
        "T GET /api/v2/webhooks 200 N ms api_key",
    ]
    assert len(lines(result)) == 4


def test_filters_and_limits(cli: Run, journaled: SiteClient) -> None:
    posts = cli("requests", journaled.subdomain, "--method", "post", "--path", "/users")
    assert requests(posts) == ["T POST /users 201 N ms api_key"]
    missing = cli("requests", journaled.subdomain, "--status", "404", "--path", "/users/*")
    assert requests(missing) == ["T GET /users/00 404 N ms api_key"]
    newest = cli("requests", journaled.subdomain, "--limit", "2")
    assert requests(newest) == [
        "T GET /users/00 404 N ms api_key",
        "T GET /api/v2/webhooks 200 N ms api_key",
    ]
    nothing = cli("requests", journaled.subdomain, "--path", "/courses*")
    assert nothing.exit_code == 0, nothing.output
    assert nothing.stdout.strip() == "no requests"


def test_a_fault_and_a_drop_are_shown(cli: Run, site: SiteClient) -> None:
    faulted = site.http.post(
        f"/_syllabus/sites/{site.subdomain}/faults",
        json={"action": "status", "status": 503, "times": 1},
        headers=ADMIN,
    )
    assert faulted.status_code == 201
    site.http.get(f"{PREFIX}/users", headers=site.headers)
    entries(site)
    site.db(lambda session: session.add(dropped_entry(site.id)))
    assert requests(cli("requests", site.subdomain)) == [
        "T GET /users 503 N ms api_key fault: status",
        "T POST /enrollments dropped N ms oauth fault: drop",
    ]


def dropped_entry(site_id: int) -> JournalEntry:
    """What the journal records of a dropped connection (tests/faults makes a real one)."""
    return JournalEntry(
        site_id=site_id,
        created_at=datetime.now(UTC),
        api="admin",
        method="POST",
        path="/enrollments",
        query="",
        status=None,
        latency_ms=2.5,
        credential="oauth",
        fault="drop",
        request_body=None,
        request_truncated=False,
        response_body=None,
        response_truncated=False,
    )


def test_bodies_are_printed_redacted(cli: Run, journaled: SiteClient) -> None:
    result = cli("requests", journaled.subdomain, "--method", "POST", "--bodies")
    assert result.exit_code == 0, result.output
    text = "\n".join(lines(result))
    assert requests(result) == ["T POST /users 201 N ms api_key"]
    assert '"password": "[REDACTED]"' in text
    assert "pw123456" not in text
    assert '"email": "ada@example.com"' in text


def test_an_unknown_site_is_an_error(cli: Run) -> None:
    result = cli("requests", "nobody-here")
    assert result.exit_code == 1
    assert "no site 'nobody-here'" in result.output


def test_follow_prints_each_new_request_until_ctrl_c(
    journaled: SiteClient, database_url: str, tmp_path: Path
) -> None:
    command = run_command(
        tmp_path / "follow.log",
        "requests",
        journaled.subdomain,
        "--follow",
        "--path",
        "/courses*",
        "--database-url",
        database_url,
    )
    try:
        command.wait_for_output("following (Ctrl-C to stop)")
        journaled.get("/courses", params={"page": 2})
        journaled.get("/users")  # not followed: another path
        entries(journaled)  # written now, rather than within a second
        output = command.wait_for_output("/courses?page=2")
        assert "/users" not in output
    finally:
        code = command.stop(signal.SIGINT)
    assert code == 0, command.output()
