"""Reads take the planned path (kit.routing.PlannedRoute), and it answers as FastAPI's own.

The planned path is a speed measure (issue 10): every read of the site APIs solves its
parameters by a plan made once. Its answers are the whole suite's: every read, error and
validation test runs through it. Here: that every read is planned, so that a new one, or a
FastAPI upgrade that stops the plan, is noticed; and that a dependency override still works.
"""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

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


def test_each_resource_router_owns_its_prefix(http: TestClient) -> None:
    """A resource router claims every path under its prefix (ResourceRouter.matches), so no
    other route of the app may lie there, nor another router's prefix."""
    routers = [*resource_routers(), webhooks_router, events_router]
    heads = [router.api + router.prefix for router in routers]
    assert all(router.prefix.count("/") == 1 and "{" not in router.prefix for router in routers)
    assert len(set(heads)) == len(heads)
    owned = {id(router) for router in routers}
    others = [
        path
        for route in http.app.routes  # type: ignore[attr-defined]
        if id(getattr(route, "original_router", None)) not in owned
        for path in _paths(route)
    ]
    assert len(others) > 20  # the control plane's, the OAuth endpoints', the docs'...
    assert [(p, h) for p in others for h in heads if p == h or p.startswith(h + "/")] == []


def _paths(route: object) -> list[str]:
    """The full paths of an app route, or of every route an included router holds."""
    inner = getattr(route, "original_router", None)
    if inner is None:
        return [getattr(route, "path", "")]
    prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
    return [prefix + path for sub in inner.routes for path in _paths(sub)]


def test_unknown_paths_and_methods_under_a_prefix(site: SiteClient) -> None:
    """Claimed by its router, a path that none of its routes matches, or a method a route
    lacks, is answered as Rails answers an unknown route (errors.py), as it was before."""
    for method, path in [
        ("GET", "/api/public/v1/courses/1/nothing-here"),
        ("PATCH", "/api/public/v1/courses"),
        ("DELETE", "/api/public/v1/courses/1"),
        ("GET", "/api/public/v1/coursesx"),
    ]:
        answer = site.http.request(method, path, headers=site.headers)
        error = f'No route matches [{method}] "{path}"'
        assert (answer.status_code, answer.json()) == (404, {"error": error})
