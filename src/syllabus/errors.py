"""Every error a request can end in, rendered the way Thinkific renders it.

* ``ApiError`` (500 ``{"error": "Internal Server Error"}``)
  * ``BadRequest`` (400 ``{"error": message}``)
    * ``ParameterRequired`` (400 ``{"error": "Parameter X is required."}``)
  * ``AuthenticationError`` (401 ``{"error": "Authentication Error"}``)
  * ``Forbidden`` (403 ``{"error": message}``)
  * ``RecordNotFound`` (404 ``{"error": "Record not found."}``)
  * ``RouteNotFound`` (404 ``{"error": "No route matches [GET] \\"/path\\""}``)
  * ``PayloadTooLarge`` (413 ``{"error": message}``)
  * ``DatabaseBusy`` (503 ``{"error": message}``, ``Retry-After: 1``)
  * ``Unprocessable`` (422 ``{"errors": {"field": ["message"]}}`` or ``{"errors": ["message"]}``;
    ``/api/v2`` maps each field to one message, ``{"errors": {"field": "message"}}``)

Services raise these; one handler renders them. FastAPI's own request-validation errors are
translated here too, into Rails-style messages ("can't be blank", "is not a number"), because no
Thinkific client expects ``{"detail": [...]}``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any, ClassVar, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from syllabus.kit.responses import json_response

logger = logging.getLogger("syllabus")
T = TypeVar("T")


class ApiError(Exception):
    status_code: ClassVar[int] = 500
    message: str = "Internal Server Error"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)

    def body(self) -> Any:
        return {"error": self.message}

    def headers(self) -> dict[str, str] | None:
        return None


class BadRequest(ApiError):
    status_code = 400
    message = "Bad Request"


class ParameterRequired(BadRequest):
    def __init__(self, name: str) -> None:
        super().__init__(f"Parameter {name} is required.")


class AuthenticationError(ApiError):
    status_code = 401
    message = "Authentication Error"


class Forbidden(ApiError):
    status_code = 403
    message = "App does not have permission to perform this action. Please check the access token permissions"


class RecordNotFound(ApiError):
    status_code = 404
    message = "Record not found."


class RouteNotFound(ApiError):
    status_code = 404

    def __init__(self, method: str, path: str) -> None:
        super().__init__(f'No route matches [{method}] "{path}"')


class PayloadTooLarge(ApiError):
    status_code = 413
    message = "Request body is too large."


class DatabaseBusy(ApiError):
    """SQLite's write lock stayed taken (by a long seed, say) for longer than a writer waits."""

    status_code = 503
    message = "The database is busy; retry shortly."

    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": "1"}


class Unprocessable(ApiError):
    """422. Most endpoints answer a field map; a few (enrollments, group users) a list; the
    ``/api/v2`` webhooks a map of one message per field (FIDELITY §5)."""

    status_code = 422

    def __init__(self, errors: dict[str, list[str]] | dict[str, str] | list[str]) -> None:
        super().__init__("Unprocessable Entity")
        self.errors = errors

    @classmethod
    def field(cls, name: str, message: str) -> Unprocessable:
        return cls({name: [message]})

    def body(self) -> Any:
        return {"errors": self.errors}


def found(value: T | None) -> T:
    """``value``, or a 404 ``Record not found.`` when the lookup found nothing."""
    if value is None:
        raise RecordNotFound()
    return value


# Pydantic error types, in Rails' words (ActiveModel::Errors default messages).
_RAILS_MESSAGES: dict[str, str] = {
    "missing": "can't be blank",
    "int_parsing": "is not a number",
    "int_type": "is not a number",
    "int_from_float": "must be an integer",
    "float_parsing": "is not a number",
    "float_type": "is not a number",
    "decimal_parsing": "is not a number",
    "decimal_type": "is not a number",
    "finite_number": "is not a number",
    "enum": "is not included in the list",
    "literal_error": "is not included in the list",
    "less_than_equal": "must be less than or equal to {le}",
    "greater_than_equal": "must be greater than or equal to {ge}",
    "greater_than": "must be greater than {gt}",
    "less_than": "must be less than {lt}",
    "string_too_long": "is too long (maximum is {max_length} characters)",
    "string_too_short": "is too short (minimum is {min_length} characters)",
    "too_long": "is too long (maximum is {max_length} items)",
    "decimal_max_digits": "is too long (maximum is {max_digits} digits)",
    "decimal_max_places": "must have at most {decimal_places} decimal places",
}


def _rails_message(error: Any) -> str:
    kind = error.get("type", "")
    if error.get("input", ...) is None and (
        kind.endswith("_type") or kind in ("literal_error", "enum")
    ):
        return "can't be blank"
    if kind == "string_too_short" and (error.get("ctx") or {}).get("min_length") == 1:
        return "can't be blank"
    if kind == "value_error":
        message = str(error.get("msg", "is invalid"))
        return message.removeprefix("Value error, ")
    template = _RAILS_MESSAGES.get(kind, "is invalid")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return "is invalid"


def validation_error_to_api_error(exc: RequestValidationError) -> ApiError:
    by_field: defaultdict[str, list[str]] = defaultdict(list)
    for error in exc.errors():
        location = tuple(error.get("loc", ()))
        origin = location[0] if location else "body"
        name = next((str(part) for part in location[1:] if isinstance(part, str)), None)
        if origin == "path":
            return RecordNotFound()
        if origin in ("query", "header"):
            if error.get("type") == "missing":
                return ParameterRequired(name or "")
            return BadRequest(f"Parameter {name} is invalid.")
        if name is None:
            # The body itself is wrong: not JSON, or not an object.
            if error.get("type") == "json_invalid":
                return BadRequest("The request body is not valid JSON.")
            return BadRequest("The request body must be a JSON object.")
        message = _rails_message(error)
        if message not in by_field[name]:
            by_field[name].append(message)
    return Unprocessable(dict(by_field))


def error_response(error: ApiError) -> Response:
    return json_response(error.body(), status_code=error.status_code, headers=error.headers())


async def _render_api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _render_validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response(validation_error_to_api_error(exc))


async def _render_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    # Rails answers an unknown route and a known path with the wrong method alike: 404.
    if exc.status_code in (404, 405):
        return error_response(RouteNotFound(request.method, request.url.path))
    return json_response({"error": str(exc.detail)}, status_code=exc.status_code)


class CatchUnhandled:
    """Any other exception is a 500 ``{"error": "Internal Server Error"}``, logged, nothing written.

    An ``Exception`` handler registered with Starlette runs in its ServerErrorMiddleware, which
    sends the 500 and then re-raises; uvicorn then drops the connection without
    ``Connection: close``, and a pooled keep-alive client's next request fails too. Caught here,
    inside that middleware, the exception ends with the response and the connection stays usable.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            logger.exception("unhandled error", exc_info=exc)
            if started:
                raise
            await error_response(ApiError())(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _render_api_error)
    app.add_exception_handler(RequestValidationError, _render_validation_error)
    app.add_exception_handler(StarletteHTTPException, _render_http_exception)
