"""A site's own rate limit, set through the control plane (``PATCH /_syllabus/sites/{sub}``): a
number of requests a minute, ``"off"``, or null for the server's setting."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from syllabus.db import Database
from syllabus.seed.demo import prepare_demo
from syllabus.sites.service import get_site
from tests.ratelimit.conftest import (
    ADMIN,
    LimitedApp,
    set_own_limit,
    site_on,
    statuses,
)
from tests.support import AUTHENTICATION_ERROR, RECORD_NOT_FOUND, SiteClient, assert_answers


def site_body(site: SiteClient) -> dict[str, Any]:
    response = site.http.get(f"/_syllabus/sites/{site.subdomain}", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_number_replaces_the_servers_limit(limited: LimitedApp, database: Database) -> None:
    site = site_on(limited(), database)
    before = site_body(site)
    assert before["rate_limit_per_minute"] is None

    response = set_own_limit(site, 2)

    assert_answers(response, 200, {**before, "rate_limit_per_minute": 2})
    assert site_body(site) == {**before, "rate_limit_per_minute": 2}
    assert statuses(site, 3) == [200, 200, 429]


@pytest.mark.parametrize("off", ["off", 0])
def test_off_lifts_the_servers_limit(limited: LimitedApp, database: Database, off: object) -> None:
    site = site_on(limited(per_minute=2), database)
    before = site_body(site)

    assert_answers(set_own_limit(site, off), 200, {**before, "rate_limit_per_minute": 0})

    assert statuses(site, 6) == [200] * 6


def test_null_gives_the_site_the_servers_limit_again(
    limited: LimitedApp, database: Database
) -> None:
    site = site_on(limited(per_minute=2), database)
    before = site_body(site)
    set_own_limit(site, 5)
    assert statuses(site, 2) == [200, 200]

    assert_answers(set_own_limit(site, None), 200, before)

    # The server's 2 a minute, and the two just made count.
    assert statuses(site, 1) == [429]


def test_a_body_without_the_field_changes_nothing(http: TestClient, database: Database) -> None:
    site = site_on(http, database)
    set_own_limit(site, 7)
    before = site_body(site)

    response = http.patch(f"/_syllabus/sites/{site.subdomain}", json={}, headers=ADMIN)

    assert_answers(response, 200, before)
    assert before["rate_limit_per_minute"] == 7


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "must be greater than or equal to 0"),
        ("lots", "is not a number"),
        (2**40, "must be less than or equal to 2147483647"),
        (2.5, "must be an integer"),
        (True, "is not a number"),
    ],
)
def test_a_bad_value_is_422_and_changes_nothing(
    http: TestClient, database: Database, value: object, message: str
) -> None:
    site = site_on(http, database)
    set_own_limit(site, 3)
    before = site_body(site)

    response = set_own_limit(site, value)

    assert_answers(response, 422, {"errors": {"rate_limit_per_minute": [message]}})
    assert site_body(site) == before


def test_an_unknown_site_is_404_and_the_admin_token_is_required(site: SiteClient) -> None:
    body = {"rate_limit_per_minute": 5}
    missing = site.http.patch("/_syllabus/sites/nope-nope", json=body, headers=ADMIN)
    assert_answers(missing, 404, RECORD_NOT_FOUND)
    for headers in ({}, site.headers):
        response = site.http.patch(f"/_syllabus/sites/{site.subdomain}", json=body, headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
    assert site_body(site)["rate_limit_per_minute"] is None


def test_the_patch_is_in_the_openapi_document(http: TestClient) -> None:
    operation = http.get("/openapi.json").json()["paths"]["/_syllabus/sites/{subdomain}"]["patch"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/SiteUpdate"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SiteRead"
    }
    components = http.get("/openapi.json").json()["components"]["schemas"]
    setting = components["SiteUpdate"]["properties"]["rate_limit_per_minute"]
    assert setting["anyOf"] == [
        {"type": "integer", "minimum": 0, "maximum": 2147483647},
        {"const": "off"},
        {"type": "null"},
    ]
    assert "rate_limit_per_minute" in components["SiteRead"]["required"]


def test_the_demo_site_is_not_limited(limited: LimitedApp, database: Database) -> None:
    client = limited(per_minute=2)
    subdomain = f"rldemo{uuid.uuid4().hex[:12]}"
    with database.transaction() as session:
        demo = prepare_demo(session, subdomain, None)
        site_id = get_site(session, subdomain).id
    site = SiteClient(client, database, site_id, subdomain, demo.key)

    assert demo.rate_limit == 0
    assert statuses(site, 4) == [200] * 4
    assert set_own_limit(site, None).status_code == 200
    assert statuses(site, 3) == [200, 200, 429]
