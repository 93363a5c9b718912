"""Contract exercises for categories, /collections (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.categories.helpers import category_count, default_id
from tests.contract.harness import NO_SUCH_ID, NOT_AN_OBJECT, Contract, exercise
from tests.factories import add_to_collection, make_collection, make_product

TAKEN = {"errors": {"slug": ["has already been taken"]}}
BODY = {"name": "Business", "description": "Courses about business", "slug": "business"}


@exercise("GET /collections")
def list_categories(c: Contract) -> None:
    ids = [default_id(c.site), make_collection(c.site), make_collection(c.site)]
    make_collection(c.other_site)
    c.page_through("/collections", ids)
    c.unauthorized("/collections")


@exercise("POST /collections")
def create_category(c: Contract) -> None:
    c.unauthorized("/collections", json=BODY)
    created = c.call(201, "/collections", json=BODY).json()
    assert (created["name"], created["slug"], created["default"]) == ("Business", "business", False)
    assert c.site.get(f"/collections/{created['id']}").json() == created
    c.call(422, "/collections", json=BODY, expect=TAKEN)
    c.call(
        422,
        "/collections",
        json={"description": "No name"},
        expect={"errors": {"name": ["can't be blank"], "slug": ["can't be blank"]}},
    )
    c.call(400, "/collections", json=[BODY], expect=NOT_AN_OBJECT)
    assert category_count(c.site) == 2


@exercise("GET /collections/{id}")
def get_category(c: Contract) -> None:
    category = make_collection(c.site, name="Design", slug="design")
    product = make_product(c.site)
    add_to_collection(c.site, category, product)
    body = c.call(200, f"/collections/{category}").json()
    assert (body["id"], body["slug"], body["product_ids"]) == (category, "design", [product])
    c.call(404, f"/collections/{NO_SUCH_ID}")
    c.call(404, "/collections/abc")
    c.call(404, f"/collections/{make_collection(c.other_site)}")
    c.unauthorized(f"/collections/{category}")


@exercise("PUT /collections/{id}")
def update_category(c: Contract) -> None:
    category = make_collection(c.site, name="Old", slug="old")
    c.unauthorized(f"/collections/{category}", json={"name": "Nope"})
    response = c.call(204, f"/collections/{category}", json={"name": "New"})
    assert response.content == b""
    assert c.site.get(f"/collections/{category}").json()["name"] == "New"
    c.call(422, f"/collections/{category}", json={"slug": "all"}, expect=TAKEN)
    c.call(400, f"/collections/{category}", json="New", expect=NOT_AN_OBJECT)
    c.call(404, f"/collections/{NO_SUCH_ID}", json={"name": "New"})
    c.call(404, f"/collections/{make_collection(c.other_site)}", json={"name": "New"})


@exercise("DELETE /collections/{id}")
def delete_category(c: Contract) -> None:
    category = make_collection(c.site)
    c.unauthorized(f"/collections/{category}")
    assert c.call(204, f"/collections/{category}").content == b""
    c.call(404, f"/collections/{category}")
    c.call(
        422,
        f"/collections/{default_id(c.site)}",
        expect={"errors": {"base": ["The default category cannot be deleted."]}},
    )
    c.call(404, f"/collections/{make_collection(c.other_site)}")
    assert category_count(c.site) == 1


@exercise("GET /collections/{id}/products")
def list_category_products(c: Contract) -> None:
    category = make_collection(c.site)
    products = [make_product(c.site) for _ in range(3)]
    for product in reversed(products):
        add_to_collection(c.site, category, product)
    make_product(c.site)  # in no category
    c.page_through(f"/collections/{category}/products", products)
    c.call(404, f"/collections/{NO_SUCH_ID}/products")
    c.call(404, f"/collections/{make_collection(c.other_site)}/products")
    c.unauthorized(f"/collections/{category}/products")
