"""The one clock. Every "now" in Syllabus comes from here.

A site may carry a virtual-clock offset (``sites.clock_offset_seconds``); ``now(offset)`` applies
it, so expiry, coupon windows, rate limits and webhook retries all move together when a test
moves a site's clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, source: Callable[[], datetime] | None = None) -> None:
        self._source = source or (lambda: datetime.now(UTC))

    def now(self, offset_seconds: float = 0.0) -> datetime:
        current = self._source()
        if offset_seconds:
            current += timedelta(seconds=offset_seconds)
        return current

    def set_source(self, source: Callable[[], datetime] | None) -> None:
        """Replace the wall clock (tests only); ``None`` restores it."""
        self._source = source or (lambda: datetime.now(UTC))


clock = Clock()
