"""POST /_syllabus/sites/{subdomain}/checkout: a student's purchase, which Thinkific's Admin API
cannot make. It prices the product (less a coupon's promotion), records the order with
``order.created``, and enrolls the buyer in what the product sells."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from syllabus.models import Course
from tests.factories import (
    make_coupon,
    make_course,
    make_enrollment,
    make_promotion,
)
from tests.orders.helpers import (
    ADMIN,
    FIELD_ORDER,
    NOW,
    NOW_TEXT,
    PRODUCT_MISSING,
    UNKNOWN_BUYER_OR_PRODUCT,
    USER_MISSING,
    checkout,
    enrollments_of,
    frozen_clock,
    new_bundle_product,
    new_buyer,
    new_course_product,
    new_product,
    order_body,
    order_payload,
    quantity_used,
    recorded_events,
    stored_orders,
)
from tests.support import AUTHENTICATION_ERROR, RECORD_NOT_FOUND, SiteClient, assert_answers

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)


def buy(site: SiteClient, user_id: Any, product_id: Any, **body: Any) -> Any:
    return checkout(site.http, site.subdomain, user_id=user_id, product_id=product_id, **body)


def not_valid(code: str) -> dict[str, Any]:
    return {"errors": {"coupon_code": [f"{code} is not a valid coupon for this product"]}}


class TestCheckout:
    def test_orders_a_course_and_enrolls_the_buyer(self, site: SiteClient) -> None:
        buyer, (product, course) = new_buyer(site), new_course_product(site, "20.0")

        response = buy(site, buyer.id, product.id)

        assert response.status_code == 201
        order = response.json()["id"]
        expected = order_body(order, buyer, product, 2000, created_at=NOW_TEXT)
        assert_answers(response, 201, expected)
        assert list(response.json()) == FIELD_ORDER
        assert_answers(site.get(f"/orders/{order}"), 200, expected)
        assert stored_orders(site) == [order]
        assert enrollments_of(site, buyer.id) == [(course, NOW, None, False)]
        events = recorded_events(site)
        assert [(resource, action) for resource, action, _ in events] == [
            ("order", "created"),
            ("enrollment", "created"),
        ]
        payload = events[0][2]
        assert payload == order_payload(order, buyer, product, 2000, NOW_TEXT)
        assert list(payload) == list(order_payload(order, buyer, product, 2000, NOW_TEXT))
        assert list(payload)[-1] == "items"
        assert events[1][2]["course_id"] == course

    def test_a_percentage_coupon(self, site: SiteClient) -> None:
        buyer, (product, _course) = new_buyer(site), new_course_product(site, "49.0")
        promotion = make_promotion(site, [product.id], amount=Decimal("10"))
        coupon = make_coupon(site, promotion, code="SAVE10", quantity=5, quantity_used=2)

        response = buy(site, buyer.id, product.id, coupon_code="SAVE10")

        order = response.json()["id"]
        assert_answers(
            response,
            201,
            order_body(
                order,
                buyer,
                product,
                4410,
                created_at=NOW_TEXT,
                coupon_code="SAVE10",
                coupon_id=coupon,
            ),
        )
        assert quantity_used(site, coupon) == 3
        assert recorded_events(site)[0][2] == order_payload(
            order,
            buyer,
            product,
            4410,
            NOW_TEXT,
            coupon={"id": coupon, "code": "SAVE10", "promotion_id": promotion},
        )
        # The coupon's use is the order's (its coupon): no event of the coupon's own.
        assert [(r, a) for r, a, _ in recorded_events(site)] == [
            ("order", "created"),
            ("enrollment", "created"),
        ]

    @pytest.mark.parametrize(
        ("price", "amount", "cents"),
        [("49.0", "5", 4400), ("49.99", "0.99", 4900), ("10.0", "25", 0)],
        ids=["five-dollars-off", "cents-off", "never-below-zero"],
    )
    def test_a_fixed_amount_coupon(
        self, site: SiteClient, price: str, amount: str, cents: int
    ) -> None:
        buyer, product = new_buyer(site), new_product(site, price)
        promotion = make_promotion(site, discount_type="fixed", amount=Decimal(amount))
        make_coupon(site, promotion, code="FIXED")
        body = buy(site, buyer.id, product.id, coupon_code="FIXED").json()
        assert body["amount_cents"] == cents
        assert body["items"][0]["amount_cents"] == cents

    def test_an_unlimited_coupon_is_used_again_and_again(self, site: SiteClient) -> None:
        product = new_product(site)
        coupon = make_coupon(site, make_promotion(site), code="ALWAYS", quantity=None)
        for _ in range(3):
            assert (
                buy(site, new_buyer(site).id, product.id, coupon_code="ALWAYS").status_code == 201
            )
        assert quantity_used(site, coupon) == 3

    @pytest.mark.parametrize(
        "promotion",
        [
            {"starts_at": NOW + timedelta(seconds=1)},
            {"expires_at": NOW},
            {"expires_at": NOW - timedelta(days=1)},
        ],
        ids=["not-started", "expires-now", "expired"],
    )
    def test_a_coupon_outside_its_promotions_window_is_422(
        self, site: SiteClient, promotion: dict[str, Any]
    ) -> None:
        buyer, product = new_buyer(site), new_product(site)
        coupon = make_coupon(site, make_promotion(site, **promotion), code="LATE")
        assert_answers(buy(site, buyer.id, product.id, coupon_code="LATE"), 422, not_valid("LATE"))
        assert (stored_orders(site), quantity_used(site, coupon)) == ([], 0)

    def test_the_window_follows_the_sites_clock(self, site: SiteClient) -> None:
        buyer, product = new_buyer(site), new_product(site)
        promotion = make_promotion(site, expires_at=NOW + timedelta(hours=1))
        make_coupon(site, promotion, code="SOON")
        moved = site.http.put(
            f"/_syllabus/sites/{site.subdomain}/clock",
            json={"advance_seconds": 7200},
            headers=ADMIN,
        )
        assert moved.status_code == 200
        assert_answers(buy(site, buyer.id, product.id, coupon_code="SOON"), 422, not_valid("SOON"))
        later = buy(site, buyer.id, product.id).json()
        assert later["created_at"] == "2025-01-10T11:15:30.250Z"

    def test_a_coupon_for_other_products_is_422(self, site: SiteClient) -> None:
        buyer, product, other = new_buyer(site), new_product(site), new_product(site)
        make_coupon(site, make_promotion(site, [other.id]), code="OTHER")
        assert_answers(
            buy(site, buyer.id, product.id, coupon_code="OTHER"), 422, not_valid("OTHER")
        )
        assert buy(site, buyer.id, other.id, coupon_code="OTHER").status_code == 201

    @pytest.mark.parametrize("code", ["NOPE", "save10", "SAVE10 "])
    def test_an_unknown_code_is_422(self, site: SiteClient, code: str) -> None:
        buyer, product = new_buyer(site), new_product(site)
        make_coupon(site, make_promotion(site), code="SAVE10")
        assert_answers(buy(site, buyer.id, product.id, coupon_code=code), 422, not_valid(code))

    def test_another_sites_coupon_is_unknown(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        buyer, product = new_buyer(site), new_product(site)
        make_coupon(other_site, make_promotion(other_site), code="THEIRS")
        assert_answers(
            buy(site, buyer.id, product.id, coupon_code="THEIRS"), 422, not_valid("THEIRS")
        )

    def test_a_used_up_coupon_is_422_and_nothing_is_written(self, site: SiteClient) -> None:
        product = new_product(site)
        coupon = make_coupon(site, make_promotion(site), code="ONCE", quantity=1)
        assert buy(site, new_buyer(site).id, product.id, coupon_code="ONCE").status_code == 201
        events = recorded_events(site)

        response = buy(site, new_buyer(site).id, product.id, coupon_code="ONCE")

        assert_answers(response, 422, not_valid("ONCE"))
        assert quantity_used(site, coupon) == 1
        assert len(stored_orders(site)) == 1
        assert recorded_events(site) == events

    def test_a_bundle_enrolls_in_each_of_its_courses_in_order(self, site: SiteClient) -> None:
        buyer = new_buyer(site)
        courses = [make_course(site) for _ in range(3)]
        product = new_bundle_product(site, [courses[2], courses[0], courses[1]], "99.0")

        order = buy(site, buyer.id, product.id).json()

        assert order["amount_cents"] == 9900
        assert enrollments_of(site, buyer.id) == [
            (course, NOW, None, False) for course in (courses[2], courses[0], courses[1])
        ]
        events = recorded_events(site)
        assert [(r, a) for r, a, _ in events] == [("order", "created")] + [
            ("enrollment", "created")
        ] * 3
        assert [p["course_id"] for _, _, p in events[1:]] == [courses[2], courses[0], courses[1]]

    def test_a_product_with_no_course_still_makes_the_order(self, site: SiteClient) -> None:
        buyer = new_buyer(site)
        empty_bundle = new_bundle_product(site, [])
        plain = new_product(site)
        for product in (empty_bundle, plain):
            assert buy(site, buyer.id, product.id).status_code == 201
        assert len(stored_orders(site)) == 2
        assert enrollments_of(site, buyer.id) == []
        assert [(r, a) for r, a, _ in recorded_events(site)] == [("order", "created")] * 2

    def test_days_until_expiry_sets_the_enrollments_expiry(self, site: SiteClient) -> None:
        buyer = new_buyer(site)
        product, course = new_course_product(site, days_until_expiry=30)
        buy(site, buyer.id, product.id)
        assert enrollments_of(site, buyer.id) == [(course, NOW, NOW + timedelta(days=30), False)]

    def test_an_existing_enrollment_is_taken_over(self, site: SiteClient) -> None:
        buyer = new_buyer(site)
        product, course = new_course_product(site)
        make_enrollment(
            site,
            buyer.id,
            course,
            activated_at=None,
            is_free_trial=True,
            expiry_date=NOW + timedelta(days=3),
        )
        assert buy(site, buyer.id, product.id).status_code == 201
        assert enrollments_of(site, buyer.id) == [(course, NOW, None, False)]

    def test_a_subscription_and_a_free_product(self, site: SiteClient) -> None:
        buyer = new_buyer(site)
        monthly, free = new_product(site, subscription=True), new_product(site, "0.0")

        first = buy(site, buyer.id, monthly.id).json()
        second = buy(site, buyer.id, free.id).json()

        assert (first["subscription"], second["subscription"]) == (True, False)
        assert second["amount_dollars"] == "0.0"
        payloads = [p for r, _, p in recorded_events(site) if r == "order"]
        assert [p["payment_type"] for p in payloads] == ["subscription", "free"]

    def test_keeps_the_buyers_and_products_names(self, site: SiteClient) -> None:
        buyer, (product, course) = new_buyer(site), new_course_product(site)
        order = buy(site, buyer.id, product.id).json()
        site.put(f"/users/{buyer.id}", json={"first_name": "Changed"})
        site.db(lambda s: setattr(s.get_one(Course, course), "name", "Changed"))
        assert site.get(f"/orders/{order['id']}").json() == order

    @UNKNOWN_BUYER_OR_PRODUCT
    def test_unknown_user_or_product_is_422(
        self, site: SiteClient, unknown: dict[str, int], errors: dict[str, list[str]]
    ) -> None:
        body = {"user_id": new_buyer(site).id, "product_id": new_product(site).id, **unknown}
        assert_answers(buy(site, coupon_code="ANY", **body), 422, {"errors": errors})
        assert stored_orders(site) == []

    def test_a_price_beyond_what_an_order_records_is_422(self, site: SiteClient) -> None:
        buyer = new_buyer(site)
        # Amounts in cents are 64-bit columns: 92,233,720,368,547,758.07 dollars at the most.
        highest = new_product(site, "92233720368547758.07")
        beyond = new_product(site, "92233720368547758.08")
        assert buy(site, buyer.id, highest.id).json()["amount_cents"] == 2**63 - 1
        assert_answers(
            buy(site, buyer.id, beyond.id),
            422,
            {"errors": {"product_id": ["costs more than an order can record"]}},
        )
        assert len(stored_orders(site)) == 1

    def test_another_sites_user_and_product_are_unknown(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        buyer, product = new_buyer(other_site), new_product(other_site)
        response = buy(site, buyer.id, product.id)
        assert_answers(response, 422, {"errors": {**USER_MISSING, **PRODUCT_MISSING}})
        assert stored_orders(other_site) == []

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({"product_id": 1}, {"user_id": ["can't be blank"]}),
            ({"user_id": 1}, {"product_id": ["can't be blank"]}),
            ({"user_id": "x", "product_id": 1}, {"user_id": ["is not a number"]}),
            (
                {"user_id": 1, "product_id": 1, "coupon_code": "c" * 256},
                {"coupon_code": ["is too long (maximum is 255 characters)"]},
            ),
        ],
        ids=["no-user", "no-product", "user-not-a-number", "long-code"],
    )
    def test_invalid_bodies_are_422(
        self, site: SiteClient, body: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        response = checkout(site.http, site.subdomain, **body)
        assert_answers(response, 422, {"errors": errors})

    def test_an_unknown_site_is_404(self, http: TestClient) -> None:
        assert_answers(
            checkout(http, "no-such-site", user_id=1, product_id=1), 404, RECORD_NOT_FOUND
        )

    @pytest.mark.parametrize(
        "headers", [{}, {"Authorization": "Bearer wrong"}], ids=["none", "wrong"]
    )
    def test_needs_the_admin_token(self, site: SiteClient, headers: dict[str, str]) -> None:
        buyer, product = new_buyer(site), new_product(site)
        response = site.http.post(
            f"/_syllabus/sites/{site.subdomain}/checkout",
            json={"user_id": buyer.id, "product_id": product.id},
            headers=headers,
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        response = site.http.post(
            f"/_syllabus/sites/{site.subdomain}/checkout",
            json={"user_id": buyer.id, "product_id": product.id},
            headers=site.headers,
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert stored_orders(site) == []


def test_the_route_is_documented(http: TestClient) -> None:
    operation = http.app.openapi()["paths"]["/_syllabus/sites/{subdomain}/checkout"]["post"]  # type: ignore[attr-defined]
    assert operation["tags"] == ["Control plane"]
    schema = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/OrderRead"}
    assert operation["requestBody"]["required"] is True
