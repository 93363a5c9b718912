"""Helpers for HTTP tests: a client bound to one site's credentials."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.main import create_app
from syllabus.sites.service import create_site
from tests.openapi_validator import assert_matches_openapi

T = TypeVar("T")
PREFIX = "/api/public/v1"


@dataclass
class SiteClient:
    """One site: its id and key, and a client that sends its credentials on every request."""

    http: TestClient
    database: Database
    id: int
    subdomain: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Auth-API-Key": self.key, "X-Auth-Subdomain": self.subdomain}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one request with the site's credentials; its response must match our OpenAPI."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        response = self.http.request(method, PREFIX + path, headers=headers, **kwargs)
        if response.status_code != 500:
            assert_matches_openapi(self.http.app.openapi(), method, PREFIX + path, response)  # type: ignore[attr-defined]
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def db(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in its own committed transaction (factories, direct assertions)."""
        with self.database.transaction() as session:
            return work(session)


def new_site(http: TestClient, database: Database, subdomain: str) -> SiteClient:
    with database.transaction() as session:
        issued = create_site(session, subdomain)
        site_id = issued.site.id
    return SiteClient(http, database, site_id, subdomain, issued.secret)


def pagination(page: int, per: int, total: int, count: int) -> dict[str, Any]:
    """The ``meta.pagination`` Thinkific sends, computed independently of the server's code."""
    import math

    total_pages = math.ceil(total / per) if total else 0
    beyond = page > total_pages
    first = (page - 1) * per + 1
    return {
        "current_page": page,
        "next_page": page + 1 if page < total_pages else None,
        "prev_page": page - 1 if page > 1 and not beyond else None,
        "total_pages": total_pages,
        "total_items": total,
        "entries_info": f"{first}-{first + count - 1} of {total}" if count else f"0-0 of {total}",
    }


# Thinkific's wire bodies, written out here rather than taken from the server.
AUTHENTICATION_ERROR = {"error": "Authentication Error"}
RECORD_NOT_FOUND = {"error": "Record not found."}
EMPTY_PAGE = {
    "items": [],
    "meta": {
        "pagination": {
            "current_page": 1,
            "next_page": None,
            "prev_page": None,
            "total_pages": 0,
            "total_items": 0,
            "entries_info": "0-0 of 0",
        }
    },
}
# Headers that must not authenticate anyone: nothing, a wrong key, an unknown subdomain, a bearer.
BAD_CREDENTIALS = [
    {},
    {"X-Auth-API-Key": "0" * 32},
    {"X-Auth-Subdomain": "nobody"},
    {"Authorization": "Bearer nope"},
]
PAGINATION_FIELDS = (
    "current_page",
    "next_page",
    "prev_page",
    "total_pages",
    "total_items",
    "entries_info",
)
# Five items two to a page: each page's ``meta.pagination``, in PAGINATION_FIELDS order.
FIVE_BY_TWO = [
    (1, 2, None, 3, 5, "1-2 of 5"),
    (2, 3, 1, 3, 5, "3-4 of 5"),
    (3, None, 2, 3, 5, "5-5 of 5"),
]


def assert_answers(response: httpx.Response, status: int, body: Any) -> None:
    """The response has ``status`` and exactly the JSON ``body``."""
    assert response.status_code == status, response.text
    assert response.json() == body, response.text


def assert_five_by_two(site: SiteClient, path: str, ids: list[int], *, beyond: int = 4) -> None:
    """Walk the five ``ids`` listed at ``path`` two to a page, then ask for page ``beyond``.

    Page 1 is asked for without ``page`` (the default); every page's ids and pagination are
    compared whole, and the page beyond is empty with no previous page.
    """
    assert len(ids) == 5
    # httpx replaces a path's query string with `params`: keep the path's own (a filter).
    path, _, query = path.partition("?")
    kept = dict(parse_qsl(query, keep_blank_values=True))
    for page, values in enumerate(FIVE_BY_TWO, start=1):
        params = {"limit": 2} if page == 1 else {"limit": 2, "page": page}
        body = site.get(path, params={**kept, **params}).json()
        assert [item["id"] for item in body["items"]] == ids[2 * page - 2 : 2 * page]
        assert body["meta"]["pagination"] == dict(zip(PAGINATION_FIELDS, values, strict=True))
    empty = (beyond, None, None, 3, 5, "0-0 of 5")
    assert site.get(path, params={**kept, "limit": 2, "page": beyond}).json() == {
        "items": [],
        "meta": {"pagination": dict(zip(PAGINATION_FIELDS, empty, strict=True))},
    }


def overridden(body: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """``body`` with ``overrides`` applied; each override must name one of its keys."""
    unknown = set(overrides) - set(body)
    assert not unknown, unknown
    body.update(overrides)
    return body


def assert_only_theirs(site: SiteClient, other_site: SiteClient, path: str) -> None:
    """``path`` is ``other_site``'s record: Thinkific's 404 for ``site``, a 200 for its owner."""
    assert_answers(site.get(path), 404, RECORD_NOT_FOUND)
    assert other_site.get(path).status_code == 200


def app_settings(database_url: str, **overrides: object) -> Settings:
    """The suite's app settings, changed by ``overrides``: the admin token the tests send, no
    server-wide rate limit (tests send bursts; a site given its own limit is still held to it)
    and no webhook deliveries (tests/deliveries runs apps that send them)."""
    fields: dict[str, object] = {
        "admin_token": "test-admin-token",
        "rate_limit_per_minute": 0,
        "deliver_webhooks": False,
    }
    return Settings(database_url=database_url, **{**fields, **overrides})  # type: ignore[arg-type]


@contextmanager
def client_with(
    database: Database, database_url: str, *, raise_errors: bool = True, **settings: object
) -> Iterator[TestClient]:
    """A test client of an app with the suite's settings changed by ``settings``, on the
    shared database, its lifespan running (so a delivery worker, if on)."""
    app = create_app(app_settings(database_url, **settings), database)
    with TestClient(app, raise_server_exceptions=raise_errors) as client:
        yield client


def httpx_arguments(request: dict[str, Any]) -> dict[str, Any]:
    """schemathesis's request (``requests``' keywords) as the test client's."""
    request = {key: value for key, value in request.items() if value is not None}
    request.pop("cookies", None)
    if "data" in request and not isinstance(request["data"], dict):
        request["content"] = request.pop("data")
    return request
