"""``GET /_syllabus/sites/{sub}/export``: the site in the ``syllabus load`` format, which loaded
into a new site reproduces every Admin API answer but the identifiers the server makes."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from syllabus.seed.loader import sections
from tests.factories import make_course
from tests.snapshots.helpers import (
    answers,
    control,
    difference,
    exported,
    fill_every_table,
    loaded,
    seeded,
)
from tests.support import SiteClient

# The Admin API's GET operations that need a value no list gives: a user's identity with a
# provider, and the promotion a coupon code gives on a product.
UNASKED = {"/users/{id}/authentications/{provider}", "/promotions/by_coupon"}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def first(site: SiteClient, path: str, **params: Any) -> dict[str, Any]:
    items: list[dict[str, Any]] = ok(site.get(path, params={"limit": 250, **params}))["items"]
    return items[0]


def beyond_the_seed(site: SiteClient) -> None:
    """What the seeder does not make, through the API and the control plane: a user with an
    external identity and a profile, a free trial and an expired enrollment, an instructor who
    is a user, a promotion for some products with coupons used and unused, two purchases of a
    product by one buyer, a buyer deleted since (the order keeps the names), two reviews of a
    course by one user, a group with members, a category of products, a site script, an
    external order with its transactions, and a student's progress."""
    course = first(site, "/courses")
    product = first(site, "/products")
    assert product["productable_type"] == "Course"
    definition = first(site, "/custom_profile_field_definitions")
    ada = ok(
        site.post(
            "/users",
            json={
                "first_name": "Ada",
                "last_name": "Lovelace",
                "email": "ada@example.com",
                "external_id": "ada-1",
                "provider": "OPENID_CONNECT",
                "bio": "Analyst",
                "headline": "First programmer",
                "avatar_url": "https://example.com/ada.png",
                "roles": ["affiliate"],
                "custom_profile_fields": [
                    {"custom_profile_field_definition_id": definition["id"], "value": "UK"}
                ],
            },
        ),
        201,
    )
    ok(site.put(f"/users/{ada['id']}", json={"company": "Analytical Engines"}), 204)
    ok(site.post("/enrollments", json={"user_id": ada["id"], "course_id": course["id"]}), 201)
    ok(
        site.post(
            "/instructors", json={"first_name": "Ada", "last_name": "L", "user_id": ada["id"]}
        ),
        201,
    )
    promotion = ok(
        site.post(
            "/promotions",
            json={
                "name": "Spring",
                "discount_type": "fixed",
                "amount": "5.5",
                "product_ids": [product["id"]],
                "expires_at": "2099-01-01T00:00:00Z",
                "duration": 3,
            },
        ),
        201,
    )
    ok(
        site.post(
            "/coupons",
            params={"promotion_id": promotion["id"]},
            json={"code": "SPRING", "quantity": 5},
        ),
        201,
    )
    ok(
        site.post(
            "/coupons",
            params={"promotion_id": promotion["id"]},
            json={"code": "UNUSED", "note": "spare"},
        ),
        201,
    )
    grace = ok(
        site.post(
            "/users", json={"first_name": "Grace", "last_name": "H", "email": "grace@example.com"}
        ),
        201,
    )
    for _ in range(2):  # the same product, bought twice by the same buyer
        purchase = {"user_id": grace["id"], "product_id": product["id"], "coupon_code": "SPRING"}
        ok(control(site, "POST", "/checkout", json=purchase), 201)
    alan = ok(
        site.post(
            "/users", json={"first_name": "Alan", "last_name": "T", "email": "alan@example.com"}
        ),
        201,
    )
    ok(
        control(
            site, "POST", "/checkout", json={"user_id": alan["id"], "product_id": product["id"]}
        ),
        201,
    )
    ok(site.delete(f"/users/{alan['id']}"), 204)
    review = {
        "rating": 5,
        "title": "Great",
        "review_text": "Loved it.",
        "user_id": grace["id"],
        "approved": True,
    }
    for _ in range(2):
        ok(site.post("/course_reviews", params={"course_id": course["id"]}, json=review), 201)
    ok(site.post("/groups", json={"name": "Night owls"}), 200)
    ok(site.post("/group_users", json={"user_id": grace["id"], "group_names": ["Night owls"]}), 201)
    category = ok(
        site.post("/collections", json={"name": "Picks", "slug": "picks", "description": "Ours"}),
        201,
    )
    ok(
        site.post(
            f"/collection_memberships/{category['id']}", json={"product_ids": [product["id"]]}
        ),
        201,
    )
    ok(
        site.post(
            "/site_scripts",
            json={
                "name": "Chat",
                "description": "A chat widget",
                "src": "https://chat.example.com/widget.js",
                "page_scopes": ["checkout", "all"],
                "category": "functional",
                "location": "head",
            },
        ),
        201,
    )
    order = ok(
        site.post(
            "/external_orders",
            json={
                "payment_provider": "PayPal",
                "user_id": grace["id"],
                "product_id": product["id"],
                "order_type": "one-time",
                "transaction": {"amount": 1000, "currency": "eur", "reference": "pp-1"},
            },
        ),
        201,
    )
    refund = {"amount": 400, "currency": "eur", "reference": "pp-2"}
    ok(site.post(f"/external_orders/{order['id']}/transactions/refund", json=refund), 200)
    fill_every_table(site)


