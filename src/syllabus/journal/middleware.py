"""``Journal``: the ASGI middleware that records each Admin API and ``/api/v2`` exchange.

It sits around the rate limiter (``main.py``), so it records what the client got: the limiter's
429, a fault's answer (``faults/``), a dropped connection. The limiter authenticates every
request under those prefixes before anything else and leaves the caller in the scope
(``auth.remember_caller``); a request it found no caller for (bad credentials: the route's 401)
names no site, and is not journaled.

A request costs an ``Exchange`` (its ``receive`` and ``send`` wrap the server's) and an append
to the recorder's ``pending``, made as the last chunk of the answer is sent (so that the client,
once answered, finds it in the journal). The bodies are kept as the chunks that passed (at most
``SYLLABUS_JOURNAL_BODY_BYTES`` of each), and are cut, and the request's redacted, later and off
the request path (``recorder.py``). A request body is recorded as far as the server read it:
one refused before reading it (a rate-limit 429) has none.

It also keeps a site's pending entries out of the database while the site is reset or deleted,
and drops them once it is (``JournalRecorder.hold``), and starts and stops the recorder with the
app's lifespan.
"""

from __future__ import annotations

import re
import time
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from syllabus.auth import CALLER_KEY, Caller
from syllabus.errors import ApiError
from syllabus.faults.rules import FAULT_KEY
from syllabus.journal.recorder import JournalRecorder
from syllabus.kit.routing import ADMIN_PREFIX, V2_PREFIX

_ADMIN = f"{ADMIN_PREFIX}/"
_V2 = f"{V2_PREFIX}/"
_CONTROL_SITES = "/_syllabus/sites/"
# A site's reset (POST .../reset) and deletion (DELETE /_syllabus/sites/{sub}).
_WIPE = re.compile(r"^/_syllabus/sites/([^/]+)(/reset)?/?$")
# What a finished exchange holds instead of the server's objects (Exchange.detach).
_NO_SCOPE: Scope = {}


async def _gone(*_message: Message) -> Any:
    raise RuntimeError("the exchange is over")


# What CatchUnhandled answers for an exception raised before the answer began.
_INTERNAL_ERROR = orjson.dumps(ApiError().body())


class Journal:
    def __init__(self, app: ASGIApp, *, recorder: JournalRecorder) -> None:
        self.app = app
        self.recorder = recorder
        self.enabled = recorder.enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled:
            if scope["type"] == "lifespan":
                receive = self._lifespan(receive)
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(_ADMIN):
            await self._journaled(scope, receive, send, "admin", path[len(ADMIN_PREFIX) :])
        elif path.startswith(_V2):
            await self._journaled(scope, receive, send, "v2", path[len(V2_PREFIX) :])
        elif path.startswith(_CONTROL_SITES) and scope["method"] in ("POST", "DELETE"):
            await self._wiping(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _journaled(
        self, scope: Scope, receive: Receive, send: Send, api: str, path: str
    ) -> None:
        exchange = Exchange(scope, receive, send, self.recorder, api, path)
        try:
            await self.app(scope, exchange.receive, exchange.send)
        except Exception:
            if not exchange.answered:
                exchange.failed()
            raise
        finally:
            exchange.detach()
        if not exchange.answered:  # the app ended without a whole answer: the connection closed
            exchange.finish(None)

    async def _wiping(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A reset or a deletion of a site: its pending entries never reach the database."""
        wipe = _WIPE.match(scope["path"])
        if wipe is None or (scope["method"] == "DELETE") == (wipe.group(2) is not None):
            await self.app(scope, receive, send)
            return
        subdomain = wipe.group(1).strip().lower()
        recorder = self.recorder

        async def sending(message: Message) -> None:
            # Committed before the answer begins.
            if message["type"] == "http.response.start" and message["status"] < 300:
                recorder.discard(subdomain)
            await send(message)

        recorder.hold(subdomain)
        try:
            await self.app(scope, receive, sending)
        finally:
            recorder.release(subdomain)

    def _lifespan(self, receive: Receive) -> Receive:
        """``receive`` for the lifespan: the recorder's flushes start with the app, and what is
        pending is written before it shuts down."""
        recorder = self.recorder

        async def receiving() -> Message:
            message = await receive()
            if message["type"] == "lifespan.startup":
                recorder.start()
            elif message["type"] == "lifespan.shutdown":
                await recorder.stop()
            return message

        return receiving


class Exchange:
    """One request to a site's API and its answer, as they pass: ``receive`` and ``send`` wrap
    the server's and keep the bodies' first chunks. Once the answer is whole (or will never
    be), the exchange is recorded if the request named a site, and written later."""

    __slots__ = (
        "_capture",
        "_receive",
        "_recorder",
        "_scope",
        "_send",
        "answered",
        "answered_at",
        "api",
        "began",
        "credential",
        "fault",
        "latency_ms",
        "method",
        "path",
        "query",
        "request",
        "request_size",
        "response",
        "response_size",
        "site_id",
        "started",
        "status",
        "subdomain",
    )

    def __init__(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        recorder: JournalRecorder,
        api: str,
        path: str,
    ) -> None:
        self.began = time.perf_counter()
        self._scope = scope
        self._receive = receive
        self._send = send
        self._recorder = recorder
        # One byte more than the journal keeps: enough to know a body was cut.
        self._capture = recorder.body_bytes + 1
        self.api = api
        self.path = path
        # As the client sent them: the body layer below may rewrite the query string.
        self.method: str = scope["method"]
        self.query: bytes = scope["query_string"]
        self.status: int | None = None
        self.started = self.answered = False
        self.request: list[bytes] = []
        self.request_size = 0
        self.response: list[bytes] = []
        self.response_size = 0

    async def receive(self) -> Message:
        message = await self._receive()
        body = message.get("body")
        if body:
            if self.request_size < self._capture:
                self.request.append(body)
            self.request_size += len(body)
        return message

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.body":
            body = message.get("body")
            if body:
                if self.response_size < self._capture:
                    self.response.append(body)
                self.response_size += len(body)
            if not message.get("more_body", False) and not self.answered:
                # Recorded before the last chunk leaves: once answered, the client finds it.
                self.finish(self.status)
        elif kind == "http.response.start":
            self.started = True
            await self._send(message)
            # Only once sent: a start the server refused (a drop) answered nothing.
            self.status = message["status"]
            return
        await self._send(message)

    def detach(self) -> None:
        """The request is over: let go of the server's objects (its scope, its connection's
        ``receive`` and ``send``), which the entry would otherwise keep alive, and in the
        collector's younger generations, until it is written."""
        self._receive = self._send = _gone

    def finish(self, status: int | None) -> None:
        """The answer is whole, or will never be (``status`` None): record the exchange, if
        the rate limiter found whom the request's credentials name."""
        self.answered = True
        caller: Caller | None = self._scope.get(CALLER_KEY)
        if caller is None:
            return
        self.latency_ms = (time.perf_counter() - self.began) * 1000
        self.answered_at = time.time()
        self.status = status
        self.site_id = caller.site.id
        self.subdomain = caller.site.subdomain
        self.credential = caller.kind
        self.fault: str | None = self._scope.get(FAULT_KEY)
        self._scope = _NO_SCOPE
        self._recorder.record(self)

    def failed(self) -> None:
        """An exception ended the request: CatchUnhandled answers 500, unless the answer had
        begun (then the connection closes)."""
        if self.started:
            self.finish(None)
            return
        self.response = [_INTERNAL_ERROR]
        self.response_size = len(_INTERNAL_ERROR)
        self.finish(500)
