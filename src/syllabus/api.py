"""The Admin API: every resource under ``/api/public/v1``, composed in one place.

The resources are found, not listed: every package of ``syllabus`` with a ``router`` module
(``syllabus/enrollments/router.py``) is one, except the control plane. Authentication is every
operation's first parameter (``api: ApiDep``, ``get_api``), so it runs before anything else the
route declares (auth.py); ``include_site_api`` checks that each operation declares it.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

import syllabus
from syllabus.context import get_api
from syllabus.kit.routing import ADMIN_PREFIX, ResourceRouter
from syllabus.oauth.scopes import OUT_OF_SCOPE

# Packages with a router that is not part of the Admin API.
NOT_ADMIN = frozenset({"control", "oauth"})
# Routers are tried one after another (each cheaply: ResourceRouter), the busiest first.
BUSIEST = ("users", "enrollments", "courses")


# Thinkific's error bodies, so that our OpenAPI rejects anything else (FastAPI's {"detail": ...}).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"error": {"type": "string"}},
    "required": ["error"],
    "additionalProperties": False,
}
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "errors": {
            "anyOf": [
                {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                {"type": "array", "items": {"type": "string"}},
            ]
        }
    },
    "required": ["errors"],
    "additionalProperties": False,
}
# /api/v2 maps each field to one message: {"errors": {"topic": "invalid format"}}.
FIELD_MESSAGE_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"errors": {"type": "object", "additionalProperties": {"type": "string"}}},
    "required": ["errors"],
    "additionalProperties": False,
}


def documented_error(
    description: str, example: dict[str, Any], schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An error response for OpenAPI: ``example``, and a schema that admits only Thinkific's
    bodies (by default the one ``example``'s key calls for)."""
    if schema is None:
        schema = VALIDATION_ERROR_SCHEMA if "errors" in example else ERROR_SCHEMA
    return {
        "description": description,
        "content": {"application/json": {"example": example, "schema": schema}},
    }


COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: documented_error("Bad request", {"error": "Parameter promotion_id is required."}),
    401: documented_error("Authentication failed", {"error": "Authentication Error"}),
    404: documented_error("Not found", {"error": "Record not found."}),
    413: documented_error("Body too large", {"error": "Request body is too large."}),
    422: documented_error("Validation failed", {"errors": {"email": ["has already been taken"]}}),
    500: documented_error(
        "Unexpected failure; nothing was written", {"error": "Internal Server Error"}
    ),
}

# What only the site APIs answer (/api/public/v1 and /api/v2), beside the common answers.
API_RESPONSES: dict[int | str, dict[str, Any]] = {
    **COMMON_RESPONSES,
    403: documented_error(
        "An OAuth token without the operation's scope (see the OAuth security scheme)",
        {"error": OUT_OF_SCOPE},
    ),
    429: {
        **documented_error("Over the site's rate limit", {"error": "Rate Limit Exceeded"}),
        "headers": {
            "RateLimit-Reset": {
                "description": "Unix time in milliseconds at which a request will next succeed.",
                "schema": {"type": "integer"},
            },
            "Retry-After": {
                "description": "Seconds until then, rounded up.",
                "schema": {"type": "integer"},
            },
        },
    },
}


def _busiest_first(name: str) -> tuple[int, str]:
    return (BUSIEST.index(name) if name in BUSIEST else len(BUSIEST), name)


def resource_routers() -> list[ResourceRouter]:
    """Each resource package's ``router``: the busiest first, then by package name."""
    routers = []
    packages = pkgutil.iter_modules(syllabus.__path__)
    for package in sorted(packages, key=lambda module: _busiest_first(module.name)):
        if not package.ispkg or package.name in NOT_ADMIN:
            continue
        try:
            module = importlib.import_module(f"syllabus.{package.name}.router")
        except ModuleNotFoundError as error:
            if error.name != f"syllabus.{package.name}.router":
                raise
            continue
        if not isinstance(module.router, ResourceRouter):
            raise TypeError(f"{module.__name__}.router must be a ResourceRouter")
        routers.append(module.router)
    return routers


def include_admin_api(app: FastAPI) -> None:
    """Serve every resource under ``/api/public/v1``.

    Each resource router is included in the app itself rather than through one Admin API
    router: FastAPI walks and matches every level of included routers on each request, twice
    (to match, then to handle), and that one extra level cost a fifth of a ``GET`` by id.
    """
    for router in resource_routers():
        include_site_api(app, router, ADMIN_PREFIX, API_RESPONSES)


def include_site_api(
    app: FastAPI, router: APIRouter, prefix: str, responses: dict[int | str, dict[str, Any]]
) -> None:
    """Include a router of the site APIs, whose every operation authenticates first.

    Authentication is each operation's first parameter (``api: ApiDep``), which FastAPI solves
    before the path, the query and the body, so that bad credentials are a 401 before any 400,
    404 or 422. It is not also a router dependency: FastAPI solves a dependency again for each
    place that declares it, cache or not, and the second solving cost a tenth of a request.
    Here every operation is checked to declare it first.
    """
    for route in router.routes:
        if isinstance(route, APIRoute):
            first = route.dependant.dependencies[:1]
            if not first or first[0].call is not get_api:
                raise TypeError(f"{route.path}: an operation's first parameter is `api: ApiDep`")
    app.include_router(router, prefix=prefix, responses=responses)
