"""Request parameters as Rails reads them (FIDELITY §9.1), normalized once before any route runs.

Thinkific clients send JSON, ``application/x-www-form-urlencoded`` with Rails bracket nesting
(``user[roles][]=affiliate``) and ``multipart/form-data``, and some put fields in the query string,
or send parameters in the body of a GET (Rails merges a body into ``params`` whatever the method:
``GET /users`` with ``{"page": 2}`` is page 2). This ASGI middleware, for every request under the
API prefixes, merges the body into the query parameters, the body winning, and then:

* a write (POST, PUT, PATCH, DELETE) gets the merged parameters as its JSON body, so routes
  validate plain JSON;
* when the body carried parameters, the query string is rewritten to the merged parameters
  (Rails-style brackets), so that paging, ``query[...]`` filters and required query parameters
  read them whatever the method.

It answers 413 at once when the body exceeds ``max_body_bytes``. Other problems are *deferred*:
a body that is not JSON, or JSON but not an object, a form that cannot be read, a NUL
character in any parameter or in the path (PostgreSQL cannot store one), or percent-escapes in
the query or a form that are not UTF-8 (Rails' "Invalid encoding for parameter") is a 400 that
the route's first dependency raises after authenticating (``raise_deferred``), so that bad
credentials are still a 401 first. The route then sees an empty body. A JSON object sent as
``text/plain`` or with no type is read as JSON. Text fields of a multipart form that are not
UTF-8 are read as Latin-1, as Starlette reads them.

Parameters nested deeper than ``MAX_NESTING`` (Rails' JSON ``max_nesting``), in a JSON body or
in bracketed keys, are a deferred 400 too: deeper, the walks below would exhaust the stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes, urlencode

import orjson
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from syllabus.errors import ApiError, BadRequest, PayloadTooLarge, error_response

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFERRED = "syllabus.deferred_error"
NUL_MESSAGE = "Parameters may not contain a null character."
ENCODING_MESSAGE = "Parameters must be valid UTF-8."
MAX_NESTING = 100
_KEY_PART = re.compile(r"\[([^\]]*)\]")
# A percent-escape of a byte above 0x7F: only then can escaped parameters fail to be UTF-8.
_HIGH_ESCAPE = re.compile(rb"%[89a-fA-F][0-9a-fA-F]")


def _key_path(key: str) -> list[str]:
    head, bracket, _rest = key.partition("[")
    if not bracket:
        return [key]
    parts = _KEY_PART.findall(key[len(head) :])
    if len(parts) >= MAX_NESTING:
        raise BadRequest("Parameters are nested too deeply.")
    return [head, *parts]


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


def raise_deferred(scope: MutableMapping[str, Any]) -> None:
    """Raise the problem the body layer found in this request, if any (see the module docstring)."""
    error = scope.get(DEFERRED)
    if error is not None:
        raise error


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The request's body, read no further than ``limit`` bytes: ``PayloadTooLarge`` (413) when
    its declared length or what arrives is larger."""
    declared = dict(scope["headers"]).get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge()
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _encoding_problem(raw: bytes) -> BadRequest | None:
    """A 400 when ``raw``, percent-decoded (a query string, a urlencoded form), is not UTF-8.

    Validating the whole string is validating each parameter: a ``&`` or ``=`` between two
    escapes can never complete a multi-byte sequence.
    """
    if not _HIGH_ESCAPE.search(raw):
        return None
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return BadRequest(ENCODING_MESSAGE)
    return None


