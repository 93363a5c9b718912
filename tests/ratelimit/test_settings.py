"""``SYLLABUS_RATE_LIMIT_PER_MINUTE`` / ``--rate-limit``, ``SYLLABUS_MAX_IN_FLIGHT`` /
``--max-in-flight`` and ``SYLLABUS_REDIS_URL`` / ``--redis-url``: as the environment and
``syllabus serve`` give them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from syllabus.config import Settings
from syllabus.db import Database
from tests.cli.conftest import one_line
from tests.ratelimit.conftest import site_on
from tests.servers import SYLLABUS, free_port, start_server
from tests.support import PREFIX

SETTINGS = ("SYLLABUS_RATE_LIMIT_PER_MINUTE", "SYLLABUS_MAX_IN_FLIGHT", "SYLLABUS_REDIS_URL")


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_defaults_are_thinkifics(environment: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert (settings.rate_limit_per_minute, settings.max_in_flight, settings.redis_url) == (
        120,
        10,
        None,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("off", 0), ("OFF", 0), (" none ", 0), ("false", 0), ("0", 0), ("1", 1), ("1000", 1000)],
)
def test_the_environment_sets_the_limits(
    environment: pytest.MonkeyPatch, text: str, value: int
) -> None:
    environment.setenv("SYLLABUS_RATE_LIMIT_PER_MINUTE", text)
    environment.setenv("SYLLABUS_MAX_IN_FLIGHT", text)
    environment.setenv("SYLLABUS_REDIS_URL", "redis://127.0.0.1:6379/3")
    settings = Settings()
    assert (settings.rate_limit_per_minute, settings.max_in_flight, settings.redis_url) == (
        value,
        value,
        "redis://127.0.0.1:6379/3",
    )


@pytest.mark.parametrize("text", ["-1", "lots", "1.5", ""])
@pytest.mark.parametrize("name", ["SYLLABUS_RATE_LIMIT_PER_MINUTE", "SYLLABUS_MAX_IN_FLIGHT"])
def test_a_bad_limit_is_refused(environment: pytest.MonkeyPatch, name: str, text: str) -> None:
    environment.setenv(name, text)
    with pytest.raises(ValidationError):
        Settings()


def test_serve_rate_limit_flag_limits_each_site(
    http: TestClient, database: Database, database_url: str, tmp_path: Path
) -> None:
    # start_server sets SYLLABUS_RATE_LIMIT_PER_MINUTE=off: the flag wins over the environment.
    server = start_server(database_url, tmp_path / "serve.log", arguments=["--rate-limit", "2"])
    try:
        site = site_on(http, database)
        url = f"{server.url}{PREFIX}/users"
        codes = [httpx.get(url, headers=site.headers, timeout=10).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
    finally:
        server.kill()


def test_serve_says_that_workers_without_redis_count_on_their_own(
    database_url: str, tmp_path: Path
) -> None:
    server = start_server(
        database_url, tmp_path / "serve.log", arguments=["--workers", "2", "--rate-limit", "120"]
    )
    try:
        assert (
            "rate limits are per process: each of the 2 workers allows 120 requests a minute per "
            "site (set SYLLABUS_REDIS_URL to share one budget)"
        ) in one_line(server.log_tail(200))
    finally:
        server.kill()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--rate-limit", "lots"],
            "invalid SYLLABUS_RATE_LIMIT_PER_MINUTE 'lots': Input should be a valid integer",
        ),
        (
            ["--max-in-flight", "-1"],
            "invalid SYLLABUS_MAX_IN_FLIGHT '-1': Input should be greater than or equal to 0",
        ),
    ],
)
def test_serve_refuses_a_bad_flag_before_it_starts(
    database_url: str, arguments: list[str], message: str
) -> None:
    command = [str(SYLLABUS), "serve", "--port", str(free_port()), "--database-url", database_url]
    finished = subprocess.run(
        [*command, *arguments], capture_output=True, text=True, timeout=60, check=False
    )
    assert finished.returncode == 1, finished.stdout + finished.stderr
    assert message in one_line(finished.stderr)
    assert "Syllabus serving" not in finished.stdout
