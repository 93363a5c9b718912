"""``syllabus faults add|list|clear``: rules written to the database, which running servers
apply within a second."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from syllabus.cli import app
from tests.faults.helpers import faults, rule
from tests.support import PREFIX, SiteClient

Run = Callable[..., Result]


@pytest.fixture
def cli(database_url: str) -> Run:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, [*args, "--database-url", database_url])

    return run


def one_line(text: str) -> str:
    return " ".join(text.split())


def status_within(site: SiteClient, expected: int, seconds: float = 3.0) -> int:
    """The status of ``GET /users`` once it is ``expected`` (or when ``seconds`` ran out)."""
    deadline = time.monotonic() + seconds
    while True:
        status = site.http.get(f"{PREFIX}/users", headers=site.headers).status_code
        if status == expected or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def test_add_writes_a_rule_the_server_applies(cli: Run, site: SiteClient) -> None:
    assert site.get("/users").status_code == 200
    result = cli(
        "faults", "add", site.subdomain, "--method", "GET", "--path", "/users",
        "--action", "status", "--status", "503", "--times", "2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [added] = faults(site)
    assert added == rule(added, method="GET", path="/users", status=503, times=2, remaining=2)
    assert (
        one_line(result.stdout) == f"fault {added['id']} added: GET /users: status 503, 2 of 2 left"
    )
    assert status_within(site, 503) == 503


@pytest.mark.parametrize(
    ("arguments", "printed", "expected"),
    [
        (
            ["--action", "commit_then_fail", "--method", "POST", "--path", "/enrollments"],
            "POST /enrollments: commit then fail, every time",
            {"method": "POST", "path": "/enrollments", "action": "commit_then_fail"},
        ),
        (
            ["--action", "delay", "--delay-ms", "250", "--probability", "0.5", "--seed", "9"],
            "any *: delay 250 ms, probability 0.5, seed 9",
            {"action": "delay", "delay_ms": 250, "probability": 0.5, "seed": 9},
        ),
        (
            ["--action", "drop", "--delay-ms", "100", "--times", "1"],
            "any *: wait 100 ms, then drop, 1 of 1 left",
            {"action": "drop", "delay_ms": 100, "times": 1, "remaining": 1},
        ),
    ],
)
def test_add_every_kind_of_rule(
    cli: Run, site: SiteClient, arguments: list[str], printed: str, expected: dict[str, object]
) -> None:
    result = cli("faults", "add", site.subdomain, *arguments)
    assert result.exit_code == 0, result.output
    [added] = faults(site)
    assert added == rule(added, **expected)
    assert one_line(result.stdout) == f"fault {added['id']} added: {printed}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--action", "status"], "status: can't be blank"),
        (["--action", "status", "--status", "418"], "status: must be 429, 500, 502 or 503"),
        (["--action", "delay"], "delay_ms: can't be blank"),
        (
            ["--action", "drop", "--times", "0"],
            "--times: Input should be greater than or equal to 1",
        ),
        (
            ["--action", "delay", "--delay-ms", "60001"],
            "--delay-ms: Input should be less than or equal to 60000",
        ),
        (
            ["--action", "drop", "--times", "1", "--probability", "0.5"],
            "probability: cannot be set with times",
        ),
        (["--action", "drop", "--path", "users"], "path: must start with / or *"),
    ],
)
def test_add_refuses_a_bad_rule(
    cli: Run, site: SiteClient, arguments: list[str], message: str
) -> None:
    result = cli("faults", "add", site.subdomain, *arguments)
    assert result.exit_code == 1
    assert message in one_line(result.output)
    assert faults(site) == []


def test_an_unknown_action_is_a_usage_error(cli: Run, site: SiteClient) -> None:
    result = cli("faults", "add", site.subdomain, "--action", "explode")
    assert result.exit_code == 2
    assert faults(site) == []


def test_list_and_clear(cli: Run, site: SiteClient, other_site: SiteClient) -> None:
    assert cli("faults", "list", site.subdomain).stdout.strip() == "no fault rules"
    cli(
        "faults",
        "add",
        site.subdomain,
        "--action",
        "status",
        "--status",
        "502",
        "--path",
        "/users/*",
    )
    cli("faults", "add", other_site.subdomain, "--action", "drop")
    listed = cli("faults", "list", site.subdomain)
    assert listed.exit_code == 0, listed.output
    [row] = [line for line in listed.stdout.splitlines() if "/users/*" in line]
    cells = [cell.strip() for cell in row.strip().strip("│").split("│")]
    assert cells[1:] == ["any", "/users/*", "status", "502", "", "always", "0"]
    cleared = cli("faults", "clear", site.subdomain)
    assert cleared.exit_code == 0, cleared.output
    assert one_line(cleared.stdout) == f"fault rules of {site.subdomain} cleared"
    assert faults(site) == []
    assert len(faults(other_site)) == 1


@pytest.mark.parametrize("command", [["list"], ["clear"], ["add", "--action", "drop"]])
def test_an_unknown_site_is_an_error(cli: Run, command: list[str]) -> None:
    name, *options = command
    result = cli("faults", name, "nobody-here", *options)
    assert result.exit_code == 1
    assert "no site 'nobody-here'" in result.output