@pytest.fixture
def source(site: SiteClient) -> SiteClient:
    seeded(site)
    beyond_the_seed(site)
    return site


class TestExport:
    def test_yaml_by_default_and_json_when_asked(self, source: SiteClient) -> None:
        as_yaml = control(source, "GET", "/export")
        assert as_yaml.status_code == 200
        assert as_yaml.headers["content-type"] == "application/yaml"
        as_json = control(source, "GET", "/export", headers={"Accept": "application/json"})
        assert as_json.headers["content-type"] == "application/json; charset=utf-8"
        assert yaml.safe_load(as_yaml.text) == as_json.json() == exported(source)

    def test_an_empty_site_exports_its_default_category(self, site: SiteClient) -> None:
        document = exported(site)
        assert list(document) == ["categories"]
        assert document["categories"] == [
            {
                "slug": "all",
                "name": "All Courses",
                "created_at": document["categories"][0]["created_at"],
            }
        ]

    def test_a_row_the_format_cannot_hold(self, site: SiteClient) -> None:
        make_course(site, slug="Not A Slug")
        response = control(site, "GET", "/export")
        assert response.status_code == 422
        assert response.json() == {
            "errors": {
                "base": [
                    "courses[0].slug: must be lowercase letters, digits and single hyphens "
                    "(like 'intro-101')"
                ]
            }
        }

    def test_every_section_exports(self) -> None:
        assert [section.key for section in sections() if "export" not in vars(type(section))] == []

    def test_unknown_site(self, site: SiteClient) -> None:
        response = site.http.get(
            "/_syllabus/sites/nobody-here/export",
            headers={"Authorization": "Bearer test-admin-token"},
        )
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found."}


class TestRoundTrip:
    def test_a_loaded_export_answers_every_list_as_the_site_does(
        self, source: SiteClient, other_site: SiteClient
    ) -> None:
        document = yaml.safe_load(control(source, "GET", "/export").text)
        result = loaded(other_site, document)
        assert result["changes"] > 0
        original, unasked = answers(source)
        copied, _ = answers(other_site)
        assert unasked == UNASKED
        assert [operation for operation, _ in copied] == [operation for operation, _ in original]
        for (operation, want), (_, got) in zip(original, copied, strict=True):
            assert got == want, f"{operation}{difference(want, got)}"
        # Every kind of row was compared, most of them more than once.
        operations = {operation for operation, _ in original}
        assert len(operations) == len(site_operations(source)) - len(UNASKED)

    def test_loading_it_again_changes_nothing(
        self, source: SiteClient, other_site: SiteClient
    ) -> None:
        document = exported(source)
        loaded(other_site, document)
        again = loaded(other_site, document)
        assert again["changes"] == 0
        assert {tally["created"] + tally["updated"] for tally in again["sections"].values()} == {0}
        assert exported(other_site) == document


def site_operations(site: SiteClient) -> set[str]:
    spec = site.http.app.openapi()  # type: ignore[attr-defined]
    return {
        path
        for path, methods in spec["paths"].items()
        if path.startswith("/api/public/v1") and "get" in methods
    }
