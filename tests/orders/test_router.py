"""HTTP tests for GET /orders and GET /orders/{id}.

https://developers.thinkific.com/api/api-documentation/#/Orders. Orders are made here by the
factories; checkout, which places them, is tested in tests/control/test_checkout.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from syllabus.models import Product, User
from tests.factories import make_coupon, make_order, make_promotion
from tests.orders.helpers import FIELD_ORDER, new_buyer, new_product, order_body
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
)


class TestGetOrder:
    def test_renders_the_order_in_the_specs_order(self, site: SiteClient) -> None:
        buyer, product = new_buyer(site), new_product(site)
        order = make_order(site, buyer.id, product.id, amount_cents=2000)

        response = site.get(f"/orders/{order}")

        assert_answers(response, 200, order_body(order, buyer, product, 2000))
        assert list(response.json()) == FIELD_ORDER
        assert response.json()["amount_dollars"] == "20.0"
        assert response.json()["items"][0]["amount_dollars"] == 20

    @pytest.mark.parametrize(
        ("cents", "text", "number"),
        [(4410, "44.1", 44.1), (1999, "19.99", 19.99), (5, "0.05", 0.05), (0, "0.0", 0)],
    )
    def test_amounts_in_dollars(
        self, site: SiteClient, cents: int, text: str, number: float
    ) -> None:
        buyer, product = new_buyer(site), new_product(site)
        order = make_order(site, buyer.id, product.id, amount_cents=cents)
        body = site.get(f"/orders/{order}").json()
        assert (body["amount_dollars"], body["amount_cents"]) == (text, cents)
        assert body["items"][0]["amount_dollars"] == number

    def test_with_a_coupon_a_subscription_and_a_referral(self, site: SiteClient) -> None:
        buyer, product = new_buyer(site), new_product(site)
        coupon = make_coupon(site, make_promotion(site), code="SAVE10")
        order = make_order(
            site,
            buyer.id,
            product.id,
            amount_cents=4410,
            coupon_id=coupon,
            coupon_code="SAVE10",
            subscription=True,
            affiliate_referral_code="exexex",
        )
        assert_answers(
            site.get(f"/orders/{order}"),
            200,
            order_body(
                order,
                buyer,
                product,
                4410,
                coupon_id=coupon,
                coupon_code="SAVE10",
                subscription=True,
                affiliate_referral_code="exexex",
            ),
        )

    def test_keeps_the_names_it_was_placed_with(self, site: SiteClient) -> None:
        buyer, product = new_buyer(site), new_product(site)
        order = make_order(site, buyer.id, product.id)

        def rename(session: Any) -> None:
            session.get_one(User, buyer.id).first_name = "Renamed"
            session.get_one(Product, product.id).name = "Renamed product"

        site.db(rename)
        assert_answers(site.get(f"/orders/{order}"), 200, order_body(order, buyer, product))

    def test_a_deleted_product_leaves_null_ids_and_its_name(self, site: SiteClient) -> None:
        buyer, product = new_buyer(site), new_product(site)
        order = make_order(site, buyer.id, product.id)
        site.db(lambda s: s.delete(s.get_one(Product, product.id)))

        expected = order_body(order, buyer, product, product_id=None)
        expected["items"][0]["product_id"] = None
        assert_answers(site.get(f"/orders/{order}"), 200, expected)

    def test_a_deleted_buyer_leaves_a_null_user_id(self, site: SiteClient) -> None:
        buyer, product = new_buyer(site), new_product(site)
        order = make_order(site, buyer.id, product.id)
        site.db(lambda s: s.delete(s.get_one(User, buyer.id)))
        assert_answers(
            site.get(f"/orders/{order}"), 200, order_body(order, buyer, product, user_id=None)
        )

    @pytest.mark.parametrize("path_id", ["987654321", "abc", "1.0", "-1", str(2**63)])
    def test_unknown_or_malformed_id_is_404(self, site: SiteClient, path_id: str) -> None:
        assert_answers(site.get(f"/orders/{path_id}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_order_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        order = make_order(other_site, new_buyer(other_site).id, new_product(other_site).id)
        assert_only_theirs(site, other_site, f"/orders/{order}")

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        order = make_order(site, new_buyer(site).id, new_product(site).id)
        response = site.http.get(f"/api/public/v1/orders/{order}", headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestListOrders:
    def test_pages_through_the_sites_orders_in_id_order(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        buyer, product = new_buyer(site), new_product(site)
        ids = [make_order(site, buyer.id, product.id) for _ in range(5)]
        make_order(other_site, new_buyer(other_site).id, new_product(other_site).id)
        assert_five_by_two(site, "/orders", ids)

    def test_items_are_whole_orders(self, site: SiteClient) -> None:
        first, second = new_buyer(site), new_buyer(site)
        product = new_product(site)
        a = make_order(site, first.id, product.id, amount_cents=1000)
        b = make_order(site, second.id, product.id)
        body = site.get("/orders").json()
        assert body["items"] == [
            order_body(a, first, product, 1000),
            order_body(b, second, product),
        ]

    def test_empty(self, site: SiteClient) -> None:
        assert_answers(site.get("/orders"), 200, EMPTY_PAGE)

    def test_there_are_no_filters(self, site: SiteClient) -> None:
        first, second = new_buyer(site), new_buyer(site)
        product = new_product(site)
        ids = [make_order(site, first.id, product.id), make_order(site, second.id, product.id)]
        body = site.get(
            "/orders", params={"query[user_id]": first.id, "query[created_after]": "2999-01-01"}
        ).json()
        assert [item["id"] for item in body["items"]] == ids

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.get("/api/public/v1/orders", headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
