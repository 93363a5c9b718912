"""The Admin API router: every resource under ``/api/public/v1``, composed in one place.

The resources are found, not listed: every package of ``syllabus`` with a ``router`` module
(``syllabus/enrollments/router.py``) is one, except the control plane. Authentication is the
router's first dependency (``get_api``), so it runs before anything a route declares (auth.py).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from fastapi import APIRouter, Depends

import syllabus
from syllabus.context import get_api
from syllabus.kit.routing import ADMIN_PREFIX, ResourceRouter

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


def _error(description: str, example: dict[str, Any]) -> dict[str, Any]:
    schema = VALIDATION_ERROR_SCHEMA if "errors" in example else ERROR_SCHEMA
    return {
        "description": description,
        "content": {"application/json": {"example": example, "schema": schema}},
    }


COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Bad request", {"error": "Parameter promotion_id is required."}),
    401: _error("Authentication failed", {"error": "Authentication Error"}),
    404: _error("Not found", {"error": "Record not found."}),
    413: _error("Body too large", {"error": "Request body is too large."}),
    422: _error("Validation failed", {"errors": {"email": ["has already been taken"]}}),
    500: _error("Unexpected failure; nothing was written", {"error": "Internal Server Error"}),
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


admin_router = APIRouter(
    prefix=ADMIN_PREFIX, responses=COMMON_RESPONSES, dependencies=[Depends(get_api)]
)
for resource_router in resource_routers():
    admin_router.include_router(resource_router)
