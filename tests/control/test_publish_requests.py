"""POST /_syllabus/sites/{subdomain}/publish_requests: what a course admin does in Thinkific's
admin (ask for a product to be published), which the Admin API cannot. The request is pending,
for ``/product_publish_requests/{id}/approve`` or ``/deny`` to answer."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from syllabus.models import ProductPublishRequest
from tests.events.helpers import alphabetical, assert_recorded, recorded, topics
from tests.factories import make_user
from tests.openapi_validator import assert_matches_openapi
from tests.product_publish_requests.helpers import (
    FIELD_ORDER,
    NO_SUCH_ID,
    NOW_TEXT,
    course_admin,
    draft,
    frozen_clock,
    request_body,
    site_admin,
)
from tests.support import AUTHENTICATION_ERROR, RECORD_NOT_FOUND, SiteClient, assert_answers

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)
ADMIN = {"Authorization": "Bearer test-admin-token"}
PRODUCT_MISSING = {"product_id": ["Product could not be found."]}
USER_MISSING = {"requesting_user_id": ["User could not be found."]}


def ask(http: TestClient, subdomain: str, body: Any, headers: dict[str, str] = ADMIN) -> Any:
    path = f"/_syllabus/sites/{subdomain}/publish_requests"
    response = http.post(path, json=body, headers=headers)
    assert_matches_openapi(http.app.openapi(), "POST", path, response)  # type: ignore[attr-defined]
    return response


def stored_requests(site: SiteClient) -> int:
    statement = select(func.count()).where(ProductPublishRequest.site_id == site.id)
    return int(site.db(lambda s: s.scalar(statement)) or 0)


class TestCreatePublishRequest:
    def test_makes_a_pending_request(self, site: SiteClient) -> None:
        requester, product = course_admin(site), draft(site)

        response = ask(
            site.http, site.subdomain, {"product_id": product, "requesting_user_id": requester}
        )

        assert response.status_code == 201
        id = response.json()["id"]
        expected = request_body(
            id, product, requesting_user_id=requester, created_at=NOW_TEXT, updated_at=NOW_TEXT
        )
        assert_answers(response, 201, expected)
        assert list(response.json()) == FIELD_ORDER
        assert_answers(site.get(f"/product_publish_requests/{id}"), 200, expected)
        listed = site.get("/product_publish_requests").json()["items"]
        assert listed == [expected]
        # No Thinkific topic covers publish requests: an internal event, the request
        # alphabetically.
        assert_recorded(site, ("product_publish_request.created", alphabetical(expected)))

    def test_the_requester_is_optional(self, site: SiteClient) -> None:
        product = draft(site)
        response = ask(site.http, site.subdomain, {"product_id": product})
        expected = request_body(
            response.json()["id"], product, created_at=NOW_TEXT, updated_at=NOW_TEXT
        )
        assert_answers(response, 201, expected)

    def test_the_request_can_then_be_approved(self, site: SiteClient) -> None:
        product = draft(site)
        id = ask(site.http, site.subdomain, {"product_id": product}).json()["id"]
        approve = {"user_id": site_admin(site)}
        response = site.post(f"/product_publish_requests/{id}/approve", json=approve)
        assert response.json()["status"] == "approved"
        assert site.get(f"/products/{product}").json()["status"] == "published"
        assert topics(site) == [
            "product_publish_request.created",
            "product_publish_request.approved",
            "product.updated",
        ]

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({"product_id": NO_SUCH_ID}, PRODUCT_MISSING),
            (
                {"product_id": NO_SUCH_ID, "requesting_user_id": NO_SUCH_ID},
                {**PRODUCT_MISSING, **USER_MISSING},
            ),
            ({}, {"product_id": ["can't be blank"]}),
            ({"product_id": "abc"}, {"product_id": ["is not a number"]}),
        ],
        ids=["unknown-product", "unknown-product-and-user", "no-product", "not-a-number"],
    )
    def test_a_bad_request_is_a_422(
        self, site: SiteClient, body: dict[str, Any], errors: dict[str, Any]
    ) -> None:
        assert_answers(ask(site.http, site.subdomain, body), 422, {"errors": errors})
        assert stored_requests(site) == 0
        assert recorded(site) == []

    def test_an_unknown_requester_is_a_422(self, site: SiteClient) -> None:
        body = {"product_id": draft(site), "requesting_user_id": NO_SUCH_ID}
        assert_answers(ask(site.http, site.subdomain, body), 422, {"errors": USER_MISSING})
        assert stored_requests(site) == 0

    def test_another_sites_product_or_user_is_unknown(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        body = {"product_id": draft(other_site), "requesting_user_id": make_user(other_site)}
        expected = {"errors": {**PRODUCT_MISSING, **USER_MISSING}}
        assert_answers(ask(site.http, site.subdomain, body), 422, expected)
        assert stored_requests(site) == stored_requests(other_site) == 0
        assert recorded(site) == recorded(other_site) == []

    def test_an_unknown_site_is_404(self, http: TestClient) -> None:
        assert_answers(ask(http, "no-such-site", {"product_id": 1}), 404, RECORD_NOT_FOUND)

    def test_a_body_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        response = ask(site.http, site.subdomain, [draft(site)])
        assert_answers(response, 400, {"error": "The request body must be a JSON object."})

    @pytest.mark.parametrize(
        "headers", [{}, {"Authorization": "Bearer wrong"}], ids=["none", "wrong-token"]
    )
    def test_needs_the_admin_token(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = ask(site.http, site.subdomain, {"product_id": draft(site)}, headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert stored_requests(site) == 0

    def test_a_site_api_key_is_no_admin_token(self, site: SiteClient) -> None:
        response = ask(site.http, site.subdomain, {"product_id": draft(site)}, site.headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
