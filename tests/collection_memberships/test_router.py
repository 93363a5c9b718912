"""HTTP tests for /collection_memberships/{id}: the id is the category's, the body names the
products. https://developers.thinkific.com/api/api-documentation/#/Category%20Memberships"""

from __future__ import annotations

from typing import Any

import pytest

from tests.categories.helpers import category_body, default_id, membership_pairs
from tests.events.helpers import alphabetical, assert_recorded, recorded
from tests.factories import add_to_collection, make_collection, make_product
from tests.support import RECORD_NOT_FOUND, SiteClient, assert_answers

NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}


def missing(*ids: int) -> dict[str, Any]:
    return {"errors": {"product_ids": [f"product {id} does not exist" for id in ids]}}


def add(site: SiteClient, category: Any, product_ids: Any) -> Any:
    return site.post(f"/collection_memberships/{category}", json={"product_ids": product_ids})


def remove(site: SiteClient, category: Any, product_ids: Any) -> Any:
    return site.delete(f"/collection_memberships/{category}", json={"product_ids": product_ids})


# What both operations refuse in the body, with Rails' words.
INVALID_BODIES = [
    ({}, {"product_ids": ["can't be blank"]}),
    ({"product_ids": None}, {"product_ids": ["can't be blank"]}),
    ({"product_ids": []}, {"product_ids": ["can't be blank"]}),
    ({"product_ids": "1,2"}, {"product_ids": ["is invalid"]}),
    ({"product_ids": ["one"]}, {"product_ids": ["is not a number"]}),
    ({"product_ids": [1.5]}, {"product_ids": ["must be an integer"]}),
    (
        {"product_ids": [2**63]},
        {"product_ids": ["must be less than or equal to 9223372036854775807"]},
    ),
]


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize(("body", "errors"), INVALID_BODIES)
def test_invalid_bodies_change_nothing(
    site: SiteClient, method: str, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    category, product = make_collection(site), make_product(site)
    add_to_collection(site, category, product)
    response = site.request(method, f"/collection_memberships/{category}", json=body)
    assert_answers(response, 422, {"errors": errors})
    assert membership_pairs(site) == [(category, product)]
    assert recorded(site) == []


class TestAddProducts:
    def test_answers_201_with_no_body_and_adds_them(self, site: SiteClient) -> None:
        category = make_collection(site, name="Business", slug="business")
        products = [make_product(site) for _ in range(3)]
        response = add(site, category, [products[2], products[0]])
        assert response.status_code == 201
        assert response.content == b""
        expected = category_body(
            category, "Business", "business", product_ids=[products[0], products[2]]
        )
        assert_answers(site.get(f"/collections/{category}"), 200, expected)
        assert site.get(f"/products/{products[0]}").json()["collection_ids"] == [category]
        assert site.get(f"/products/{products[1]}").json()["collection_ids"] == []
        # The category as it is now: its product_ids changed.
        assert_recorded(site, ("collection.updated", alphabetical(expected)))

    def test_adding_again_is_idempotent(self, site: SiteClient) -> None:
        category = make_collection(site)
        first, second = make_product(site), make_product(site)
        add_to_collection(site, category, first)
        response = add(site, category, [first, second, second])
        assert response.status_code == 201
        assert membership_pairs(site) == [(category, first), (category, second)]
        assert [payload["product_ids"] for _, payload in recorded(site)] == [[first, second]]

    def test_to_the_default_category(self, site: SiteClient) -> None:
        category, product = default_id(site), make_product(site)
        assert add(site, category, [product]).status_code == 201
        assert site.get(f"/collections/{category}").json()["product_ids"] == [product]

    def test_numeric_strings_are_ids(self, site: SiteClient) -> None:
        category, product = make_collection(site), make_product(site)
        assert add(site, category, [str(product)]).status_code == 201
        assert membership_pairs(site) == [(category, product)]

    def test_form_encoded_with_rails_brackets(self, site: SiteClient) -> None:
        category = make_collection(site)
        products = [make_product(site) for _ in range(2)]
        response = site.post(
            f"/collection_memberships/{category}",
            data={"product_ids[]": [str(p) for p in products]},
        )
        assert response.status_code == 201, response.text
        assert membership_pairs(site) == [(category, p) for p in products]

    def test_unknown_products_are_named_and_nothing_is_written(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        category, product = make_collection(site), make_product(site)
        theirs = make_product(other_site)
        response = add(site, category, [987654321, product, theirs, 0])
        assert_answers(response, 422, missing(987654321, theirs, 0))
        assert membership_pairs(site) == []
        assert other_site.get(f"/products/{theirs}").json()["collection_ids"] == []
        assert recorded(site) == []

    def test_json_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        category, product = make_collection(site), make_product(site)
        response = site.post(f"/collection_memberships/{category}", json=[product])
        assert_answers(response, 400, NOT_AN_OBJECT)
        assert membership_pairs(site) == []

    @pytest.mark.parametrize("category", ["0", "abc", "987654321"])
    def test_missing_category_is_404(self, site: SiteClient, category: str) -> None:
        assert_answers(add(site, category, [make_product(site)]), 404, RECORD_NOT_FOUND)

    def test_another_sites_category_is_404_and_unchanged(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_collection(other_site)
        assert_answers(add(site, theirs, [make_product(site)]), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/collections/{theirs}").json()["product_ids"] == []
        assert recorded(site) == recorded(other_site) == []


class TestRemoveProducts:
    def test_answers_204_and_removes_only_those(self, site: SiteClient) -> None:
        category = make_collection(site, name="Business", slug="business")
        other = make_collection(site)
        products = [make_product(site) for _ in range(3)]
        for product in products:
            add_to_collection(site, category, product)
        add_to_collection(site, other, products[0])
        response = remove(site, category, [products[0], products[2]])
        assert response.status_code == 204
        assert response.content == b""
        assert membership_pairs(site) == sorted([(category, products[1]), (other, products[0])])
        # The products themselves stay.
        assert site.get(f"/products/{products[0]}").json()["collection_ids"] == [other]
        # The category as it is after the removal.
        now = category_body(category, "Business", "business", product_ids=[products[1]])
        assert_recorded(site, ("collection.updated", alphabetical(now)))

    def test_removing_what_is_not_there_is_fine(self, site: SiteClient) -> None:
        category, product = make_collection(site), make_product(site)
        kept = make_product(site)
        add_to_collection(site, category, kept)
        assert remove(site, category, [product, product]).status_code == 204
        assert membership_pairs(site) == [(category, kept)]

    def test_unknown_products_are_named_and_nothing_is_removed(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        category, product = make_collection(site), make_product(site)
        add_to_collection(site, category, product)
        theirs = make_product(other_site)
        assert_answers(remove(site, category, [product, theirs]), 422, missing(theirs))
        assert membership_pairs(site) == [(category, product)]
        assert recorded(site) == []

    def test_json_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        category = make_collection(site)
        response = site.delete(f"/collection_memberships/{category}", json="product_ids")
        assert_answers(response, 400, NOT_AN_OBJECT)

    @pytest.mark.parametrize("category", ["0", "abc", "987654321"])
    def test_missing_category_is_404(self, site: SiteClient, category: str) -> None:
        assert_answers(remove(site, category, [make_product(site)]), 404, RECORD_NOT_FOUND)

    def test_another_sites_category_is_404_and_unchanged(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs, product = make_collection(other_site), make_product(other_site)
        add_to_collection(other_site, theirs, product)
        assert_answers(remove(site, theirs, [product]), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/collections/{theirs}").json()["product_ids"] == [product]
