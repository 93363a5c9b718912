"""``Faults``: the ASGI middleware that applies a site's fault rules to its API requests.

It sits just inside the rate limiter (``main.py``), which authenticated the request and left
the caller in the scope: an injected failure counts against the site's budget as a real one
would, and a request with bad credentials (no caller) is never faulted. A site without rules
costs a dict lookup (``book.py``).

A site's rules are tried oldest first; the first that matches the request and fires acts, and
no other. Each match is counted in the database, which expires a ``times`` rule and numbers a
``probability`` rule's draws. A rule's ``delay_ms`` is waited first, then its action:

* ``status``: the body is read, and Thinkific's answer for the status is sent: 500
  ``{"error":"Internal Server Error"}``, 502 ``Bad Gateway``, 503 ``Service Unavailable``, or
  the rate limiter's 429 with ``RateLimit-Reset`` a second ahead;
* ``delay``: the request then runs as usual;
* ``drop``: the body is read and the connection closed without a byte of answer. uvicorn
  offers no call for that: it marks an answer begun before checking its headers, so an answer
  with an invalid header name is refused unsent, and uvicorn closes the connection of an app
  that returns with its answer begun and unfinished (it logs "ASGI callable returned without
  completing response"). A server that accepts the answer instead (an in-process test
  transport) gets ``ConnectionDropped`` raised;
* ``commit_then_fail``: the request runs to its end (a write commits, its events and webhook
  deliveries with it), its answer is discarded, and the client gets the 500 instead.

The action is left in the scope (``FAULT_KEY``) for the journal. A control-plane write under
``/_syllabus/sites/`` (a rule added or cleared, a site reset or deleted) has this process read
the rules again before it answers, so that its next request finds them changed.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from syllabus.auth import CALLER_KEY, Caller
from syllabus.errors import ApiError, error_response
from syllabus.faults.book import FaultBook
from syllabus.faults.rules import FAULT_KEY, Rule
from syllabus.kit.routing import ADMIN_PREFIX, V2_PREFIX
from syllabus.ratelimit.middleware import RateLimited

_CONTROL_SITES = "/_syllabus/sites/"
# Where a 429 fault's RateLimit-Reset points: a second ahead.
RETRY_SECONDS = 1.0
# An answer uvicorn refuses after marking it begun: its header name has a space.
_DROP: Message = {
    "type": "http.response.start",
    "status": 444,
    "headers": [(b"syllabus drop", b"")],
}


class BadGateway(ApiError):
    status_code = 502
    message = "Bad Gateway"


class ServiceUnavailable(ApiError):
    status_code = 503
    message = "Service Unavailable"


def injected(status: int | None) -> ApiError:
    """The error a ``status`` rule answers."""
    if status == 429:
        return RateLimited(RETRY_SECONDS)
    if status == 502:
        return BadGateway()
    if status == 503:
        return ServiceUnavailable()
    return ApiError()


class ConnectionDropped(Exception):
    """A ``drop`` fault under a server that sent the answer uvicorn would have refused."""


class Faults:
    def __init__(self, app: ASGIApp, *, book: FaultBook, max_body_bytes: int) -> None:
        self.app = app
        self.book = book
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                receive = self._closing_at_shutdown(receive)
            await self.app(scope, receive, send)
            return
        caller: Caller | None = scope.get(CALLER_KEY)
        if caller is None:
            if scope["method"] != "GET" and scope["path"].startswith(_CONTROL_SITES):
                await self._rereading(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        book = self.book
        by_site = book.by_site if book.fresh() else await book.refresh()
        rules = by_site.get(caller.site.id)
        if rules is not None:
            rule = await self._firing(rules, scope)
            if rule is not None:
                await self._act(rule, scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _firing(self, rules: tuple[Rule, ...], scope: Scope) -> Rule | None:
        """The first rule that matches the request and fires on this match, counted."""
        path: str = scope["path"]
        path = (
            path[len(ADMIN_PREFIX) :] if path.startswith(ADMIN_PREFIX) else path[len(V2_PREFIX) :]
        )
        method: str = scope["method"]
        for rule in rules:
            if not rule.matches(method, path):
                continue
            match = await self.book.consume(rule)
            if match is not None and rule.fires(match):
                return rule
        return None

    async def _act(self, rule: Rule, scope: Scope, receive: Receive, send: Send) -> None:
        scope[FAULT_KEY] = rule.action
        if rule.delay_ms:
            await asyncio.sleep(rule.delay_ms / 1000)
        if rule.action == "delay":
            await self.app(scope, receive, send)
        elif rule.action == "status":
            await self._read_body(receive)
            await error_response(injected(rule.status))(scope, receive, send)
        elif rule.action == "drop":
            await self._read_body(receive)
            await _drop(send)
        else:  # commit_then_fail

            async def discarded(_message: Message) -> None:
                pass

            await self.app(scope, receive, discarded)
            await error_response(ApiError())(scope, receive, send)

    async def _read_body(self, receive: Receive) -> None:
        """Read the request's body (so the journal has it), up to the server's limit."""
        size = 0
        while size <= self.max_body_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    def _closing_at_shutdown(self, receive: Receive) -> Receive:
        """``receive`` for the lifespan: the book's connections close as the app shuts down."""
        book = self.book

        async def closing() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                book.close()
            return message

        return closing

    async def _rereading(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A control-plane write: once committed (before the answer), read the rules again."""

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 300:
                await self.book.reread()
            await send(message)

        await self.app(scope, receive, sending)


async def _drop(send: Send) -> None:
    try:
        await send(_DROP)
    except Exception:
        return  # refused, unsent: the server closes the connection once the app returns
    raise ConnectionDropped()
