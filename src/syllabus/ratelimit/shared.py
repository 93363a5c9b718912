"""``RedisLimiter``: one rate-limit budget for every process pointed at the same Redis
(``SYLLABUS_REDIS_URL``). Its own module, imported only when Redis is configured
(``limiter.limiter_for``): the Redis client is a twentieth of a server's startup."""

from __future__ import annotations

import itertools
import secrets
import time
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from syllabus.ratelimit.limiter import (
    IN_FLIGHT_WAIT_SECONDS,
    KEY_PREFIX,
    REDIS_RETRY_SECONDS,
    REDIS_TIMEOUT_SECONDS,
    UNCAPPED,
    Admitted,
    Limiter,
    LocalLimiter,
    Refused,
    logger,
)

# One atomic step per request, on Redis's clock (TIME). KEYS: the site's window (request ids
# scored by the site's clock, in ms) and its requests in flight (ids scored by the wall clock, in
# ms; older than 60 s, an entry is dead: a killed process never gave it back). ARGV: the site's
# clock offset in ms, per_minute, the in-flight cap (0: none), the request's id. Answers 0 when
# admitted, else the ms to wait for the window, or -1 for too many in flight.
_ADMIT = """
redis.replicate_commands()  -- Redis < 7: writes may follow TIME (7 always replicates effects)
local window, flying = KEYS[1], KEYS[2]
local time = redis.call('TIME')
local wall = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local now = wall + tonumber(ARGV[1])
local edge = now - 60000
redis.call('ZREMRANGEBYSCORE', window, '-inf', edge)
-- The site's clock moved back: what was logged after its new "now" has not happened yet.
redis.call('ZREMRANGEBYSCORE', window, '(' .. now, '+inf')
if redis.call('ZCARD', window) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', window, 0, 0, 'WITHSCORES')
  return math.max(1, math.ceil(tonumber(oldest[2]) - edge))
end
if tonumber(ARGV[3]) > 0 then
  redis.call('ZREMRANGEBYSCORE', flying, '-inf', wall - 60000)
  if redis.call('ZCARD', flying) >= tonumber(ARGV[3]) then
    return -1
  end
  redis.call('ZADD', flying, wall, ARGV[4])
  redis.call('PEXPIRE', flying, 60000)
end
redis.call('ZADD', window, now, ARGV[4])
redis.call('PEXPIRE', window, 60000)
return 0
"""


def keys(site: str) -> tuple[str, str]:
    """The site's two Redis keys. ``site`` is its global id (a UUID), so that sites of different
    databases sharing one Redis never share a budget; the braces keep both on one cluster slot."""
    return f"{KEY_PREFIX}:{{{site}}}:window", f"{KEY_PREFIX}:{{{site}}}:in_flight"


def _where(url: str) -> str:
    """The URL without its credentials, for logs."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"


class RedisLimiter(Limiter):
    """One budget for every process pointed at the same Redis: one Lua script per request, and
    one ``ZREM`` when a capped request ends.

    When Redis fails or is slow, requests are counted in this process (``fallback``) and Redis is
    left alone for ``retry_seconds``; the outage is logged once, and its end once.
    """

    def __init__(self, url: str, *, retry_seconds: float = REDIS_RETRY_SECONDS) -> None:
        self._redis = Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),
        )
        self._admit = self._redis.register_script(_ADMIT)
        self._where = _where(url)
        self._retry_seconds = retry_seconds
        self.fallback = LocalLimiter()
        # Monotonic time before which Redis is not tried again; None while it answers.
        self._down_until: float | None = None
        self._ids = itertools.count()
        self._process = secrets.token_hex(8)

    async def admit(
        self, site: str, offset: float, per_minute: int, in_flight: int
    ) -> Admitted | Refused:
        if self._down_until is not None and time.monotonic() < self._down_until:
            return self.fallback.admit_now(site, offset, per_minute, in_flight)
        slot = f"{self._process}:{next(self._ids)}"
        arguments = (round(offset * 1000), per_minute, in_flight, slot)
        try:
            wait_ms = int(await self._admit(keys=keys(site), args=arguments))
        except (RedisError, OSError) as error:
            self._failed(error)
            return self.fallback.admit_now(site, offset, per_minute, in_flight)
        self._answered()
        if wait_ms > 0:
            return Refused(wait_ms / 1000)
        if wait_ms < 0:
            return Refused(IN_FLIGHT_WAIT_SECONDS)
        return Admitted(self, site, slot) if in_flight else UNCAPPED

    async def release(self, admitted: Admitted) -> None:
        try:
            await self._redis.zrem(keys(admitted.site)[1], admitted.slot)
        except (RedisError, OSError) as error:
            # The entry is dead in 60 s anyway.
            self._failed(error)

    async def close(self) -> None:
        await self._redis.aclose()

    def _failed(self, error: Exception) -> None:
        if self._down_until is None:
            logger.warning(
                "Redis at %s is unavailable (%s): rate limits are counted per process until it "
                "answers again (retrying every %g s)",
                self._where,
                error,
                self._retry_seconds,
            )
        self._down_until = time.monotonic() + self._retry_seconds

    def _answered(self) -> None:
        if self._down_until is not None:
            self._down_until = None
            logger.warning("Redis at %s answers again: rate limits are shared", self._where)
