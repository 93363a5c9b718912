"""Helpers for HTTP tests: a client bound to one site's credentials."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from syllabus.db import Database
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
