"""Rate-limit fixtures: apps held to chosen limits, sites on them, Redis when it answers.

Requests that may be refused go through ``call``, not ``SiteClient.get``: the Admin API's OpenAPI
document does not list 429 for its operations.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import httpx
import pytest
import redis
from fastapi.testclient import TestClient

from syllabus.config import THINKIFIC_MAX_IN_FLIGHT, THINKIFIC_RATE_LIMIT, Settings
from syllabus.db import Database
from syllabus.main import create_app
from tests.support import PREFIX, SiteClient, assert_answers, new_site

ADMIN_TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
RATE_LIMITED = {"error": "Rate Limit Exceeded"}
# Redis as tests and CI run it; the keys of each test are its sites' global ids.
REDIS_URL = "redis://127.0.0.1:6379/9"

LimitedApp = Callable[..., TestClient]


@pytest.fixture
def limited(database_url: str) -> Iterator[LimitedApp]:
    """``limited(per_minute, in_flight, redis_url)``: a test client on an app of its own, held to
    those limits (Thinkific's by default), stopped after the test."""
    with ExitStack() as stack:

        def build(
            per_minute: int = THINKIFIC_RATE_LIMIT,
            in_flight: int = THINKIFIC_MAX_IN_FLIGHT,
            redis_url: str | None = None,
        ) -> TestClient:
            settings = Settings(
                database_url=database_url,
                admin_token=ADMIN_TOKEN,
                rate_limit_per_minute=per_minute,
                max_in_flight=in_flight,
                redis_url=redis_url,
            )
            # A database of its own: the app's lifespan disposes it.
            app = create_app(settings, Database(database_url))
            return stack.enter_context(TestClient(app, raise_server_exceptions=False))

        yield build


def site_on(client: TestClient, database: Database) -> SiteClient:
    """A new site whose requests go to ``client``'s app."""
    return new_site(client, database, f"rl{uuid.uuid4().hex[:14]}")


@pytest.fixture
def redis_url() -> str:
    """``REDIS_URL``, or the test is skipped when Redis does not answer there."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at 127.0.0.1:6379 does not answer: {error}")
    finally:
        client.close()
    return REDIS_URL


@dataclass(frozen=True)
class Timed:
    """A response and the wall-clock moments (epoch seconds) its request was sent and answered."""

    response: httpx.Response
    sent: float
    received: float

    @property
    def status(self) -> int:
        return self.response.status_code


def call(site: SiteClient, path: str = "/users?limit=1", *, prefix: str = PREFIX) -> Timed:
    """One GET with the site's credentials, timed."""
    sent = time.time()
    response = site.http.get(prefix + path, headers=site.headers)
    return Timed(response, sent, time.time())


def statuses(site: SiteClient, count: int, path: str = "/users?limit=1") -> list[int]:
    return [call(site, path).status for _ in range(count)]


def set_own_limit(site: SiteClient, value: object) -> httpx.Response:
    """PATCH the site's own rate limit through the control plane."""
    return site.http.patch(
        f"/_syllabus/sites/{site.subdomain}",
        json={"rate_limit_per_minute": value},
        headers=ADMIN,
    )


def move_clock(site: SiteClient, **body: object) -> None:
    response = site.http.put(f"/_syllabus/sites/{site.subdomain}/clock", json=body, headers=ADMIN)
    assert response.status_code == 200, response.text


def assert_refused(timed: Timed, *, reset_from: float, reset_to: float) -> None:
    """429 with Thinkific's body; ``RateLimit-Reset`` is the epoch milliseconds of a moment within
    ``[reset_from, reset_to]`` (epoch seconds; ``reset_to`` widened by the request's own time), and
    ``Retry-After`` the whole seconds from the answer to it, rounded up."""
    assert_answers(timed.response, 429, RATE_LIMITED)
    reset_ms = int(timed.response.headers["RateLimit-Reset"])
    latest = reset_to + (timed.received - timed.sent)
    assert math.floor(reset_from * 1000) <= reset_ms <= math.ceil(latest * 1000) + 1, (
        reset_from,
        reset_ms / 1000,
        latest,
    )
    reset = reset_ms / 1000
    retry = int(timed.response.headers["Retry-After"])
    assert (
        max(1, math.ceil(reset - timed.received - 0.002))
        <= retry
        <= max(1, math.ceil(reset - timed.sent))
    ), (retry, reset - timed.received, reset - timed.sent)
