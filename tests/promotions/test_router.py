"""HTTP tests for /promotions: https://developers.thinkific.com/api/api-documentation/#/Promotions"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from syllabus.models import Coupon, Order, Promotion
from tests.events.helpers import alphabetical, assert_recorded, recorded
from tests.factories import make_coupon, make_order, make_product, make_promotion, make_user
from tests.promotions.helpers import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    NOW,
    NOW_TEXT,
    coupon_body,
    promotion_body,
    set_site_clock,
    unprocessable,
)
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

SALE = {"name": "Spring sale", "discount_type": "percentage", "amount": 10}


def count_promotions(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(Promotion.site_id == site.id)))


def promotion_of(site: SiteClient, coupon_id: int) -> int | None:
    return site.db(lambda s: s.scalar(select(Coupon.promotion_id).where(Coupon.id == coupon_id)))


def sale(site: SiteClient, product_ids: list[int] | None = None, **overrides: Any) -> int:
    """A factory promotion named "Spring sale" (promotion_body's default)."""
    return make_promotion(site, product_ids, name="Spring sale", **overrides)


class TestListPromotions:
    def test_pages_through_the_sites_promotions_only(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        ids = [sale(site) for _ in range(5)]
        sale(other_site)
        assert_five_by_two(site, "/promotions", ids)

    def test_whole_bodies_with_their_coupons_and_products(self, site: SiteClient) -> None:
        first, second = make_product(site), make_product(site)
        plain = sale(site)
        promotion = sale(
            site,
            [second, first],
            discount_type="fixed",
            amount=Decimal("12.50"),
            description="Twelve fifty off",
            starts_at=NOW - timedelta(days=1),
            expires_at=NOW + timedelta(days=1),
            duration=3,
        )
        coupons = [make_coupon(site, promotion) for _ in range(2)]
        make_coupon(site, plain)
        body = site.get("/promotions").json()
        assert body["items"][1] == promotion_body(
            promotion,
            description="Twelve fifty off",
            starts_at="2025-02-28T12:00:00.125Z",
            expires_at="2025-03-02T12:00:00.125Z",
            discount_type="fixed",
            amount="12.5",
            coupon_ids=coupons,
            duration=3,
            product_ids=[first, second],
        )
        assert [item["id"] for item in body["items"]] == [plain, promotion]
        assert site.get(f"/promotions/{promotion}").json() == body["items"][1]

    def test_empty(self, site: SiteClient) -> None:
        assert_answers(site.get("/promotions"), 200, EMPTY_PAGE)

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.get("/api/public/v1/promotions", headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestCreatePromotion:
    def test_the_least_is_a_name_a_type_and_an_amount(self, site: SiteClient) -> None:
        response = site.post("/promotions", json=SALE)
        assert response.status_code == 201
        created = response.json()
        assert created == promotion_body(created["id"], created_at=NOW_TEXT)
        assert site.get(f"/promotions/{created['id']}").json() == created
        # No Thinkific topic covers promotions: an internal event, the promotion alphabetically.
        expected = promotion_body(created["id"], created_at=NOW_TEXT)
        assert_recorded(site, ("promotion.created", alphabetical(expected)))

    def test_every_field(self, site: SiteClient) -> None:
        products = [make_product(site) for _ in range(3)]
        elsewhere = sale(site)
        coupons = [make_coupon(site, elsewhere, code=code) for code in ("A1", "B2")]
        response = site.post(
            "/promotions",
            json={
                "name": "Black Friday",
                "description": "Half off",
                "starts_at": "2025-11-28T00:00:00-05:00",
                "expires_at": "2025-12-01T05:00:00.5Z",
                "discount_type": "percentage",
                "amount": "50",
                "product_ids": [products[2], products[0], products[2]],
                "coupon_ids": [coupons[1], coupons[0]],
                "duration": "2",
            },
        )
        assert response.status_code == 201
        created = response.json()
        assert created == promotion_body(
            created["id"],
            name="Black Friday",
            description="Half off",
            starts_at="2025-11-28T05:00:00.000Z",
            expires_at="2025-12-01T05:00:00.500Z",
            amount="50.0",
            coupon_ids=coupons,
            duration=2,
            product_ids=[products[0], products[2]],
            created_at=NOW_TEXT,
        )
        # The coupons moved: the promotion they came from has none left.
        assert site.get(f"/promotions/{elsewhere}").json()["coupon_ids"] == []
        assert site.get(f"/coupons/{coupons[0]}").json() == coupon_body(
            coupons[0], created["id"], "A1"
        )
        # The moved coupons show in the promotion's coupon_ids; they record nothing of their own.
        assert recorded(site) == [("promotion.created", alphabetical(created))]

    @pytest.mark.parametrize(
        ("discount_type", "amount", "wire"),
        [
            ("percentage", 100, "100.0"),
            ("percentage", "0.5", "0.5"),
            ("fixed", 0.01, "0.01"),
            ("fixed", "1500", "1500.0"),
            ("fixed", "19.990", "19.99"),
        ],
    )
    def test_amounts_are_decimal_strings(
        self, site: SiteClient, discount_type: str, amount: Any, wire: str
    ) -> None:
        body = {**SALE, "discount_type": discount_type, "amount": amount}
        created = site.post("/promotions", json=body).json()
        assert (created["discount_type"], created["amount"]) == (discount_type, wire)

    def test_null_window_and_fields(self, site: SiteClient) -> None:
        body = {**SALE, "starts_at": None, "expires_at": "", "description": None, "duration": None}
        created = site.post("/promotions", json=body).json()
        assert created == promotion_body(created["id"], created_at=NOW_TEXT)

    def test_form_encoded_with_rails_brackets(self, site: SiteClient) -> None:
        first, second = make_product(site), make_product(site)
        response = site.post(
            "/promotions",
            content=(
                "name=Spring+sale&discount_type=fixed&amount=5"
                f"&product_ids[]={second}&product_ids[]={first}"
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 201
        created = response.json()
        assert created == promotion_body(
            created["id"],
            discount_type="fixed",
            amount="5.0",
            product_ids=[first, second],
            created_at=NOW_TEXT,
        )

    @pytest.mark.parametrize(
        ("sent", "errors"),
        [
            pytest.param(
                {},
                {
                    "name": ["can't be blank"],
                    "discount_type": ["can't be blank"],
                    "amount": ["can't be blank"],
                },
                id="nothing",
            ),
            pytest.param(
                {**SALE, "name": "  ", "discount_type": None, "amount": None},
                {
                    "name": ["can't be blank"],
                    "discount_type": ["can't be blank"],
                    "amount": ["can't be blank"],
                },
                id="blank-and-null",
            ),
            pytest.param(
                {**SALE, "discount_type": "bogo"},
                {"discount_type": ["is not included in the list"]},
                id="unknown-type",
            ),
            pytest.param(
                {**SALE, "amount": "lots"}, {"amount": ["is not a number"]}, id="not-a-number"
            ),
            pytest.param(
                {**SALE, "amount": "NaN"}, {"amount": ["is not a number"]}, id="not-finite"
            ),
            pytest.param(
                {**SALE, "amount": "1e-30"},
                {"amount": ["is too long (maximum is 12 digits)"]},
                id="too-many-digits",
            ),
            pytest.param(
                {**SALE, "amount": 0}, {"amount": ["must be greater than 0"]}, id="zero-percent"
            ),
            pytest.param(
                {**SALE, "amount": "100.01"},
                {"amount": ["must be less than or equal to 100"]},
                id="above-100-percent",
            ),
            pytest.param(
                {**SALE, "discount_type": "fixed", "amount": 0},
                {"amount": ["must be greater than 0"]},
                id="zero-fixed",
            ),
            pytest.param(
                {**SALE, "discount_type": "fixed", "amount": -5},
                {"amount": ["must be greater than 0"]},
                id="negative-fixed",
            ),
            pytest.param(
                {**SALE, "name": "x" * 256, "description": "y" * 65_536},
                {
                    "name": ["is too long (maximum is 255 characters)"],
                    "description": ["is too long (maximum is 65535 characters)"],
                },
                id="too-long",
            ),
            pytest.param(
                {**SALE, "starts_at": "soon", "duration": 0},
                {"starts_at": ["is invalid"], "duration": ["must be greater than or equal to 1"]},
                id="bad-start-and-duration",
            ),
            pytest.param(
                {**SALE, "duration": 2**31},
                {"duration": ["must be less than or equal to 2147483647"]},
                id="huge-duration",
            ),
            pytest.param(
                {**SALE, "starts_at": "2025-03-02T00:00:00Z", "expires_at": "2025-03-02T00:00:00Z"},
                {"expires_at": ["must be after starts_at"]},
                id="ends-when-it-starts",
            ),
            pytest.param(
                {**SALE, "product_ids": ["one"], "coupon_ids": [2**64]},
                {
                    "product_ids": ["is not a number"],
                    "coupon_ids": ["must be less than or equal to 9223372036854775807"],
                },
                id="ids-that-are-no-ids",
            ),
            pytest.param(
                {**SALE, "product_ids": list(range(1, 1002))},
                {"product_ids": ["is too long (maximum is 1000 items)"]},
                id="too-many-products",
            ),
        ],
    )
    def test_invalid(self, site: SiteClient, sent: dict[str, Any], errors: Any) -> None:
        assert_answers(site.post("/promotions", json=sent), 422, unprocessable(**errors))
        assert count_promotions(site) == 0
        assert recorded(site) == []

    def test_every_rule_broken_at_once(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_product(other_site)
        their_coupon = make_coupon(other_site, sale(other_site))
        response = site.post(
            "/promotions",
            json={
                **SALE,
                "amount": 101,
                "starts_at": "2025-03-02T00:00:00Z",
                "expires_at": "2025-03-01T00:00:00Z",
                "product_ids": [NO_SUCH_ID, theirs],
                "coupon_ids": [their_coupon],
            },
        )
        assert_answers(
            response,
            422,
            unprocessable(
                amount=["must be less than or equal to 100"],
                expires_at=["must be after starts_at"],
                product_ids=[
                    f"product {NO_SUCH_ID} does not exist",
                    f"product {theirs} does not exist",
                ],
                coupon_ids=[f"coupon {their_coupon} does not exist"],
            ),
        )
        assert count_promotions(site) == 0

    def test_two_coupons_with_one_code_cannot_join_one_promotion(self, site: SiteClient) -> None:
        first = make_coupon(site, sale(site), code="SAME")
        second = make_coupon(site, sale(site), code="SAME")
        response = site.post("/promotions", json={**SALE, "coupon_ids": [first, second]})
        assert_answers(
            response,
            422,
            unprocessable(coupon_ids=[f"coupon {second}: code has already been taken"]),
        )
        assert count_promotions(site) == 2
        assert promotion_of(site, second) != promotion_of(site, first)

    def test_malformed_bodies_are_400(self, site: SiteClient) -> None:
        assert_answers(site.post("/promotions", json=["name"]), 400, NOT_AN_OBJECT)
        response = site.post(
            "/promotions", content=b'{"name": ', headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["error"].startswith("The request body is not valid JSON")

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.post("/api/public/v1/promotions", json=SALE, headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert count_promotions(site) == 0


class TestGetPromotion:
    def test_the_whole_promotion(self, site: SiteClient) -> None:
        product = make_product(site)
        promotion = sale(site, [product], discount_type="fixed", amount=Decimal("5"))
        coupon = make_coupon(site, promotion)
        assert_answers(
            site.get(f"/promotions/{promotion}"),
            200,
            promotion_body(
                promotion,
                discount_type="fixed",
                amount="5.0",
                coupon_ids=[coupon],
                product_ids=[product],
            ),
        )

    @pytest.mark.parametrize(
        "path", [f"/promotions/{NO_SUCH_ID}", "/promotions/abc", "/promotions/1.0"]
    )
    def test_unknown_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_another_sites_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/promotions/{sale(other_site)}")

    def test_bad_credentials(self, site: SiteClient) -> None:
        response = site.http.get(f"/api/public/v1/promotions/{sale(site)}")
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestUpdatePromotion:
    def test_only_the_keys_given_change(self, site: SiteClient) -> None:
        product = make_product(site)
        promotion = sale(site, [product], description="Old", duration=2)
        response = site.put(f"/promotions/{promotion}", json={"name": "Summer sale", "amount": 15})
        assert response.status_code == 204
        assert response.content == b""
        expected = promotion_body(
            promotion,
            name="Summer sale",
            description="Old",
            amount="15.0",
            duration=2,
            product_ids=[product],
        )
        assert site.get(f"/promotions/{promotion}").json() == expected
        assert_recorded(site, ("promotion.updated", alphabetical(expected)))

    def test_everything_changes(self, site: SiteClient) -> None:
        product = make_product(site)
        promotion = sale(site, [make_product(site)], description="Old", duration=2)
        body = {
            "name": "Winter sale",
            "description": None,
            "starts_at": "2025-12-01T00:00:00Z",
            "expires_at": None,
            "discount_type": "fixed",
            "amount": "150",
            "product_ids": [product],
            "duration": 6,
        }
        assert site.put(f"/promotions/{promotion}", json=body).status_code == 204
        assert site.get(f"/promotions/{promotion}").json() == promotion_body(
            promotion,
            name="Winter sale",
            starts_at="2025-12-01T00:00:00.000Z",
            discount_type="fixed",
            amount="150.0",
            duration=6,
            product_ids=[product],
        )

    @pytest.mark.parametrize("cleared", [[], None], ids=["empty", "null"])
    def test_no_products_means_every_product(self, site: SiteClient, cleared: Any) -> None:
        promotion = sale(site, [make_product(site)])
        assert (
            site.put(f"/promotions/{promotion}", json={"product_ids": cleared}).status_code == 204
        )
        assert site.get(f"/promotions/{promotion}").json()["product_ids"] == []

    def test_coupons_move_in_and_its_own_stay(self, site: SiteClient) -> None:
        promotion, elsewhere = sale(site), sale(site)
        own = make_coupon(site, promotion, code="OWN")
        incoming = make_coupon(site, elsewhere, code="INCOMING")
        response = site.put(f"/promotions/{promotion}", json={"coupon_ids": [incoming, own]})
        assert response.status_code == 204
        assert site.get(f"/promotions/{promotion}").json()["coupon_ids"] == [own, incoming]
        assert site.get(f"/promotions/{elsewhere}").json()["coupon_ids"] == []
        assert site.get(f"/coupons/{incoming}").json() == coupon_body(
            incoming, promotion, "INCOMING"
        )

    def test_a_coupon_whose_code_the_promotion_has_cannot_move_in(self, site: SiteClient) -> None:
        promotion, elsewhere = sale(site), sale(site)
        make_coupon(site, promotion, code="SAME")
        incoming = make_coupon(site, elsewhere, code="SAME")
        response = site.put(f"/promotions/{promotion}", json={"coupon_ids": [incoming]})
        assert_answers(
            response,
            422,
            unprocessable(coupon_ids=[f"coupon {incoming}: code has already been taken"]),
        )
        assert promotion_of(site, incoming) == elsewhere
        assert recorded(site) == []

    def test_the_amount_is_checked_against_the_type_it_will_have(self, site: SiteClient) -> None:
        promotion = sale(site)  # 10 percent
        response = site.put(f"/promotions/{promotion}", json={"amount": 150})
        assert_answers(response, 422, unprocessable(amount=["must be less than or equal to 100"]))
        fixed = {"discount_type": "fixed", "amount": 150}
        assert site.put(f"/promotions/{promotion}", json=fixed).status_code == 204
        response = site.put(f"/promotions/{promotion}", json={"discount_type": "percentage"})
        assert_answers(response, 422, unprocessable(amount=["must be less than or equal to 100"]))
        body = site.get(f"/promotions/{promotion}").json()
        assert (body["discount_type"], body["amount"]) == ("fixed", "150.0")
        # Only the update that was made.
        assert recorded(site) == [("promotion.updated", alphabetical(body))]

    def test_the_window_is_checked_against_the_start_it_has(self, site: SiteClient) -> None:
        promotion = sale(site, starts_at=NOW)
        response = site.put(f"/promotions/{promotion}", json={"expires_at": "2025-03-01T00:00:00Z"})
        assert_answers(response, 422, unprocessable(expires_at=["must be after starts_at"]))
        assert site.get(f"/promotions/{promotion}").json()["expires_at"] is None

    def test_required_fields_cannot_be_nulled(self, site: SiteClient) -> None:
        promotion = sale(site)
        response = site.put(
            f"/promotions/{promotion}",
            json={"name": None, "discount_type": None, "amount": None, "description": "kept?"},
        )
        assert_answers(
            response,
            422,
            unprocessable(
                name=["can't be blank"], discount_type=["can't be blank"], amount=["can't be blank"]
            ),
        )
        assert site.get(f"/promotions/{promotion}").json() == promotion_body(promotion)
        assert recorded(site) == []

    def test_unknown_products_and_coupons(self, site: SiteClient) -> None:
        promotion = sale(site)
        response = site.put(
            f"/promotions/{promotion}",
            json={"product_ids": [NO_SUCH_ID], "coupon_ids": [NO_SUCH_ID]},
        )
        assert_answers(
            response,
            422,
            unprocessable(
                product_ids=[f"product {NO_SUCH_ID} does not exist"],
                coupon_ids=[f"coupon {NO_SUCH_ID} does not exist"],
            ),
        )

    def test_unknown_and_another_sites_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = sale(other_site)
        for path in (f"/promotions/{NO_SUCH_ID}", f"/promotions/{theirs}", "/promotions/x"):
            assert_answers(site.put(path, json={"name": "Mine"}), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/promotions/{theirs}").json() == promotion_body(theirs)
        assert recorded(site) == recorded(other_site) == []

    def test_not_an_object_is_400(self, site: SiteClient) -> None:
        assert_answers(site.put(f"/promotions/{sale(site)}", json=[1]), 400, NOT_AN_OBJECT)

    def test_bad_credentials(self, site: SiteClient) -> None:
        promotion = sale(site)
        response = site.http.put(f"/api/public/v1/promotions/{promotion}", json={"name": "Eve"})
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert site.get(f"/promotions/{promotion}").json() == promotion_body(promotion)


class TestDeletePromotion:
    def test_deletes_it_with_its_coupons(self, site: SiteClient) -> None:
        product = make_product(site)
        promotion, other = sale(site, [product]), sale(site)
        coupon, kept = make_coupon(site, promotion, code="GONE"), make_coupon(site, other)
        order = make_order(site, make_user(site), product, coupon_id=coupon, coupon_code="GONE")
        response = site.delete(f"/promotions/{promotion}")
        assert response.status_code == 204
        assert response.content == b""
        assert_answers(site.get(f"/promotions/{promotion}"), 404, RECORD_NOT_FOUND)
        assert_answers(site.get(f"/coupons/{coupon}"), 404, RECORD_NOT_FOUND)
        assert site.get(f"/coupons/{kept}").status_code == 200
        stored = site.db(
            lambda s: s.execute(
                select(Order.coupon_id, Order.coupon_code).where(Order.id == order)
            ).one()
        )
        assert tuple(stored) == (None, "GONE")
        assert_answers(site.delete(f"/promotions/{promotion}"), 404, RECORD_NOT_FOUND)
        # The promotion as it was; its coupons go with it and record nothing of their own.
        was = promotion_body(promotion, coupon_ids=[coupon], product_ids=[product])
        assert_recorded(site, ("promotion.deleted", alphabetical(was)))

    def test_another_sites_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = sale(other_site)
        assert_answers(site.delete(f"/promotions/{theirs}"), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/promotions/{theirs}").status_code == 200
        assert recorded(site) == recorded(other_site) == []

    def test_bad_credentials(self, site: SiteClient) -> None:
        promotion = sale(site)
        response = site.http.delete(f"/api/public/v1/promotions/{promotion}")
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert count_promotions(site) == 1


class TestPromotionByCoupon:
    def by_coupon(self, site: SiteClient, product_id: Any, code: str) -> Any:
        return site.get(
            "/promotions/by_coupon", params={"product_id": product_id, "coupon_code": code}
        )

    def test_the_promotion_a_coupon_gives_on_a_product(self, site: SiteClient) -> None:
        product = make_product(site)
        promotion = sale(
            site, [make_product(site), product], discount_type="fixed", amount=Decimal("7")
        )
        coupon = make_coupon(site, promotion, code="SAVE7")
        products = sorted(site.get(f"/promotions/{promotion}").json()["product_ids"])
        assert_answers(
            self.by_coupon(site, product, "SAVE7"),
            200,
            promotion_body(
                promotion,
                discount_type="fixed",
                amount="7.0",
                coupon_ids=[coupon],
                product_ids=products,
            ),
        )

    def test_no_products_means_every_product(self, site: SiteClient) -> None:
        promotion = sale(site)
        coupon = make_coupon(site, promotion, code="ALL")
        assert_answers(
            self.by_coupon(site, make_product(site), "ALL"),
            200,
            promotion_body(promotion, coupon_ids=[coupon]),
        )

    def test_not_for_another_product(self, site: SiteClient) -> None:
        make_coupon(site, sale(site, [make_product(site)]), code="NARROW")
        assert_answers(self.by_coupon(site, make_product(site), "NARROW"), 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize("code", ["NOPE", "save", "SAVE ", "SAV"])
    def test_unknown_codes(self, site: SiteClient, code: str) -> None:
        make_coupon(site, sale(site), code="SAVE")
        assert_answers(self.by_coupon(site, make_product(site), code), 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize(
        ("quantity", "used", "status"),
        [(2, 1, 200), (2, 2, 404), (1, 5, 404), (None, 1000, 200)],
    )
    def test_a_used_up_coupon_gives_nothing(
        self, site: SiteClient, quantity: int | None, used: int, status: int
    ) -> None:
        make_coupon(site, sale(site), code="LIMITED", quantity=quantity, quantity_used=used)
        assert self.by_coupon(site, make_product(site), "LIMITED").status_code == status

    @pytest.mark.parametrize(
        ("window", "status"),
        [
            pytest.param({"starts_at": NOW}, 200, id="starting-now"),
            pytest.param({"starts_at": NOW + timedelta(milliseconds=1)}, 404, id="not-yet"),
            pytest.param({"expires_at": NOW + timedelta(milliseconds=1)}, 200, id="until-later"),
            pytest.param({"expires_at": NOW}, 404, id="expiring-now"),
            pytest.param(
                {"starts_at": NOW - timedelta(days=2), "expires_at": NOW - timedelta(days=1)},
                404,
                id="over",
            ),
        ],
    )
    def test_only_in_its_window(
        self, site: SiteClient, window: dict[str, Any], status: int
    ) -> None:
        make_coupon(site, sale(site, **window), code="WINDOW")
        assert self.by_coupon(site, make_product(site), "WINDOW").status_code == status

    def test_the_window_follows_the_sites_clock(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        window = {"starts_at": NOW + timedelta(days=1), "expires_at": NOW + timedelta(days=2)}
        make_coupon(site, sale(site, **window), code="LATER")
        product = make_product(site)
        assert self.by_coupon(site, product, "LATER").status_code == 404
        set_site_clock(site, "2025-03-02T13:00:00Z")
        assert self.by_coupon(site, product, "LATER").status_code == 200
        set_site_clock(site, "2025-03-03T12:00:00.125Z")
        assert self.by_coupon(site, product, "LATER").status_code == 404

    def test_of_several_promotions_with_the_code_the_one_that_applies(
        self, site: SiteClient
    ) -> None:
        product = make_product(site)
        make_coupon(site, sale(site), code="TWICE", quantity=1, quantity_used=1)
        make_coupon(site, sale(site, [make_product(site)]), code="TWICE")
        applies = sale(site, [product])
        coupon = make_coupon(site, applies, code="TWICE")
        assert_answers(
            self.by_coupon(site, product, "TWICE"),
            200,
            promotion_body(applies, coupon_ids=[coupon], product_ids=[product]),
        )

    def test_another_sites_products_and_coupons_give_nothing(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_coupon(site, sale(site), code="MINE")
        make_coupon(other_site, sale(other_site), code="THEIRS")
        assert_answers(
            self.by_coupon(site, make_product(other_site), "MINE"), 404, RECORD_NOT_FOUND
        )
        assert_answers(self.by_coupon(site, make_product(site), "THEIRS"), 404, RECORD_NOT_FOUND)
        assert_answers(self.by_coupon(site, NO_SUCH_ID, "MINE"), 404, RECORD_NOT_FOUND)
        assert_answers(self.by_coupon(site, 2**70, "MINE"), 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize(
        ("query", "error"),
        [
            ("", "Parameter product_id is required."),
            ("coupon_code=SAVE", "Parameter product_id is required."),
            ("product_id=1", "Parameter coupon_code is required."),
            ("product_id=1&coupon_code=", "Parameter coupon_code is required."),
            ("product_id=1&coupon_code=%20", "Parameter coupon_code is required."),
            ("product_id=one&coupon_code=SAVE", "Parameter product_id is invalid."),
        ],
    )
    def test_parameters_are_required(self, site: SiteClient, query: str, error: str) -> None:
        assert_answers(site.get(f"/promotions/by_coupon?{query}"), 400, {"error": error})

    def test_parameters_may_come_in_the_body(self, site: SiteClient) -> None:
        product = make_product(site)
        promotion = sale(site)
        coupon = make_coupon(site, promotion, code="BODY")
        response = site.get(
            "/promotions/by_coupon", params={"product_id": product}, json={"coupon_code": "BODY"}
        )
        assert_answers(response, 200, promotion_body(promotion, coupon_ids=[coupon]))

    def test_bad_credentials(self, site: SiteClient) -> None:
        response = site.http.get("/api/public/v1/promotions/by_coupon?product_id=1&coupon_code=X")
        assert_answers(response, 401, AUTHENTICATION_ERROR)
