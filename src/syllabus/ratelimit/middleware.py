"""``RateLimit``: the ASGI middleware that holds each site to its budget, in front of the routes.

For a request under the Admin API or ``/api/v2`` it authenticates the caller (as the route
would, from the same per-process cache), leaves the answer in the scope so the route does not
authenticate again, and asks the limiter. Bad credentials are not limited: the request goes on
and its route answers the 401. Every authenticated request under those prefixes counts, a 404
included, as Thinkific counts every call it answers.

A site's requests a minute are its own setting (``sites.rate_limit_per_minute``) or, when that
is NULL, the server's (``SYLLABUS_RATE_LIMIT_PER_MINUTE``); 0 turns limiting off for the site,
and then nothing else is done, so an unlimited site pays two attribute reads. The in-flight cap
(``SYLLABUS_MAX_IN_FLIGHT``) applies while the site is limited.
"""

from __future__ import annotations

import math
import time

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from syllabus.auth import authenticate, credentials_from, remember_caller
from syllabus.config import Settings
from syllabus.db import Database
from syllabus.errors import ApiError, error_response
from syllabus.kit.routing import ADMIN_PREFIX
from syllabus.ratelimit.limiter import Refused, limiter_for

# The APIs that share a site's budget (FIDELITY §5.1): the Admin API and the v2 webhooks API.
LIMITED_PREFIXES = (f"{ADMIN_PREFIX}/", "/api/v2/")


class RateLimited(ApiError):
    """429 ``{"error":"Rate Limit Exceeded"}`` (FIDELITY §10 #9). ``RateLimit-Reset`` is the Unix
    time in milliseconds at which a request will next succeed, the form Thinkific's clients
    parse; ``Retry-After`` (whole seconds) is for clients that read that instead."""

    status_code = 429
    message = "Rate Limit Exceeded"

    def __init__(self, wait: float) -> None:
        super().__init__()
        self.wait = wait

    def headers(self) -> dict[str, str] | None:
        # The wall clock, not the site's: the client waits in real time.
        reset_ms = math.ceil((time.time() + self.wait) * 1000)
        return {"RateLimit-Reset": str(reset_ms), "Retry-After": str(max(1, math.ceil(self.wait)))}


class RateLimit:
    def __init__(self, app: ASGIApp, *, settings: Settings, database: Database) -> None:
        self.app = app
        self.database = database
        self.per_minute = settings.rate_limit_per_minute
        self.in_flight = settings.max_in_flight
        self.limiter = limiter_for(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LIMITED_PREFIXES):
            if scope["type"] == "lifespan":
                receive = self._closing_at_shutdown(receive)
            await self.app(scope, receive, send)
            return
        try:
            caller = await authenticate(self.database, credentials_from(Headers(scope=scope)))
        except ApiError:
            # Not authenticated (or the lookup failed): the route authenticates and answers.
            await self.app(scope, receive, send)
            return
        remember_caller(scope, caller)
        per_minute = caller.rate_limit_per_minute
        if per_minute is None:
            per_minute = self.per_minute
        if not per_minute:
            await self.app(scope, receive, send)
            return
        site = caller.site
        outcome = await self.limiter.admit(
            site.global_id, site.clock_offset_seconds, per_minute, self.in_flight
        )
        if isinstance(outcome, Refused):
            await error_response(RateLimited(outcome.wait))(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            if outcome.holder is not None:
                await outcome.holder.release(outcome)

    def _closing_at_shutdown(self, receive: Receive) -> Receive:
        """``receive`` for the lifespan: the limiter lets go of Redis before the app shuts down."""

        async def closing() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                await self.limiter.close()
            return message

        return closing
