"""At most ``SYLLABUS_MAX_IN_FLIGHT`` requests of a site are answered at once (FIDELITY §5.1,
§10 #17). The ``RateLimit`` middleware is driven directly, in front of a downstream app that holds
every request until the test lets it go, so "in flight" is exact rather than a matter of timing.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
import pytest
import redis
from starlette.types import Receive, Scope, Send

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.models import Site
from syllabus.ratelimit.middleware import RateLimit
from syllabus.ratelimit.shared import keys
from tests.ratelimit.conftest import Timed, assert_refused
from tests.support import PREFIX, SiteClient

WAIT_SECONDS = 10.0


class Held:
    """A downstream app: each request waits for ``release`` and then answers 200 ``{}``."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.entered = 0
        self._arrivals = asyncio.Condition()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with self._arrivals:
            self.entered += 1
            self._arrivals.notify_all()
        await self.release.wait()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    async def until_entered(self, count: int) -> None:
        async def arrived() -> None:
            async with self._arrivals:
                await self._arrivals.wait_for(lambda: self.entered >= count)

        await asyncio.wait_for(arrived(), WAIT_SECONDS)


@dataclass
class Outcome:
    refused: Timed
    # Requests the downstream app had seen when the third was refused.
    entered: int
    held: list[int]
    after: int
    over: int


async def exercise(site: SiteClient, settings: Settings, database: Database) -> Outcome:
    """Hold two requests; a third is refused; once they end, one more fits the window of three
    (the refused one took no place in it), and the next does not."""
    held = Held()
    middleware = RateLimit(held, settings=settings, database=database)
    transport = httpx.ASGITransport(app=middleware)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def get() -> httpx.Response:
                return await client.get(f"{PREFIX}/users", headers=site.headers)

            first = [asyncio.create_task(get()) for _ in range(2)]
            await held.until_entered(2)
            sent = time.time()
            refused = Timed(await asyncio.wait_for(get(), WAIT_SECONDS), sent, time.time())
            entered = held.entered
            held.release.set()
            done = await asyncio.wait_for(asyncio.gather(*first), WAIT_SECONDS)
            after, over = (await get()).status_code, (await get()).status_code
    finally:
        await middleware.limiter.close()
    return Outcome(refused, entered, [r.status_code for r in done], after, over)


@pytest.mark.parametrize("where", ["in process", "redis"])
def test_at_most_max_in_flight_requests_are_answered_at_once(
    request: pytest.FixtureRequest,
    site: SiteClient,
    database_url: str,
    where: str,
) -> None:
    redis_url = request.getfixturevalue("redis_url") if where == "redis" else None
    settings = Settings(
        database_url=database_url, rate_limit_per_minute=3, max_in_flight=2, redis_url=redis_url
    )
    database = Database(database_url)
    try:
        outcome = asyncio.run(exercise(site, settings, database))
    finally:
        database.dispose()

    # Come back in a second.
    refused = outcome.refused
    assert_refused(refused, reset_from=refused.sent + 1, reset_to=refused.sent + 1)
    assert refused.response.headers["Retry-After"] == "1"
    assert outcome.entered == 2  # the refused request never reached the app
    assert outcome.held == [200, 200]
    assert (outcome.after, outcome.over) == (200, 429)
    if redis_url is not None:
        # Counted in Redis: three in the window, none left in flight.
        window, flying = keys(site.db(lambda s: s.get_one(Site, site.id).global_id))
        client = redis.Redis.from_url(redis_url)
        try:
            assert (client.zcard(window), client.zcard(flying)) == (3, 0)
        finally:
            client.close()


def test_without_a_cap_requests_in_flight_are_not_counted(
    site: SiteClient, database_url: str
) -> None:
    settings = Settings(database_url=database_url, rate_limit_per_minute=3, max_in_flight=0)
    database = Database(database_url)

    async def three_at_once() -> list[int]:
        held = Held()
        middleware = RateLimit(held, settings=settings, database=database)
        transport = httpx.ASGITransport(app=middleware)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            tasks = [
                asyncio.create_task(client.get(f"{PREFIX}/users", headers=site.headers))
                for _ in range(3)
            ]
            await held.until_entered(3)
            held.release.set()
            done = await asyncio.wait_for(asyncio.gather(*tasks), WAIT_SECONDS)
        return [response.status_code for response in done]

    try:
        assert asyncio.run(three_at_once()) == [200, 200, 200]
    finally:
        database.dispose()
