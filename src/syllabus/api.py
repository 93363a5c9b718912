"""The Admin API router: every resource under ``/api/public/v1``, composed in one place."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from syllabus.chapters.router import router as chapters_router
from syllabus.contents.router import router as contents_router
from syllabus.courses.router import router as courses_router
from syllabus.custom_profile_fields.router import router as custom_profile_fields_router
from syllabus.enrollments.router import router as enrollments_router
from syllabus.users.router import router as users_router

ADMIN_PREFIX = "/api/public/v1"


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

admin_router = APIRouter(prefix=ADMIN_PREFIX, responses=COMMON_RESPONSES)
# FastAPI matches included routers in order, one after the other: busiest first.
for resource_router in (
    users_router,
    enrollments_router,
    courses_router,
    chapters_router,
    contents_router,
    custom_profile_fields_router,
):
    admin_router.include_router(resource_router)
