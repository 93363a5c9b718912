"""The APIs' prefixes, and the router every resource declares its routes on."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, cast, get_type_hints

import fastapi.dependencies.utils as _solving
import fastapi.routing
from fastapi import APIRouter, Request, Response
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, ImmutableMultiDict
from starlette.routing import Match
from starlette.types import Scope

ADMIN_PREFIX = "/api/public/v1"
# Webhooks and events (FIDELITY §1): api_v2.py.
V2_PREFIX = "/api/v2"


class ResourceRouter(APIRouter):
    """A resource's routes, under its own prefix (``/users``) of the Admin API.

    Requests are matched against the resources' routers one after another, and matching a
    router means trying each of its routes' patterns. A resource router first checks that the
    path lies under its prefix: one string comparison, so that the Admin API's routing stays
    cheap however many resources there are (``POST /users`` matched behind every other
    resource's patterns cost a fifth of the request, and ``GET /products`` more).

    ``api`` is the prefix of the API the router is included in: the Admin API's, or
    ``V2_PREFIX`` for the ``/api/v2`` resources (``webhooks/v2.py``).
    """

    def __init__(self, *, api: str = ADMIN_PREFIX, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", PlannedRoute)
        super().__init__(**kwargs)
        self.api = api

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """The router's prefix is the path's: every route under it is this router's (each
        resource has its own prefix, ``tests/test_planned_routes.py``), so the request is, found
        or not. FastAPI then picks the route (or answers 404 or 405) as it hands the request to
        the router: matching the routes here as well, to throw the result away, cost a tenth
        of a ``GET`` by id."""
        path: str = scope["path"]
        head = self.api + self.prefix
        if path.startswith(head) and (len(path) == len(head) or path[len(head)] == "/"):
            return Match.FULL, {}
        return Match.NONE, {}


class PlannedRoute(APIRoute):
    """An operation whose parameters are solved by a plan made once, when FastAPI builds the
    route, where it qualifies: an ``async def`` returning a ``Response``, with no body, whose
    dependencies are ``async def`` functions taking only path and query parameters, the request
    and one another. Every read of the site APIs qualifies (``api: ApiDep``, an id, paging,
    filters); writes with a body, and anything else, keep FastAPI's own handler.

    FastAPI's ``solve_dependencies`` asks the same questions of every dependency on every
    request (is it a generator? overridden? cached? which of the header and cookie parameters
    are there?), and took a quarter of a ``GET`` by id; the plan knows the answers. It solves in
    FastAPI's order (sub-dependencies depth first, each once per request, then the operation's
    path and query parameters) with FastAPI's own validation (``request_params_to_args``), and
    raises the same ``RequestValidationError`` on a problem, so the answers are the same.
    A dependency override (``app.dependency_overrides``) sends the request down FastAPI's path.
    """

    planned = False

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        context = getattr(fastapi.routing, "_effective_route_context_var", None)
        effective = context.get() if context is not None else None
        dependant = (
            effective.dependant
            if effective is not None and effective.original_route is self
            else self.dependant
        )
        self.planned = _return_type(dependant.call) is Response and _plannable(dependant, top=True)
        if not self.planned:
            return handler
        solve = _plan(dependant)
        endpoint = cast(Callable[..., Coroutine[Any, Any, Response]], dependant.call)

        async def planned(request: Request) -> Response:
            if request.app.dependency_overrides:
                return await handler(request)
            values, errors = await solve(request, {})
            if errors:
                raise RequestValidationError(errors)
            return await endpoint(**values)

        return planned


Solver = Callable[[Request, dict[Any, Any]], Coroutine[Any, Any, tuple[dict[str, Any], list[Any]]]]


def _return_type(call: Callable[..., Any] | None) -> Any:
    try:
        return get_type_hints(call).get("return") if call is not None else None
    except (NameError, TypeError):
        return None


def _plannable(dependant: Dependant, *, top: bool = False) -> bool:
    special = (
        dependant.websocket_param_name,
        dependant.http_connection_param_name,
        dependant.response_param_name,
        dependant.background_tasks_param_name,
        dependant.security_scopes_param_name,
    )
    return (
        inspect.iscoroutinefunction(dependant.call)
        and not dependant.body_params
        and not dependant.header_params
        and not dependant.cookie_params
        and not any(special)
        and not dependant.own_oauth_scopes
        and (top or dependant.scope in (None, "request"))
        and all(_plannable(sub) for sub in dependant.dependencies)
    )


Parameters = Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[Any]]]


def _parameters(fields: Sequence[ModelField]) -> Parameters:
    """The values and errors of ``fields`` (path or query parameters), as FastAPI's
    ``request_params_to_args`` finds them, with what it works out again for every field of every
    request (its aliases, whether it is a model, whether it takes a list: a tenth of a ``GET``
    by id) worked out here, once. A field this does not cover (a model of query parameters,
    several aliases) sends the fields to FastAPI's own, as does a FastAPI without the helpers."""

    def general(received: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
        return request_params_to_args(fields, received)

    found: list[Any] = [getattr(_solving, name, None) for name in _SOLVING]
    if any(helper is None for helper in found):
        return general
    param_model, aliases_of, is_json, validate, is_sequence, undefined = found
    plans = []
    for field in fields:
        aliases = aliases_of(field)
        if param_model(field) is not None or len(aliases) != 1:
            return general
        alias = aliases[0][1]
        sized = is_sequence(field.field_info.annotation)
        listed = sized and not is_json(field)
        location = (field.field_info.in_.value, alias)  # type: ignore[attr-defined]
        plans.append((field, alias, listed, sized, location))

    def solve(received: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
        values: dict[str, Any] = {}
        errors: list[Any] = []
        # A multi-dict (the query string) gives a list field every value of its key.
        every = received.getlist if isinstance(received, ImmutableMultiDict | Headers) else None
        for field, alias, listed, sized, location in plans:
            value = every(alias) if listed and every is not None else received.get(alias)
            if value is None or (sized and len(value) == 0):
                value = undefined
            solved, wrong = validate(field=field, value=value, values=values, loc=location)
            if wrong:
                errors.extend(wrong)
            else:
                values[field.name] = solved
        return values, errors

    return solve


# FastAPI's helpers that ``_parameters`` asks once per field.
_SOLVING = (
    "_get_param_model",
    "_get_param_aliases",
    "_is_json_field",
    "_validate_value_with_model_field",
    "field_annotation_is_sequence",
    "Undefined",
)


def _plan(dependant: Dependant) -> Solver:
    """``dependant``'s values and errors for a request, as ``solve_dependencies`` finds them."""
    subs = [(sub.name, _plan(sub), sub.call, sub.use_cache) for sub in dependant.dependencies]
    path_params = _parameters(dependant.path_params) if dependant.path_params else None
    query_params = _parameters(dependant.query_params) if dependant.query_params else None
    request_name = dependant.request_param_name

    async def solve(request: Request, cache: dict[Any, Any]) -> tuple[dict[str, Any], list[Any]]:
        values: dict[str, Any] = {}
        errors: list[Any] = []
        for name, solve_sub, call, use_cache in subs:
            if use_cache and call in cache:
                solved = cache[call]
            else:
                sub_values, sub_errors = await solve_sub(request, cache)
                if sub_errors:
                    errors.extend(sub_errors)
                    continue
                solved = await cast(Callable[..., Coroutine[Any, Any, Any]], call)(**sub_values)
                cache.setdefault(call, solved)
            if name is not None:
                values[name] = solved
        if path_params is not None:
            found, wrong = path_params(request.path_params)
            values.update(found)
            errors += wrong
        if query_params is not None:
            found, wrong = query_params(request.query_params)
            values.update(found)
            errors += wrong
        if request_name is not None:
            values[request_name] = request
        return values, errors

    return solve
