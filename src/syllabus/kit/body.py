"""Request bodies as Rails reads them (FIDELITY §9.1), normalized once before any route runs.

Thinkific clients send JSON, ``application/x-www-form-urlencoded`` with Rails bracket nesting
(``user[roles][]=affiliate``) and ``multipart/form-data``, and some put fields in the query string.
This ASGI middleware turns every write request under the API prefixes into one JSON object:
form fields are nested Rails-style, query parameters are merged in (the body wins), and the route
then validates plain JSON. It also answers, before any route runs:

* 413 when the body exceeds ``max_body_bytes``;
* 400 when the body is not valid JSON, or is JSON but not an object.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from syllabus.errors import ApiError, BadRequest, PayloadTooLarge, error_response

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_KEY_PART = re.compile(r"\[([^\]]*)\]")


def _key_path(key: str) -> list[str]:
    head, bracket, _rest = key.partition("[")
    if not bracket:
        return [key]
    return [head, *_KEY_PART.findall(key[len(head) :])]


def _assign(node: dict[str, Any], path: list[str], value: Any) -> None:
    key, rest = path[0], path[1:]
    if not rest:
        node[key] = value
        return
    if rest[0] == "":
        items = node.get(key)
        if not isinstance(items, list):
            items = node[key] = []
        after = rest[1:]
        if not after:
            items.append(value)
            return
        # `a[][x]=1&a[][y]=2` fills one hash until a key repeats, as Rack does.
        if items and isinstance(items[-1], dict) and after[0] not in items[-1]:
            target = items[-1]
        else:
            target = {}
            items.append(target)
        _assign(target, after, value)
        return
    child = node.get(key)
    if not isinstance(child, dict):
        child = node[key] = {}
    _assign(child, rest, value)


def _listify(node: Any) -> Any:
    """``a[0][x]=1&a[1][x]=2`` arrives as a hash keyed by index; JSON clients mean a list."""
    if isinstance(node, dict):
        converted = {key: _listify(value) for key, value in node.items()}
        if converted and all(key.isdigit() for key in converted):
            return [converted[key] for key in sorted(converted, key=int)]
        return converted
    if isinstance(node, list):
        return [_listify(item) for item in node]
    return node


def rails_params(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, value in pairs:
        if key:
            _assign(params, _key_path(key), value)
    # The top level stays a mapping even when every key is a digit (`?0=false`).
    return {key: _listify(value) for key, value in params.items()}


def _form_pairs(form: FormData) -> list[tuple[str, Any]]:
    return [
        (key, value.filename if isinstance(value, UploadFile) else value)
        for key, value in form.multi_items()
    ]


class BodyNormalizer:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in _WRITE_METHODS
            or not scope["path"].startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read(scope, receive)
            scope, body = await self._normalize(scope, body)
        except ApiError as error:
            await error_response(error)(scope, receive, send)
            return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive) -> bytes:
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise PayloadTooLarge()
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise PayloadTooLarge()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _normalize(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        headers = [
            (k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")
        ]
        content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1").lower()
        query = scope.get("query_string", b"").decode("latin-1")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            data = await self._form(scope, body)
        elif body.strip():
            try:
                data = orjson.loads(body)
            except orjson.JSONDecodeError as error:
                raise BadRequest(f"The request body is not valid JSON: {error.msg}.") from error
            if data is None:
                data = {}
            elif not isinstance(data, dict):
                raise BadRequest("The request body must be a JSON object.")
            elif not query:
                return scope, body
        else:
            data = {}
        if query:
            for key, value in rails_params(parse_qsl(query, keep_blank_values=True)).items():
                data.setdefault(key, value)
        encoded = orjson.dumps(data)
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(encoded)).encode()),
        ]
        return {**scope, "headers": headers}, encoded

    async def _form(self, scope: Scope, body: bytes) -> dict[str, Any]:
        delivered = False

        async def receive_once() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(scope, receive_once).form()
        except Exception as error:
            raise BadRequest("The request body is not a valid form.") from error
        return rails_params(_form_pairs(form))


class IgnoreTrailingSlash:
    """``/users/`` is ``/users``, as Rails routes it; clients disable redirects, so never 307."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            trimmed = path.rstrip("/") or "/"
            scope = {**scope, "path": trimmed, "raw_path": trimmed.encode()}
        await self.app(scope, receive, send)
