"""Reads take the planned path (kit.routing.PlannedRoute), and it answers as FastAPI's own.

The planned path is a speed measure (issue 10): every read of the site APIs solves its
parameters by a plan made once. Its answers are the whole suite's: every read, error and
validation test runs through it. Here: that every read is planned, so that a new one, or a
FastAPI upgrade that stops the plan, is noticed; and that a dependency override still works.
"""

from __future__ import annotations

from fastapi.routing import APIRoute

from syllabus.api import resource_routers
from syllabus.api_v2 import events_router, webhooks_router
from syllabus.context import Api, get_api
from syllabus.errors import AuthenticationError
from syllabus.kit.routing import PlannedRoute
from tests.support import AUTHENTICATION_ERROR, SiteClient, assert_answers

ROUTES = [
    route
    for router in [*resource_routers(), webhooks_router, events_router]
    for route in router.routes
    if isinstance(route, APIRoute)
]


def test_every_read_of_the_site_apis_is_planned() -> None:
    reads = [route for route in ROUTES if "GET" in route.methods]
    assert len(reads) > 40
    assert all(isinstance(route, PlannedRoute) for route in ROUTES)
    assert [route.path for route in reads if not route.planned] == []  # type: ignore[attr-defined]


def test_a_write_with_a_body_keeps_fastapis_handler() -> None:
    create_user = next(r for r in ROUTES if r.path == "/users" and "POST" in r.methods)
    assert create_user.planned is False  # type: ignore[attr-defined]


def test_a_dependency_override_is_honoured(site: SiteClient) -> None:
    """With an override, the request goes down FastAPI's own path, which applies it."""
    app = site.http.app
    real = site.get("/courses")
    assert real.status_code == 200

    async def nobody() -> Api:
        raise AuthenticationError()

    app.dependency_overrides[get_api] = nobody  # type: ignore[attr-defined]
    try:
        assert_answers(site.get("/courses"), 401, AUTHENTICATION_ERROR)
    finally:
        app.dependency_overrides.clear()  # type: ignore[attr-defined]
    assert site.get("/courses").status_code == 200


def test_validation_errors_are_fastapis(site: SiteClient) -> None:
    """A path id that is no integer is Thinkific's 404, a bad query parameter its 400: the same
    RequestValidationError FastAPI raises, read by errors.py."""
    assert_answers(site.get("/courses/abc"), 404, {"error": "Record not found."})
    assert_answers(site.get("/courses/abc/chapters"), 404, {"error": "Record not found."})
