"""Scopes on every Admin API operation (enumerated from our OpenAPI, so a new one is covered by
itself): an OAuth token reads with ``read:<resource>`` and writes with ``write:<resource>``;
out of scope is 403 with FIDELITY §5's body (the Site Scripts spec's for site scripts). API keys
and CLI-minted tokens are unrestricted."""

from __future__ import annotations

import re

import pytest

from syllabus.oauth.scopes import known_scopes, resource_of
from tests.contract.harness import SERVED
from tests.factories import make_oauth_token
from tests.oauth.helpers import OUT_OF_SCOPE, bearer
from tests.support import RECORD_NOT_FOUND, SiteClient, assert_answers

SITE_SCRIPTS_OUT_OF_SCOPE = {"error": "Access token has insufficient scope."}
ADMIN = {"Authorization": "Bearer test-admin-token"}
OPERATIONS = sorted(
    (method.upper(), template)
    for template, operations in SERVED["paths"].items()
    if template.startswith("/api/public/v1/")
    for method in operations
    if method in ("get", "post", "put", "patch", "delete")
)


def ids(operations: list[tuple[str, str]]) -> list[str]:
    return [" ".join(operation) for operation in operations]


def call(site: SiteClient, token: str, method: str, template: str) -> tuple[int, object]:
    """The operation on ids that don't exist, with an empty JSON body: whatever it answers on
    its own merits (404, 422, 200), unless the token may not call it at all."""
    path = re.sub(r"\{[^}]*\}", "1", template)
    body = None if method in ("GET", "DELETE") else {}
    response = site.http.request(method, path, json=body, headers=bearer(token))
    return response.status_code, response.json() if response.content else None


def refusal(template: str) -> dict[str, str]:
    return SITE_SCRIPTS_OUT_OF_SCOPE if resource_of(template) == "site_scripts" else OUT_OF_SCOPE


def every(action: str) -> list[str]:
    return sorted(scope for scope in known_scopes() if scope.startswith(action + ":"))


def test_the_operations_and_their_resources_are_enumerated() -> None:
    assert ("GET", "/api/public/v1/courses/{id}/chapters") in OPERATIONS
    assert ("POST", "/api/public/v1/enrollments") in OPERATIONS
    assert resource_of("/api/public/v1/courses/{id}/chapters") == "courses"
    # Every operation's resource is one an app may be granted.
    assert {f"read:{resource_of(t)}" for _, t in OPERATIONS} <= known_scopes()


@pytest.fixture
def reader(site: SiteClient) -> str:
    return make_oauth_token(site, every("read"))


@pytest.fixture
def writer(site: SiteClient) -> str:
    return make_oauth_token(site, every("write"))


@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=ids(OPERATIONS))
def test_a_read_needs_read_scope_and_a_write_write_scope(
    site: SiteClient, reader: str, writer: str, method: str, template: str
) -> None:
    allowed, refused = (reader, writer) if method == "GET" else (writer, reader)
    status, body = call(site, refused, method, template)
    assert (status, body) == (403, refusal(template))
    status, body = call(site, allowed, method, template)
    assert status != 403, body


def test_a_scope_opens_its_own_resource_only(site: SiteClient) -> None:
    token = make_oauth_token(site, ["read:courses", "write:users"])
    headers = bearer(token)
    assert site.http.get("/api/public/v1/courses", headers=headers).status_code == 200
    assert_answers(site.http.get("/api/public/v1/users", headers=headers), 403, OUT_OF_SCOPE)
    user = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}
    created = site.http.post("/api/public/v1/users", json=user, headers=headers)
    assert created.status_code == 201, created.text
    # Out of scope writes nothing.
    refused = site.http.post("/api/public/v1/groups", json={"name": "Nope"}, headers=headers)
    assert_answers(refused, 403, OUT_OF_SCOPE)
    assert site.get("/groups").json()["items"] == []


def test_an_oauth_token_names_its_site_and_no_other(
    site: SiteClient, other_site: SiteClient
) -> None:
    token = make_oauth_token(site, every("read"))
    mine = site.post("/users", json={"first_name": "A", "last_name": "B", "email": "a@b.co"})
    user_id = mine.json()["id"]
    here = site.http.get(f"/api/public/v1/users/{user_id}", headers=bearer(token))
    assert here.status_code == 200
    # A bearer token names its site: a subdomain header naming another one changes nothing.
    headers = {**bearer(token), "X-Auth-Subdomain": other_site.subdomain}
    still_here = site.http.get(f"/api/public/v1/users/{user_id}", headers=headers)
    assert_answers(still_here, 200, here.json())
    theirs = other_site.post(
        "/users", json={"first_name": "C", "last_name": "D", "email": "c@d.co"}
    )
    elsewhere = site.http.get(f"/api/public/v1/users/{theirs.json()['id']}", headers=headers)
    assert_answers(elsewhere, 404, RECORD_NOT_FOUND)


def test_api_keys_and_cli_tokens_are_unrestricted(site: SiteClient) -> None:
    minted = site.http.post(f"/_syllabus/sites/{site.subdomain}/tokens", headers=ADMIN)
    assert minted.status_code == 201, minted.text
    access = bearer(minted.json()["access_token"])
    user = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}
    assert site.http.post("/api/public/v1/users", json=user, headers=access).status_code == 201
    assert site.http.get("/api/public/v1/site_scripts", headers=access).status_code == 200
    assert site.post("/groups", json={"name": "Anything"}).status_code == 200
    assert site.get("/site_scripts").status_code == 200
