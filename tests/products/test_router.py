"""HTTP tests for /products: https://developers.thinkific.com/api/api-documentation/#/Products"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from syllabus.auth import SiteRef
from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.models import Product, Site
from syllabus.products.repository import PRODUCT, PRODUCT_PAYLOAD, ProductRepository
from tests.factories import (
    FIXED,
    add_to_collection,
    make_collection,
    make_course,
    make_instructor,
    make_product,
    make_product_price,
    relate_products,
)
from tests.products.helpers import (
    Made,
    assert_list_needs_its_parent,
    bundle_product,
    course_product,
    one_page,
    price_body,
    product_body,
)
from tests.support import (
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
    pagination,
)


def bare_product(site: SiteClient, name: str, **overrides: Any) -> Made:
    """A product with no course behind it (``productable_id`` null)."""
    slug = name.lower().replace(" ", "-")
    return Made(None, make_product(site, name=name, slug=slug, **overrides), name, slug)


class TestGetProduct:
    def test_returns_every_field(self, site: SiteClient) -> None:
        stored: dict[str, Any] = {
            "position": 13,
            "status": "draft",
            "private": True,
            "hidden": True,
            "subscription": True,
            "days_until_expiry": 365,
            "has_certificate": True,
            "seo_title": "SEO title",
            "seo_description": "SEO description",
            "keywords": "learn,things",
            "description": "<p>Learn things</p>",
            "card_image_url": "https://cdn.example.com/card.png",
        }
        product = make_product(
            site, name="Corporate Course", slug="your-first-course", price=Decimal("1"), **stored
        )
        instructor = make_instructor(site, first_name="Ada", last_name="Lovelace")
        course = make_course(
            site, name="Corporate Course", product_id=product, instructor_id=instructor
        )
        primary = make_product_price(site, product, price=Decimal("1"))
        monthly = make_product_price(
            site,
            product,
            is_primary=False,
            payment_type="subscription",
            label="Monthly",
            price=Decimal("9.99"),
            days_until_expiry=30,
            pay_button_text="Subscribe",
            interval="month",
            interval_count=1,
            trial_interval="day",
            trial_interval_count=14,
            custom_first_price=Decimal("1.50"),
            currency="eur",
        )
        plan = make_product_price(
            site,
            product,
            is_primary=False,
            payment_type="payment-plan",
            label="Plan",
            price=Decimal("20"),
            number_of_payments=3,
            interval="month",
            interval_count=1,
            price_name="Three easy payments",
        )
        # Categories and related products added in descending order come back ascending.
        categories = sorted(make_collection(site) for _ in range(2))
        for category in reversed(categories):
            add_to_collection(site, category, product)
        related = sorted(make_product(site) for _ in range(2))
        for other in reversed(related):
            relate_products(site, product, other)

        response = site.get(f"/products/{product}")

        made = Made(course, product, "Corporate Course", "your-first-course")
        expected = product_body(
            made,
            price="1.0",
            collection_ids=categories,
            related_product_ids=related,
            product_prices=[
                price_body(primary, "Corporate Course", price="1.0"),
                price_body(
                    monthly,
                    "Corporate Course - Monthly",
                    is_primary=False,
                    payment_type="subscription",
                    label="Monthly",
                    price="9.99",
                    days_until_expiry="30",
                    pay_button_text="Subscribe",
                    interval="month",
                    interval_count="1",
                    trial_interval="day",
                    trial_interval_count="14",
                    custom_first_price="1.5",
                    currency="eur",
                ),
                price_body(
                    plan,
                    "Three easy payments",
                    is_primary=False,
                    payment_type="payment-plan",
                    label="Plan",
                    price="20.0",
                    number_of_payments="3",
                    interval="month",
                    interval_count="1",
                ),
            ],
            instructor_names="Ada Lovelace",
            **stored,
        )
        assert_answers(response, 200, expected)
        assert list(response.json()) == list(expected)
        assert [list(price) for price in response.json()["product_prices"]] == [
            list(price) for price in expected["product_prices"]
        ]

    def test_a_course_without_an_instructor_has_null_instructor_names(
        self, site: SiteClient
    ) -> None:
        made = course_product(site, "Quiet Course")
        assert_answers(site.get(f"/products/{made.product_id}"), 200, product_body(made))

    def test_a_product_without_a_productable(self, site: SiteClient) -> None:
        made = bare_product(site, "Loose Product", price=Decimal("0"))
        expected = product_body(made, price="0.0")
        assert_answers(site.get(f"/products/{made.product_id}"), 200, expected)

    def test_a_bundle_names_its_courses_distinct_instructors_in_bundle_order(
        self, site: SiteClient
    ) -> None:
        ada = make_instructor(site, first_name="Ada", last_name="Lovelace")
        alan = make_instructor(site, first_name="Alan", last_name="Turing")
        # Alan's course comes first in the bundle although Ada's was made first; Ada teaches
        # two of the courses; one course has no instructor.
        first = make_course(site, instructor_id=ada)
        second = make_course(site, instructor_id=alan)
        third = make_course(site, instructor_id=ada)
        untaught = make_course(site)
        made = bundle_product(site, "Demo Bundle", [second, untaught, first, third])
        expected = product_body(
            made, productable_type="Bundle", instructor_names="Alan Turing, Ada Lovelace"
        )
        assert_answers(site.get(f"/products/{made.product_id}"), 200, expected)

    def test_a_bundle_without_instructors_has_null_instructor_names(self, site: SiteClient) -> None:
        made = bundle_product(site, "Quiet Bundle", [make_course(site), make_course(site)])
        expected = product_body(made, productable_type="Bundle")
        assert_answers(site.get(f"/products/{made.product_id}"), 200, expected)

    def test_an_empty_bundle_has_null_instructor_names(self, site: SiteClient) -> None:
        made = bundle_product(site, "Empty Bundle", [])
        expected = product_body(made, productable_type="Bundle")
        assert_answers(site.get(f"/products/{made.product_id}"), 200, expected)

    def test_instructor_names_survive_any_characters(self, site: SiteClient) -> None:
        odd = make_instructor(site, first_name="Ana:María;", last_name="Ñúñez, 3:1")
        plain = make_instructor(site, first_name="Bo", last_name="")
        made = bundle_product(
            site,
            "Odd Bundle",
            [make_course(site, instructor_id=odd), make_course(site, instructor_id=plain)],
        )
        body = site.get(f"/products/{made.product_id}").json()
        assert body["instructor_names"] == "Ana:María; Ñúñez, 3:1, Bo"

    def test_other_products_prices_categories_and_relations_are_not_included(
        self, site: SiteClient
    ) -> None:
        made = course_product(site, "Mine")
        other = make_product(site)
        make_product_price(site, other)
        add_to_collection(site, make_collection(site), other)
        # Relations have a direction: being related to is not relating.
        relate_products(site, other, made.product_id)
        assert_answers(site.get(f"/products/{made.product_id}"), 200, product_body(made))
        assert site.get(f"/products/{other}").json()["related_product_ids"] == [made.product_id]

    @pytest.mark.parametrize(
        "path",
        [
            "/products/0",
            "/products/-1",
            "/products/abc",
            "/products/1.5",
            "/products/99999999999999999999999",
            "/products/9223372036854775807",
        ],
    )
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_deleted_product_is_404(self, site: SiteClient) -> None:
        product = make_product(site)
        site.db(lambda s: s.delete(s.get(Product, product)))
        assert_answers(site.get(f"/products/{product}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_product_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/products/{make_product(other_site)}")


class TestListProducts:
    def test_a_new_site_has_none(self, site: SiteClient) -> None:
        assert_answers(site.get("/products"), 200, EMPTY_PAGE)

    def test_pages_in_ascending_id_order(self, site: SiteClient) -> None:
        ids = [make_product(site) for _ in range(5)]
        assert_five_by_two(site, "/products", ids)

    def test_items_are_whole_products_of_every_kind(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        instructor = make_instructor(site, first_name="Ada", last_name="Lovelace")
        course = course_product(site, "Listed Course", instructor_id=instructor)
        bundle = bundle_product(site, "Listed Bundle", [course.id])
        hidden = bare_product(site, "Hidden Draft", hidden=True, status="draft", private=True)
        price = make_product_price(site, course.product_id)
        make_product(other_site)
        expected = [
            product_body(
                course,
                instructor_names="Ada Lovelace",
                product_prices=[price_body(price, "Listed Course")],
            ),
            product_body(bundle, productable_type="Bundle", instructor_names="Ada Lovelace"),
            product_body(hidden, hidden=True, status="draft", private=True),
        ]
        assert_answers(site.get("/products"), 200, one_page(*expected))

    def test_bad_page_and_limit_fall_back(self, site: SiteClient) -> None:
        ids = [make_product(site) for _ in range(3)]
        body = site.get("/products", params={"page": "x", "limit": "-4"}).json()
        assert [item["id"] for item in body["items"]] == ids
        assert body["meta"]["pagination"] == pagination(1, 25, 3, 3)


class TestRelatedProducts:
    def test_pages_in_ascending_id_order(self, site: SiteClient) -> None:
        product = make_product(site)
        related = [make_product(site) for _ in range(5)]
        for other in reversed(related):
            relate_products(site, product, other)
        make_product(site)  # not related
        assert_five_by_two(site, f"/products/{product}/related", related)

    def test_items_are_whole_products(self, site: SiteClient) -> None:
        product = make_product(site)
        instructor = make_instructor(site, first_name="Ada", last_name="Lovelace")
        course = course_product(site, "Related Course", instructor_id=instructor)
        relate_products(site, product, course.product_id)
        relate_products(site, course.product_id, product)
        expected = product_body(
            course, instructor_names="Ada Lovelace", related_product_ids=[product]
        )
        assert_answers(site.get(f"/products/{product}/related"), 200, one_page(expected))

    def test_a_product_without_related_products_has_an_empty_page(self, site: SiteClient) -> None:
        other = make_product(site)
        relate_products(site, other, make_product(site))
        assert_answers(site.get(f"/products/{make_product(site)}/related"), 200, EMPTY_PAGE)

    def test_missing_product_is_404(self, site: SiteClient) -> None:
        assert_list_needs_its_parent(site, "/products/{}/related")

    def test_another_sites_product_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        product = make_product(other_site)
        relate_products(other_site, product, make_product(other_site))
        assert_only_theirs(site, other_site, f"/products/{product}/related")


class TestPayload:
    def test_the_webhook_payload_is_the_product_with_alphabetical_keys(
        self, site: SiteClient
    ) -> None:
        instructor = make_instructor(site, first_name="Ada", last_name="Lovelace")
        made = course_product(site, "Payload Course", instructor_id=instructor)
        make_product_price(site, made.product_id)
        add_to_collection(site, make_collection(site), made.product_id)
        served = site.get(f"/products/{made.product_id}").json()

        def bodies(session: Any) -> list[dict[str, Any]]:
            owner = session.get_one(Site, site.id)
            ref = SiteRef(owner.id, owner.subdomain, owner.global_id, 0.0)
            repository = ProductRepository(Scope(session, ref, FIXED, Settings()))
            found = repository.read_as(made.product_id, PRODUCT, PRODUCT_PAYLOAD)
            assert found is not None
            return found

        body, payload = site.db(bodies)
        assert body == served
        assert list(payload) == sorted(served)
        assert payload == served
