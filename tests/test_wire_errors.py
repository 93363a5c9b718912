"""Errors on the wire: Thinkific's ``{"error": ...}`` bodies everywhere, never FastAPI's
``{"detail": ...}``; a crash is a 500 that writes nothing; the operational endpoints answer."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.main import create_app
from syllabus.models import Event, User
from syllabus.users.service import UserService
from tests.factories import make_user
from tests.support import PREFIX, SiteClient, new_site

JSON = "application/json; charset=utf-8"
INTERNAL_SERVER_ERROR = {"error": "Internal Server Error"}


def no_route(method: str, path: str) -> dict[str, str]:
    return {"error": f'No route matches [{method}] "{path}"'}


class TestUnknownRoutes:
    @pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "PATCH"])
    @pytest.mark.parametrize(
        "path",
        [
            f"{PREFIX}/nothing",
            f"{PREFIX}/users/1/nothing",
            f"{PREFIX}/bundles/1/courses/extra",
            f"{PREFIX}",
            "/api/public/v2/users",
            "/api/v2/nothing",
            "/_syllabus/nothing",
            "/docs/static/nothing.js",
            "/nothing",
            "/",
        ],
    )
    def test_is_a_thinkific_404(self, site: SiteClient, method: str, path: str) -> None:
        response = site.http.request(method, path, headers=site.headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == JSON
        assert response.json() == no_route(method, path)

    def test_credentials_do_not_matter(self, http: TestClient) -> None:
        response = http.get(f"{PREFIX}/nothing")
        assert (response.status_code, response.json()) == (
            404,
            no_route("GET", f"{PREFIX}/nothing"),
        )

    def test_the_query_string_is_not_part_of_the_message(self, site: SiteClient) -> None:
        response = site.http.get(f"{PREFIX}/nothing?query[email]=a@b.co", headers=site.headers)
        assert response.json() == no_route("GET", f"{PREFIX}/nothing")

    def test_redoc_is_not_served(self, http: TestClient) -> None:
        response = http.get("/redoc")
        assert (response.status_code, response.json()) == (404, no_route("GET", "/redoc"))


class TestWrongMethods:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("DELETE", f"{PREFIX}/users"),
            ("PUT", f"{PREFIX}/users"),
            ("PATCH", f"{PREFIX}/users"),
            ("POST", f"{PREFIX}/users/1"),
            ("PATCH", f"{PREFIX}/users/1"),
            ("DELETE", f"{PREFIX}/users/1/authentications/SSO"),
            ("POST", "/healthz"),
            ("DELETE", "/openapi.json"),
            ("POST", "/docs"),
        ],
    )
    def test_is_a_thinkific_404_not_a_405(self, site: SiteClient, method: str, path: str) -> None:
        """Rails answers a known path with the wrong method as it answers an unknown path."""
        response = site.http.request(method, path, headers=site.headers, json={})
        assert response.status_code == 404
        assert response.headers["content-type"] == JSON
        assert response.json() == no_route(method, path)
        assert "allow" not in response.headers


class TestNoRedirects:
    def test_a_trailing_slash_is_not_redirected(self, site: SiteClient) -> None:
        """Clients disable redirects (FIDELITY §9.1): a 3xx would reach them as a failure.

        Rails ignores a trailing slash, so ``/users/`` lists users; a Thinkific 404 would at
        least be an error a client understands.
        """
        make_user(site)
        expected = site.get("/users")
        response = site.http.get(f"{PREFIX}/users/", headers=site.headers, follow_redirects=False)
        assert not response.is_redirect, (
            f"GET {PREFIX}/users/ answered {response.status_code} "
            f"Location: {response.headers.get('location')}"
        )
        assert (response.status_code, response.json()) in (
            (200, expected.json()),
            (404, no_route("GET", f"{PREFIX}/users/")),
        )


@pytest.fixture
def crash_app(database: Database, database_url: str) -> Iterator[TestClient]:
    """A dedicated app whose test client answers 500s instead of raising them."""
    app = create_app(Settings(database_url=database_url), database)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


class Boom(RuntimeError):
    pass


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def events_of(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(Event.site_id == site.id)))


class TestUnhandledErrors:
    def test_a_crash_after_a_write_is_a_500_that_writes_nothing(
        self,
        crash_app: TestClient,
        database: Database,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        site = new_site(crash_app, database, unique("crash-create"))
        flushed: list[int] = []

        def create(service: UserService, data: Any, *_hash: Any) -> Any:
            scope = service.scope
            user = User(
                site_id=scope.site.id,
                first_name="Half",
                last_name="Written",
                email="half@example.com",
                email_key="half@example.com",
                created_at=scope.now,
                updated_at=scope.now,
            )
            scope.session.add(user)
            scope.session.flush()
            flushed.append(user.id)
            raise Boom("after the insert")

        monkeypatch.setattr(UserService, "create", create)
        response = site.post(
            "/users", json={"first_name": "Half", "last_name": "Written", "email": "h@x.co"}
        )
        assert response.status_code == 500
        assert response.headers["content-type"] == JSON
        assert response.json() == INTERNAL_SERVER_ERROR
        assert len(flushed) == 1, "the patched service never ran its insert"
        assert site.db(lambda s: s.get(User, flushed[0])) is None
        assert site.db(lambda s: s.scalar(select(func.count()).where(User.site_id == site.id))) == 0

    def test_a_crash_after_an_update_leaves_the_row_as_it_was(
        self,
        crash_app: TestClient,
        database: Database,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        site = new_site(crash_app, database, unique("crash-update"))
        user_id = make_user(site, first_name="Before")
        before = site.get(f"/users/{user_id}").json()
        real_update = UserService.update

        def update(service: UserService, *args: Any) -> None:
            real_update(service, *args)  # writes the row and records an event
            raise Boom("after the update")

        monkeypatch.setattr(UserService, "update", update)
        response = site.put(f"/users/{user_id}", json={"first_name": "After"})
        assert (response.status_code, response.json()) == (500, INTERNAL_SERVER_ERROR)
        monkeypatch.undo()
        assert site.get(f"/users/{user_id}").json() == before
        assert events_of(site) == 0

    def test_the_app_keeps_serving_after_a_crash(
        self,
        crash_app: TestClient,
        database: Database,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        site = new_site(crash_app, database, unique("crash-recover"))

        def explode(*_args: Any) -> Any:
            raise Boom("in a read")

        monkeypatch.setattr(UserService, "list", explode)
        assert site.get("/users").json() == INTERNAL_SERVER_ERROR
        monkeypatch.undo()
        response = site.get("/users")
        assert response.status_code == 200
        assert response.json()["items"] == []


class TestOperationalEndpoints:
    def test_openapi_json_is_the_apps_document(self, http: TestClient) -> None:
        response = http.get("/openapi.json")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        document = response.json()
        assert document == http.app.openapi()  # type: ignore[attr-defined]
        assert document["openapi"].startswith("3.1")
        assert f"{PREFIX}/users" in document["paths"]
        assert {"ApiKey", "Subdomain", "Bearer"} <= set(document["components"]["securitySchemes"])

    def test_openapi_json_needs_no_credentials(self, http: TestClient) -> None:
        assert http.get("/openapi.json", headers={"X-Auth-API-Key": "wrong"}).status_code == 200

    @pytest.mark.parametrize("path", ["/healthz", "/readyz"])
    def test_health_checks_answer_200(self, http: TestClient, path: str) -> None:
        response = http.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == JSON
        assert response.json() == {"status": "ok"}
