"""The contract harness: every operation we serve under /api/public/v1 and /api/v2, exercised
over HTTP and checked against our own OpenAPI document (tests/contract/test_openapi_responses.py
runs them). Admin API operations are named without their prefix (``GET /users``), /api/v2 ones
with theirs (``GET /api/v2/webhooks``).

Each resource registers its exercises next to its own tests, in ``tests/<resource>/contract.py``,
with ``@exercise("GET /users")``; ``discover()`` imports every such module, so no file here grows
with each resource. Each exercise drives the operation with valid data (rows made by
tests/factories.py) and with its error cases; every response must be documented and match its
schema (tests/openapi_validator.py), and error bodies are compared whole, because the documented
error schemas say less than Thinkific's wire format.

What an exercise must cover is derived from the operation itself:

* always a success (2xx) and a 401;
* a path with parameters: a 404;
* a request body: a 400 (a body that is not a JSON object) and a 422;
* a list (``page`` and ``limit`` parameters): a walk through every page (``page_through``);
  a v2 list (``next`` and ``limit``): a walk along its cursor (``cursor_through``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from syllabus.api import ADMIN_PREFIX
from syllabus.config import Settings
from syllabus.kit.routing import V2_PREFIX
from syllabus.main import create_app
from syllabus.models import User
from tests.openapi_validator import assert_matches_openapi, find_operation
from tests.support import PAGINATION_FIELDS, PREFIX, SiteClient, pagination

METHODS = ("get", "post", "put", "patch", "delete")
NO_SUCH_ID = 987_654_321
AUTHENTICATION_ERROR = {"error": "Authentication Error"}
RECORD_NOT_FOUND = {"error": "Record not found."}
NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}
PAGINATION_KEYS = set(PAGINATION_FIELDS)
CURSOR_PAGE_KEYS = {"has_next", "next_page", "page_items", "total_items"}


def _served_openapi() -> dict[str, Any]:
    """Our OpenAPI document, from an app whose database is never touched."""
    app = create_app(Settings(database_url="sqlite://"))
    try:
        return app.openapi()
    finally:
        app.state.database.dispose()


def operations_of(openapi: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        (method.upper(), template.removeprefix(ADMIN_PREFIX))
        for template, operations in openapi["paths"].items()
        if template.startswith((ADMIN_PREFIX + "/", V2_PREFIX + "/"))
        for method in operations
        if method in METHODS
    )


def url_of(path: str) -> str:
    """The path an operation's (or a call's) ``path`` names: an /api/v2 path is whole, any other
    is under the Admin API's prefix."""
    return path if path.startswith(V2_PREFIX + "/") else PREFIX + path


_PARAMETER = re.compile(r"\{[^}]*\}")


def shape(method: str, template: str) -> str:
    """``GET /users/{}``: an operation, whatever its path parameters are called."""
    return f"{method.upper()} {_PARAMETER.sub('{}', template)}"


SERVED = _served_openapi()
OPERATIONS = operations_of(SERVED)


# -- The harness ------------------------------------------------------------------------------


