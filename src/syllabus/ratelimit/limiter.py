"""Where a site's budget is kept: in this process (``LocalLimiter``), or in Redis, shared by
every process pointed at it (``RedisLimiter``, in ``shared.py``), behind one small interface
(``Limiter``).

The window is a sliding log: the times, by the site's clock (the wall clock plus the site's
virtual-clock offset), of the requests the site was allowed in the last 60 seconds. A request is admitted while fewer than ``per_minute`` are
logged, and a refused one is not logged; it is told to wait until the oldest logged request
leaves the window. Unlike a fixed window or a refilling bucket, this refuses the 121st request of
any 60 seconds however the 120 before it were spaced, which is what a client pacing itself to
Thinkific's "120 a minute" expects.

Beside the window, a site may have at most ``in_flight`` requests being answered at once
(0: no cap); a request refused for that is told to come back in a second.

Whose wall clock: this process's for ``LocalLimiter`` (``syllabus.clock``, which tests can set),
and Redis's own (``TIME``, read inside the script) for ``RedisLimiter``. One clock for every
process sharing a budget keeps the log in order: with each process stamping its own "now", a
request stamped a millisecond later could reach Redis first, and read as a clock moved back.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass
from typing import Final

from syllabus.clock import clock
from syllabus.config import Settings

logger = logging.getLogger("syllabus.ratelimit")

WINDOW_SECONDS: Final = 60.0
# A request refused because the site has too many in flight is told to come back after this.
IN_FLIGHT_WAIT_SECONDS: Final = 1.0
# Redis must answer within this, or the request is counted in the process instead: a slow Redis
# must not make every request slow.
REDIS_TIMEOUT_SECONDS: Final = 0.5
# After a failure, Redis is left alone (counting in the process) for this long, then tried again.
REDIS_RETRY_SECONDS: Final = 5.0
KEY_PREFIX: Final = "syllabus:ratelimit"


@dataclass(frozen=True, slots=True)
class Refused:
    """Over the budget: a request will next succeed in ``wait`` seconds."""

    wait: float


@dataclass(frozen=True, slots=True)
class Admitted:
    """Under the budget. ``holder`` keeps the request's place in flight until it is released;
    None when the site's requests in flight are not capped (nothing to give back)."""

    holder: Limiter | None
    site: str
    slot: str


UNCAPPED: Final = Admitted(None, "", "")


class Limiter(ABC):
    @abstractmethod
    async def admit(
        self, site: str, offset: float, per_minute: int, in_flight: int
    ) -> Admitted | Refused:
        """Count a request of ``site`` (its global id), whose clock is ``offset`` seconds from
        the wall clock, against ``per_minute`` (> 0) and ``in_flight`` (0: no cap)."""

    @abstractmethod
    async def release(self, admitted: Admitted) -> None:
        """Give back the place in flight that ``admit`` took for ``admitted``."""

    @abstractmethod
    async def close(self) -> None:
        """Let go of connections, at shutdown."""


class LocalLimiter(Limiter):
    """Counts in this process: each worker of ``serve --workers N`` has a budget of its own."""

    def __init__(self) -> None:
        self._logs: dict[str, deque[float]] = {}
        self._in_flight: dict[str, int] = {}

    async def admit(
        self, site: str, offset: float, per_minute: int, in_flight: int
    ) -> Admitted | Refused:
        return self.admit_now(site, offset, per_minute, in_flight)

    def admit_now(
        self, site: str, offset: float, per_minute: int, in_flight: int
    ) -> Admitted | Refused:
        """``admit`` without awaiting: nothing here waits, so nothing can interleave, and each
        request's "now" is at least the one before."""
        now = clock.now(offset).timestamp()
        log = self._logs.get(site)
        if log is None:
            log = self._logs[site] = deque()
        edge = now - WINDOW_SECONDS
        while log and log[0] <= edge:
            log.popleft()
        # A site clock moved back: what was logged after its new "now" has not happened yet.
        while log and log[-1] > now:
            log.pop()
        if len(log) >= per_minute:
            return Refused(log[0] - edge)
        if not in_flight:
            log.append(now)
            return UNCAPPED
        held = self._in_flight.get(site, 0)
        if held >= in_flight:
            return Refused(IN_FLIGHT_WAIT_SECONDS)
        log.append(now)
        self._in_flight[site] = held + 1
        return Admitted(self, site, "")

    async def release(self, admitted: Admitted) -> None:
        held = self._in_flight[admitted.site] - 1
        if held:
            self._in_flight[admitted.site] = held
        else:
            del self._in_flight[admitted.site]

    async def close(self) -> None:
        self._logs.clear()
        self._in_flight.clear()


def limiter_for(settings: Settings) -> Limiter:
    if not settings.redis_url:
        return LocalLimiter()
    # Imported only when used: the Redis client costs a twentieth of startup.
    from syllabus.ratelimit.shared import RedisLimiter

    return RedisLimiter(settings.redis_url)
