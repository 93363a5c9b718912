"""Authentication comes first, as Rails' ``before_action``: on every known route, missing or
wrong credentials are a 401 before any 400, 404 or 422 that the path, the query or the body
would cause. The operations are enumerated from our OpenAPI, so a new one is covered by itself.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.contract.harness import SERVED
from tests.support import AUTHENTICATION_ERROR, SiteClient

ADMIN = {"Authorization": "Bearer test-admin-token"}
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = sorted(
    (method.upper(), template)
    for template, operations in SERVED["paths"].items()
    if template.startswith(("/api/public/v1/", "/api/v2/", "/_syllabus/"))
    for method in operations
    if method in METHODS
)
# Everything wrong at once: a path id that is no id, a NUL in the query, a broken JSON body.
BAD_QUERY = {"page": "abc", "provider": "LDAP", "query[created_after]": "9999-12-31", "x": "\x00"}
BROKEN_JSON = {"content": b'{"broken', "headers": {"Content-Type": "application/json"}}


def _path(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "not-an-id", template)


def _send(http: TestClient, method: str, template: str, headers: dict[str, str]) -> Any:
    return http.request(
        method,
        _path(template),
        params=BAD_QUERY,
        content=BROKEN_JSON["content"],
        headers={**BROKEN_JSON["headers"], **headers},
    )


def test_every_operation_is_enumerated() -> None:
    assert ("GET", "/api/public/v1/users/{id}") in OPERATIONS
    assert ("POST", "/_syllabus/sites/{subdomain}/seed") in OPERATIONS
    assert ("DELETE", "/api/v2/webhooks/{id}") in OPERATIONS


@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_bad_credentials_are_401_before_anything_else(
    method: str, template: str, site: SiteClient
) -> None:
    if template.startswith("/_syllabus/"):
        wrong = [{}, {"Authorization": "Bearer wrong"}, site.headers]
        right = ADMIN
    else:
        wrong = [
            {},
            {**site.headers, "X-Auth-API-Key": "0" * 32},
            {**site.headers, "X-Auth-Subdomain": "nobody"},
            {"Authorization": "Bearer nope"},
            ADMIN,
        ]
        right = site.headers
    for headers in wrong:
        response = _send(site.http, method, template, headers)
        assert (response.status_code, response.json()) == (401, AUTHENTICATION_ERROR), headers
    # With the right credentials the same request fails on its own merits: the body first.
    response = _send(site.http, method, template, right)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith("The request body is not valid JSON")
