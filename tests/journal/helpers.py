"""Reading a site's journal over the control plane, and the entries the tests expect."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.openapi_validator import assert_matches_openapi
from tests.support import SiteClient

ADMIN = {"Authorization": "Bearer test-admin-token"}


def journal(
    site: SiteClient, http: TestClient | None = None, **params: str | int
) -> dict[str, Any]:
    """The site's journal page (``query[...]`` filters and paging in ``params``), checked
    against our OpenAPI."""
    client = http or site.http
    path = f"/_syllabus/sites/{site.subdomain}/requests"
    response = client.get(path, params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert_matches_openapi(client.app.openapi(), "GET", path, response)  # type: ignore[attr-defined]
    body: dict[str, Any] = response.json()
    return body


def entries(site: SiteClient, **filters: str | int) -> list[dict[str, Any]]:
    """Every entry of the site's journal (up to 250), oldest first, filtered by ``filters``."""
    params: dict[str, str | int] = {f"query[{name}]": value for name, value in filters.items()}
    items: list[dict[str, Any]] = journal(site, **params, limit=250)["items"]
    return items


def entry(actual: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The entry a test expects: ``fields`` over the defaults of a GET with an API key, and the
    values no test can know (id, latency, time) taken from ``actual`` once their types check."""
    assert isinstance(actual["id"], int)
    assert isinstance(actual["latency_ms"], float | int)
    assert actual["latency_ms"] >= 0
    assert isinstance(actual["created_at"], str)
    assert actual["created_at"].endswith("Z")
    expected: dict[str, Any] = {
        "id": actual["id"],
        "method": "GET",
        "api": "admin",
        "path": "/users",
        "query": "",
        "status": 200,
        "latency_ms": actual["latency_ms"],
        "credential": "api_key",
        "fault": None,
        "request_body": None,
        "request_truncated": False,
        "response_body": None,
        "response_truncated": False,
        "created_at": actual["created_at"],
    }
    unknown = set(fields) - set(expected)
    assert not unknown, unknown
    return {**expected, **fields}