def _nesting(value: Any) -> int:
    """How many arrays and objects deep ``value`` is, counted without recursion."""
    depth, level = 0, [value]
    while level := [node for node in level if isinstance(node, dict | list)]:
        depth += 1
        level = [
            item for node in level for item in (node.values() if isinstance(node, dict) else node)
        ]
    return depth


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any("\x00" in key or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def rails_pairs(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``value`` as Rails-style query pairs: ``{"query": {"email": "a"}}`` is ``query[email]=a``."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from rails_pairs(item, f"{prefix}[{key}]" if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict | list):
                yield from rails_pairs(item, f"{prefix}[{index}]")
            else:
                yield f"{prefix}[]", _scalar(item)
    else:
        yield prefix, _scalar(value)


class BodyNormalizer:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        write = scope["method"] in _WRITE_METHODS
        if not write and not _declares_body(scope):
            # A GET without a body, the common case: only the NUL and encoding checks.
            query_string = scope.get("query_string", b"")
            if b"%00" in query_string or "\x00" in scope["path"]:
                scope = {**scope, DEFERRED: BadRequest(NUL_MESSAGE)}
            elif (problem := _encoding_problem(query_string)) is not None:
                scope = {**scope, DEFERRED: problem}
            await self.app(scope, receive, send)
            return
        try:
            body = await read_body(scope, receive, self.max_body_bytes)
        except ApiError as error:
            await error_response(error)(scope, receive, send)
            return
        scope, body = await self._normalize(scope, body, write)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _parse(self, scope: Scope, body: bytes) -> dict[str, Any]:
        """The body's parameters; raises ``BadRequest`` for a body Rails could not parse."""
        content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1").lower()
        if content_type.startswith("application/x-www-form-urlencoded"):
            if (problem := _encoding_problem(body)) is not None:
                raise problem
            return await self._form(scope, body)
        if content_type.startswith("multipart/form-data"):
            return await self._form(scope, body)
        if not body.strip():
            return {}
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise BadRequest(f"The request body is not valid JSON: {error.msg}.") from error
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise BadRequest("The request body must be a JSON object.")
        if _nesting(data) > MAX_NESTING:
            raise BadRequest("The request body is not valid JSON: depth limit exceeded.")
        return data

    async def _normalize(self, scope: Scope, body: bytes, write: bool) -> tuple[Scope, bytes]:
        query_string = scope.get("query_string", b"")
        query = query_string.decode("latin-1")
        problem: ApiError | None = _encoding_problem(query_string)
        try:
            data = await self._parse(scope, body)
        except BadRequest as error:
            data, problem = {}, problem or error
        try:
            merged = rails_params(parse_qsl(query, keep_blank_values=True)) if query else {}
        except BadRequest as error:
            merged, problem = {}, problem or error
        merged.update(data)
        if problem is None and (_has_nul(merged) or "\x00" in scope["path"]):
            merged, problem = {}, BadRequest(NUL_MESSAGE)
        changes: dict[str, Any] = {}
        if problem is not None:
            changes[DEFERRED] = problem
        if data and problem is None:
            changes["query_string"] = urlencode(list(rails_pairs(merged))).encode("latin-1")
        if not write:
            return ({**scope, **changes} if changes else scope), b""
        if (
            not query
            and problem is None
            and body.lstrip().startswith(b"{")
            and _labelled_json(scope)
        ):
            # Nothing to merge: the client's own bytes (orjson would turn 10**30 into a float).
            # A JSON object sent as text/plain, or with no type, is re-labelled below.
            return ({**scope, **changes} if changes else scope), body
        encoded = orjson.dumps(merged)
        headers = [
            (k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")
        ]
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(encoded)).encode()),
        ]
        return {**scope, **changes, "headers": headers}, encoded

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
        try:
            return rails_params(_form_pairs(form))
        finally:
            await form.close()  # a file part is spooled to a temporary file


def _labelled_json(scope: Scope) -> bool:
    """The request says it is JSON (``application/json``, ``application/*+json``), as FastAPI needs."""
    content_type: bytes = dict(scope["headers"]).get(b"content-type", b"").lower()
    media = content_type.split(b";", 1)[0].strip()
    return media == b"application/json" or (
        media.startswith(b"application/") and media.endswith(b"+json")
    )


def _declares_body(scope: Scope) -> bool:
    for key, value in scope["headers"]:
        if key == b"content-length":
            return bool(value != b"0")
        if key == b"transfer-encoding":
            return True
    return False


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