@dataclass
class Contract:
    """One operation under test, with a site to exercise it on and what the exercise covered."""

    method: str
    template: str
    spec: dict[str, Any]
    openapi: dict[str, Any]
    site: SiteClient
    other_site: SiteClient
    statuses: list[int] = field(default_factory=list)
    paged: bool = False

    def call(
        self,
        status: int,
        path: str,
        *,
        expect: Any = None,
        credentials: str = "site",
        **kwargs: Any,
    ) -> httpx.Response:
        """Send this operation's method to ``path`` and check the response.

        ``expect`` is the whole expected JSON body, or a predicate on it. 401 and 404 default to
        Thinkific's bodies; every other 4xx must say what it expects.
        """
        url = url_of(path)
        operation = find_operation(self.openapi, self.method, url)
        assert operation.template == url_of(self.template), (
            f"{self.method} {path} reaches {operation.template}, not the operation under test"
        )
        headers = {
            "site": self.site.headers,
            "none": {},
            "bad key": {**self.site.headers, "X-Auth-API-Key": "0" * 32},
            "other subdomain": {**self.site.headers, "X-Auth-Subdomain": self.other_site.subdomain},
        }[credentials]
        response = self.site.http.request(
            self.method, url, headers={**headers, **kwargs.pop("headers", {})}, **kwargs
        )
        self.statuses.append(response.status_code)
        assert response.status_code == status, (
            f"{self.method} {path}: expected {status}, got {response.status_code}: {response.text}"
        )
        assert_matches_openapi(self.openapi, self.method, url, response)
        if expect is None:
            expect = {401: AUTHENTICATION_ERROR, 404: RECORD_NOT_FOUND}.get(status)
        if expect is None and status >= 400:
            raise AssertionError(f"the exercise must say which {status} body it expects")
        if callable(expect):
            assert expect(response.json()), f"{self.method} {path}: {response.text}"
        elif expect is not None:
            assert response.json() == expect
        if status == 200 and self.is_list:
            body = response.json()
            assert set(body) == {"items", "meta"}
            assert set(body["meta"]) == {"pagination"}
            assert set(body["meta"]["pagination"]) == PAGINATION_KEYS
        if status == 200 and self.is_cursor_list:
            body = response.json()
            assert set(body) == {"items", "meta"}
            assert set(body["meta"]) == {"page"}
            assert set(body["meta"]["page"]) == CURSOR_PAGE_KEYS
        return response

    def unauthorized(self, path: str, **kwargs: Any) -> None:
        """401 without credentials, with a wrong key, and with a key for another subdomain."""
        for credentials in ("none", "bad key", "other subdomain"):
            self.call(401, path, credentials=credentials, **kwargs)

    def page_through(self, path: str, expected_ids: list[int], *, limit: int = 2) -> None:
        """Walk every page, then one beyond the last; compare ids and ``meta`` on each."""
        total = len(expected_ids)
        separator = "&" if "?" in path else "?"
        page = 1
        while True:
            body = self.call(200, f"{path}{separator}page={page}&limit={limit}").json()
            chunk = expected_ids[(page - 1) * limit : page * limit]
            assert [item["id"] for item in body["items"]] == chunk
            assert body["meta"] == {"pagination": pagination(page, limit, total, len(chunk))}
            if body["meta"]["pagination"]["next_page"] is None:
                break
            page += 1
        beyond = self.call(200, f"{path}{separator}page={page + 1}&limit={limit}").json()
        assert beyond == {
            "items": [],
            "meta": {"pagination": pagination(page + 1, limit, total, 0)},
        }
        self.paged = True

    def cursor_through(self, path: str, expected_ids: list[str], *, limit: int = 2) -> None:
        """Walk a v2 list along its ``next`` cursor, from the first page to the last; compare
        ids and ``meta.page`` on each. A ``page`` parameter changes nothing."""
        total = len(expected_ids)
        cursor = ""
        for start in range(0, max(total, 1), limit):
            body = self.call(200, path, params={"next": cursor, "limit": limit, "page": 9}).json()
            chunk = expected_ids[start : start + limit]
            following = expected_ids[start + limit : start + limit + 1]
            assert [item["id"] for item in body["items"]] == chunk
            assert body["meta"] == {
                "page": {
                    "has_next": bool(following),
                    "next_page": following[0] if following else "",
                    "page_items": len(chunk),
                    "total_items": total,
                }
            }
            cursor = body["meta"]["page"]["next_page"]
        assert cursor == ""
        self.paged = True

    def _query_names(self) -> set[str]:
        return {p["name"] for p in self.spec.get("parameters", []) if p.get("in") == "query"}

    @property
    def is_list(self) -> bool:
        return {"page", "limit"} <= self._query_names()

    @property
    def is_cursor_list(self) -> bool:
        return {"next", "limit"} <= self._query_names()

    def required_statuses(self) -> set[int]:
        required = {401}
        if "{" in self.template:
            required.add(404)
        if "requestBody" in self.spec:
            required |= {400, 422}
        return required


Exercise = Callable[[Contract], None]
EXERCISES: dict[str, Exercise] = {}


def exercise(key: str) -> Callable[[Exercise], Exercise]:
    def register(function: Exercise) -> Exercise:
        method, template = key.split(" ", 1)
        assert shape(method, template) not in EXERCISES, f"two exercises for {key}"
        EXERCISES[shape(method, template)] = function
        return function

    return register


def count_users(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(User.site_id == site.id)))


def user_json(site: SiteClient, user_id: int) -> dict[str, Any]:
    response = site.get(f"/users/{user_id}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def is_invalid_json_error(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and list(body) == ["error"]
        and body["error"].startswith("The request body is not valid JSON")
    )


def site_list(path: str, make: Callable[[SiteClient], int]) -> Exercise:
    """A plain list of the site's rows: three made by ``make`` paged through (one made on the
    other site is not listed), and the 401s."""

    def run(c: Contract) -> None:
        ids = [make(c.site) for _ in range(3)]
        make(c.other_site)
        c.page_through(path, ids)
        c.unauthorized(path)

    return run


def discover() -> None:
    """Import every ``tests/<resource>/contract.py``: their exercises register themselves."""
    root = Path(__file__).resolve().parents[1]
    for module in sorted(root.glob("*/contract.py")):
        importlib.import_module(f"tests.{module.parent.name}.contract")
