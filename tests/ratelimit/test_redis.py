"""Several processes, one budget: ``SYLLABUS_REDIS_URL`` (a Lua script per request, keyed by the
site's global id). When Redis is down, each process counts on its own and says so once."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from redis.exceptions import ConnectionError as RedisConnectionError

from syllabus.db import Database
from syllabus.ratelimit.limiter import Admitted, Refused
from syllabus.ratelimit.shared import RedisLimiter
from tests.ratelimit.conftest import RATE_LIMITED, Timed, assert_refused, site_on
from tests.servers import Server, free_port, start_server
from tests.support import PREFIX, SiteClient, assert_answers

UNAVAILABLE = "is unavailable"


def get(server: Server, site: SiteClient) -> Timed:
    sent = time.time()
    response = httpx.get(f"{server.url}{PREFIX}/users?limit=1", headers=site.headers, timeout=10)
    return Timed(response, sent, time.time())


def test_two_processes_with_redis_share_one_budget(
    http: TestClient, database: Database, database_url: str, tmp_path: Path, redis_url: str
) -> None:
    env = {"SYLLABUS_REDIS_URL": redis_url, "SYLLABUS_RATE_LIMIT_PER_MINUTE": "120"}
    a = start_server(database_url, tmp_path / "a.log", env=env)
    try:
        b = start_server(database_url, tmp_path / "b.log", env=env)
        try:
            site = site_on(http, database)
            before = time.time()
            first = get(a, site)
            after = time.time()
            assert first.status == 200, first.response.text
            assert [get((b, a)[n % 2], site).status for n in range(119)] == [200] * 119

            # The 121st of the minute across both, on either: refused until the first leaves.
            assert_refused(get(b, site), reset_from=before + 60, reset_to=after + 60)
            assert_refused(get(a, site), reset_from=before + 60, reset_to=after + 60)
            for server in (a, b):
                assert UNAVAILABLE not in server.log_tail(200)
        finally:
            b.kill()
    finally:
        a.kill()


def test_without_redis_each_process_has_its_own_budget(
    http: TestClient, database: Database, database_url: str, tmp_path: Path
) -> None:
    env = {"SYLLABUS_RATE_LIMIT_PER_MINUTE": "2"}
    a = start_server(database_url, tmp_path / "a.log", env=env)
    try:
        b = start_server(database_url, tmp_path / "b.log", env=env)
        try:
            site = site_on(http, database)
            assert [get(a, site).status for _ in range(3)] == [200, 200, 429]
            assert [get(b, site).status for _ in range(3)] == [200, 200, 429]
        finally:
            b.kill()
    finally:
        a.kill()


def test_with_redis_down_the_server_counts_in_process_and_warns_once(
    http: TestClient, database: Database, database_url: str, tmp_path: Path
) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    env = {"SYLLABUS_REDIS_URL": closed, "SYLLABUS_RATE_LIMIT_PER_MINUTE": "3"}
    server = start_server(database_url, tmp_path / "server.log", env=env)
    try:
        site = site_on(http, database)

        answers = [get(server, site) for _ in range(5)]

        assert [answer.status for answer in answers] == [200, 200, 200, 429, 429]
        assert_answers(answers[3].response, 429, RATE_LIMITED)
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
        log = server.log_tail(500)
        assert log.count(UNAVAILABLE) == 1, log
        assert f"Redis at {closed} is unavailable" in log
    finally:
        server.kill()


def test_an_outage_is_logged_once_and_its_end_once(
    redis_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retried on every request (no pause), a Redis that keeps failing is still reported once;
    the request is counted in the process meanwhile."""
    site = f"test-{time.time_ns()}"

    async def run() -> list[Admitted | Refused]:
        limiter = RedisLimiter(redis_url, retry_seconds=0)
        working = limiter._admit

        async def failing(**_: object) -> int:
            raise RedisConnectionError("connection refused")

        try:
            monkeypatch.setattr(limiter, "_admit", failing)
            outcomes = [await limiter.admit(site, 0.0, 2, 0) for _ in range(3)]
            monkeypatch.setattr(limiter, "_admit", working)
            outcomes.append(await limiter.admit(site, 0.0, 2, 0))
            return outcomes
        finally:
            await limiter.close()

    with caplog.at_level(logging.WARNING, logger="syllabus.ratelimit"):
        outcomes = asyncio.run(run())

    # Counted in the process while Redis failed (two a minute), then by Redis (a fresh budget).
    assert [isinstance(outcome, Admitted) for outcome in outcomes] == [True, True, False, True]
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith(f"Redis at {redis_url} is unavailable (connection refused)")
    assert messages[1] == f"Redis at {redis_url} answers again: rate limits are shared"
