"""Adding and reading a site's fault rules over the control plane."""

from __future__ import annotations

from typing import Any

import httpx

from tests.openapi_validator import assert_matches_openapi
from tests.support import SiteClient

ADMIN = {"Authorization": "Bearer test-admin-token"}


def post_fault(site: SiteClient, **rule: Any) -> httpx.Response:
    """``POST .../faults`` with ``rule`` as the body, checked against our OpenAPI."""
    path = f"/_syllabus/sites/{site.subdomain}/faults"
    response = site.http.post(path, json=rule, headers=ADMIN)
    assert_matches_openapi(site.http.app.openapi(), "POST", path, response)  # type: ignore[attr-defined]
    return response


def add_fault(site: SiteClient, **rule: Any) -> dict[str, Any]:
    response = post_fault(site, **rule)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def faults(site: SiteClient) -> list[dict[str, Any]]:
    path = f"/_syllabus/sites/{site.subdomain}/faults"
    response = site.http.get(path, headers=ADMIN)
    assert response.status_code == 200, response.text
    assert_matches_openapi(site.http.app.openapi(), "GET", path, response)  # type: ignore[attr-defined]
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def rule(actual: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The rule a test expects: ``fields`` over the defaults, the id and time from ``actual``."""
    assert isinstance(actual["id"], int)
    assert actual["created_at"].endswith("Z")
    expected: dict[str, Any] = {
        "id": actual["id"],
        "method": None,
        "path": "*",
        "action": "status",
        "status": None,
        "delay_ms": None,
        "times": None,
        "probability": None,
        "seed": None,
        "matched": 0,
        "remaining": None,
        "created_at": actual["created_at"],
    }
    unknown = set(fields) - set(expected)
    assert not unknown, unknown
    return {**expected, **fields}
