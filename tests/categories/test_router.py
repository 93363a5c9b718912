"""HTTP tests for /collections (categories):
https://developers.thinkific.com/api/api-documentation/#/Categories"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from syllabus.clock import clock
from syllabus.models import Collection, Product
from tests.categories.helpers import (
    NOW,
    NOW_TEXT,
    category_body,
    category_count,
    default_body,
    default_id,
    membership_pairs,
)
from tests.events.helpers import alphabetical, assert_recorded, recorded
from tests.factories import add_to_collection, make_collection, make_course, make_product
from tests.products.helpers import (
    assert_list_needs_its_parent,
    course_product,
    one_page,
    product_body,
)
from tests.support import (
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
)

ADMIN = {"Authorization": "Bearer test-admin-token"}
DEFAULT_KEPT = {"errors": {"base": ["The default category cannot be deleted."]}}
TAKEN = {"errors": {"slug": ["has already been taken"]}}
NEW = {"name": "Business", "description": "Courses about business", "slug": "business"}


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    """Sites and categories made in these tests are made at NOW."""
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


class TestDefaultCategory:
    def test_a_new_site_has_only_the_default_category(self, site: SiteClient) -> None:
        assert_answers(site.get("/collections"), 200, one_page(default_body(default_id(site))))

    def test_a_site_created_by_the_control_plane_has_it(self, http: TestClient) -> None:
        created = http.post("/_syllabus/sites", json={}, headers=ADMIN)
        assert created.status_code == 201, created.text
        headers = {
            "X-Auth-API-Key": created.json()["api_key"],
            "X-Auth-Subdomain": created.json()["subdomain"],
        }
        body = http.get("/api/public/v1/collections", headers=headers).json()
        assert body == one_page(default_body(body["items"][0]["id"]))

    def test_a_reset_site_gets_a_new_default_category_and_loses_the_others(
        self, site: SiteClient
    ) -> None:
        old_default = default_id(site)
        product = make_product(site)
        add_to_collection(site, old_default, product)
        add_to_collection(site, make_collection(site), product)
        # The new default is made at the site's time, which runs a minute ahead.
        moved = site.http.put(
            f"/_syllabus/sites/{site.subdomain}/clock", json={"offset_seconds": 60}, headers=ADMIN
        )
        assert moved.status_code == 200, moved.text
        response = site.http.post(f"/_syllabus/sites/{site.subdomain}/reset", headers=ADMIN)
        assert response.status_code == 204
        new_default = default_id(site)
        assert new_default != old_default
        expected = default_body(new_default, created_at="2025-01-10T09:16:30.250Z")
        assert_answers(site.get("/collections"), 200, one_page(expected))
        assert membership_pairs(site) == []

    def test_a_deleted_site_leaves_no_category(self, site: SiteClient) -> None:
        add_to_collection(site, make_collection(site), make_product(site))
        response = site.http.delete(f"/_syllabus/sites/{site.subdomain}", headers=ADMIN)
        assert response.status_code == 204
        assert category_count(site) == 0

    def test_it_cannot_be_deleted(self, site: SiteClient) -> None:
        category = default_id(site)
        assert_answers(site.delete(f"/collections/{category}"), 422, DEFAULT_KEPT)
        assert_answers(site.get(f"/collections/{category}"), 200, default_body(category))
        assert recorded(site) == []

    def test_it_can_be_renamed(self, site: SiteClient) -> None:
        category = default_id(site)
        response = site.put(f"/collections/{category}", json={"name": "Everything"})
        assert response.status_code == 204
        expected = default_body(category)
        expected["name"] = "Everything"
        assert_answers(site.get(f"/collections/{category}"), 200, expected)


class TestListCategories:
    def test_pages_in_ascending_id_order(self, site: SiteClient) -> None:
        ids = [default_id(site), *(make_collection(site) for _ in range(4))]
        assert_five_by_two(site, "/collections", ids)

    def test_items_are_whole_categories_and_only_the_sites(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        category = make_collection(site, name="Business", slug="business", description="Money")
        products = sorted(make_product(site) for _ in range(2))
        for product in reversed(products):
            add_to_collection(site, category, product)
        make_collection(other_site)
        expected = one_page(
            default_body(default_id(site)),
            category_body(
                category, "Business", "business", description="Money", product_ids=products
            ),
        )
        assert_answers(site.get("/collections"), 200, expected)


class TestGetCategory:
    def test_returns_the_category_with_its_product_ids_ascending(self, site: SiteClient) -> None:
        category = make_collection(site, name="Design", slug="design", description="Pretty")
        products = sorted(make_product(site) for _ in range(3))
        for product in (products[1], products[2], products[0]):
            add_to_collection(site, category, product)
        add_to_collection(site, make_collection(site), make_product(site))  # another category's
        response = site.get(f"/collections/{category}")
        expected = category_body(
            category, "Design", "design", description="Pretty", product_ids=products
        )
        assert_answers(response, 200, expected)
        assert list(response.json()) == list(expected)

    @pytest.mark.parametrize("id", ["0", "-1", "abc", "1.5", "99999999999999999999999"])
    def test_missing_is_404(self, site: SiteClient, id: str) -> None:
        assert_answers(site.get(f"/collections/{id}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_category_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/collections/{make_collection(other_site)}")


class TestCreateCategory:
    def test_returns_201_with_the_whole_category(self, site: SiteClient) -> None:
        response = site.post("/collections", json=NEW)
        assert response.status_code == 201
        body = response.json()
        expected = category_body(
            body["id"],
            "Business",
            "business",
            description="Courses about business",
            created_at=NOW_TEXT,
        )
        assert body == expected
        assert list(body) == list(expected)
        assert_answers(site.get(f"/collections/{body['id']}"), 200, expected)
        # No Thinkific topic covers categories: an internal event, the category alphabetically.
        assert_recorded(site, ("collection.created", alphabetical(expected)))

    def test_default_and_product_ids_in_the_body_are_ignored(self, site: SiteClient) -> None:
        product = make_product(site)
        body = site.post(
            "/collections", json={**NEW, "default": True, "product_ids": [product]}
        ).json()
        assert (body["default"], body["product_ids"]) == (False, [])

    def test_an_empty_description_is_accepted(self, site: SiteClient) -> None:
        body = site.post("/collections", json={**NEW, "description": ""}).json()
        assert body["description"] == ""

    def test_missing_fields_are_a_field_map(self, site: SiteClient) -> None:
        expected = {
            "errors": {
                "name": ["can't be blank"],
                "description": ["can't be blank"],
                "slug": ["can't be blank"],
            }
        }
        assert_answers(site.post("/collections", json={}), 422, expected)
        assert category_count(site) == 1

    @pytest.mark.parametrize(
        ("changes", "errors"),
        [
            ({"name": "  "}, {"name": ["can't be blank"]}),
            ({"name": None}, {"name": ["can't be blank"]}),
            ({"slug": ""}, {"slug": ["can't be blank"]}),
            ({"description": None}, {"description": ["can't be blank"]}),
            ({"name": "n" * 256}, {"name": ["is too long (maximum is 255 characters)"]}),
            ({"slug": "s" * 256}, {"slug": ["is too long (maximum is 255 characters)"]}),
            (
                {"description": "d" * 65_536},
                {"description": ["is too long (maximum is 65535 characters)"]},
            ),
            ({"name": 5, "slug": ["a"]}, {"name": ["is invalid"], "slug": ["is invalid"]}),
        ],
    )
    def test_invalid_values(
        self, site: SiteClient, changes: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        assert_answers(site.post("/collections", json={**NEW, **changes}), 422, {"errors": errors})
        assert category_count(site) == 1
        assert recorded(site) == []

    def test_the_slug_is_taken_by_the_default_category(self, site: SiteClient) -> None:
        assert_answers(site.post("/collections", json={**NEW, "slug": "all"}), 422, TAKEN)
        assert category_count(site) == 1

    def test_the_slug_is_unique_on_the_site(self, site: SiteClient) -> None:
        assert site.post("/collections", json=NEW).status_code == 201
        assert_answers(site.post("/collections", json={**NEW, "name": "Other"}), 422, TAKEN)
        assert category_count(site) == 2

    def test_the_same_slug_on_another_site_is_fine(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_collection(other_site, slug="business")
        assert site.post("/collections", json=NEW).status_code == 201

    def test_form_encoded(self, site: SiteClient) -> None:
        response = site.post("/collections", data=NEW)
        assert response.status_code == 201
        assert response.json()["slug"] == "business"

    def test_malformed_json_is_400(self, site: SiteClient) -> None:
        response = site.post(
            "/collections", content=b"{", headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["error"].startswith("The request body is not valid JSON")

    def test_json_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        assert_answers(
            site.post("/collections", json=["Business"]),
            400,
            {"error": "The request body must be a JSON object."},
        )


class TestUpdateCategory:
    def test_partial_update_answers_204_and_persists(self, site: SiteClient) -> None:
        category = make_collection(site, name="Old", slug="old", description="Before")
        product = make_product(site)
        add_to_collection(site, category, product)
        response = site.put(f"/collections/{category}", json={"name": "New", "slug": "new"})
        assert response.status_code == 204
        assert response.content == b""
        expected = category_body(
            category, "New", "new", description="Before", product_ids=[product]
        )
        assert_answers(site.get(f"/collections/{category}"), 200, expected)
        assert_recorded(site, ("collection.updated", alphabetical(expected)))

    def test_every_field(self, site: SiteClient) -> None:
        category = make_collection(site, name="Old", slug="old")
        assert site.put(f"/collections/{category}", json=NEW).status_code == 204
        expected = category_body(
            category, "Business", "business", description="Courses about business"
        )
        assert_answers(site.get(f"/collections/{category}"), 200, expected)

    def test_keeping_its_own_slug_is_fine(self, site: SiteClient) -> None:
        category = make_collection(site, slug="mine")
        response = site.put(f"/collections/{category}", json={"slug": "mine", "name": "Mine"})
        assert response.status_code == 204

    def test_another_categorys_slug_is_taken(self, site: SiteClient) -> None:
        make_collection(site, slug="taken")
        category = make_collection(site, name="Mine", slug="mine")
        assert_answers(site.put(f"/collections/{category}", json={"slug": "taken"}), 422, TAKEN)
        assert site.get(f"/collections/{category}").json()["slug"] == "mine"

    @pytest.mark.parametrize(
        ("changes", "errors"),
        [
            ({"name": None}, {"name": ["can't be blank"]}),
            ({"name": " "}, {"name": ["can't be blank"]}),
            (
                {"slug": None, "description": None},
                {"slug": ["can't be blank"], "description": ["can't be blank"]},
            ),
            ({"name": "n" * 256}, {"name": ["is too long (maximum is 255 characters)"]}),
        ],
    )
    def test_invalid_values_change_nothing(
        self, site: SiteClient, changes: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        category = make_collection(site, name="Mine", slug="mine", description="Kept")
        response = site.put(f"/collections/{category}", json={"name": "Changed", **changes})
        assert_answers(response, 422, {"errors": errors})
        expected = category_body(category, "Mine", "mine", description="Kept")
        assert_answers(site.get(f"/collections/{category}"), 200, expected)
        assert recorded(site) == []

    def test_json_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        category = make_collection(site)
        assert_answers(
            site.put(f"/collections/{category}", json="name"),
            400,
            {"error": "The request body must be a JSON object."},
        )

    def test_missing_is_404(self, site: SiteClient) -> None:
        assert_answers(site.put("/collections/987654321", json=NEW), 404, RECORD_NOT_FOUND)

    def test_another_sites_category_is_404_and_unchanged(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_collection(other_site, name="Theirs", slug="theirs")
        assert_answers(site.put(f"/collections/{theirs}", json=NEW), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/collections/{theirs}").json()["name"] == "Theirs"


class TestDeleteCategory:
    def test_deletes_the_category_and_its_memberships_but_not_its_products(
        self, site: SiteClient
    ) -> None:
        category = make_collection(site, name="Gone", slug="gone")
        kept = make_collection(site)
        product = make_product(site)
        add_to_collection(site, category, product)
        add_to_collection(site, kept, product)
        response = site.delete(f"/collections/{category}")
        assert response.status_code == 204
        assert response.content == b""
        assert_answers(site.get(f"/collections/{category}"), 404, RECORD_NOT_FOUND)
        assert site.get(f"/products/{product}").json()["collection_ids"] == [kept]
        assert membership_pairs(site) == [(kept, product)]
        # The category as it was; its memberships record nothing of their own.
        was = category_body(category, "Gone", "gone", product_ids=[product])
        assert_recorded(site, ("collection.deleted", alphabetical(was)))

    def test_deleting_twice_is_404(self, site: SiteClient) -> None:
        category = make_collection(site)
        assert site.delete(f"/collections/{category}").status_code == 204
        assert_answers(site.delete(f"/collections/{category}"), 404, RECORD_NOT_FOUND)

    def test_its_slug_is_free_again(self, site: SiteClient) -> None:
        category = make_collection(site, slug="business")
        assert site.delete(f"/collections/{category}").status_code == 204
        assert site.post("/collections", json=NEW).status_code == 201

    def test_another_sites_category_is_404_and_kept(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_collection(other_site)
        assert_answers(site.delete(f"/collections/{theirs}"), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/collections/{theirs}").status_code == 200
        assert recorded(site) == recorded(other_site) == []


class TestCategoryProducts:
    def test_pages_in_ascending_id_order(self, site: SiteClient) -> None:
        category = make_collection(site)
        products = [make_product(site) for _ in range(5)]
        for product in reversed(products):
            add_to_collection(site, category, product)
        add_to_collection(site, make_collection(site), make_product(site))
        assert_five_by_two(site, f"/collections/{category}/products", products)

    def test_items_are_whole_products(self, site: SiteClient) -> None:
        category = make_collection(site)
        other = make_collection(site)
        made = course_product(site, "Categorised Course")
        add_to_collection(site, category, made.product_id)
        add_to_collection(site, other, made.product_id)
        expected = product_body(made, collection_ids=sorted([category, other]))
        assert_answers(site.get(f"/collections/{category}/products"), 200, one_page(expected))

    def test_an_empty_category_has_an_empty_page(self, site: SiteClient) -> None:
        make_course(site)
        assert_answers(site.get(f"/collections/{default_id(site)}/products"), 200, EMPTY_PAGE)

    def test_missing_category_is_404(self, site: SiteClient) -> None:
        assert_list_needs_its_parent(site, "/collections/{}/products")

    def test_another_sites_category_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_collection(other_site)
        add_to_collection(other_site, theirs, make_product(other_site))
        assert_only_theirs(site, other_site, f"/collections/{theirs}/products")


def test_products_survive_their_categories(site: SiteClient) -> None:
    """Deleting a category deletes no product (checked in the database, not only over HTTP)."""
    category = make_collection(site)
    products = [make_product(site) for _ in range(2)]
    for product in products:
        add_to_collection(site, category, product)
    assert site.delete(f"/collections/{category}").status_code == 204
    statement = select(func.count()).where(Product.site_id == site.id)
    assert site.db(lambda s: s.scalar(statement)) == 2
    assert site.db(lambda s: s.get(Collection, category)) is None
