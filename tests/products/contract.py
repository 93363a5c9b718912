"""Contract exercises for products (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import NO_SUCH_ID, Contract, exercise, site_list
from tests.factories import (
    add_to_collection,
    make_collection,
    make_instructor,
    make_product,
    make_product_price,
    relate_products,
)
from tests.products.helpers import course_product

exercise("GET /products")(site_list("/products", make_product))


@exercise("GET /products/{id}")
def get_product(c: Contract) -> None:
    instructor = make_instructor(c.site, first_name="Ada", last_name="Lovelace")
    made = course_product(c.site, "Corporate Course", instructor_id=instructor)
    make_product_price(c.site, made.product_id)
    category = make_collection(c.site)
    add_to_collection(c.site, category, made.product_id)
    body = c.call(200, f"/products/{made.product_id}").json()
    assert (body["productable_id"], body["price"], body["collection_ids"]) == (
        made.id,
        "49.0",
        [category],
    )
    assert (body["instructor_names"], len(body["product_prices"])) == ("Ada Lovelace", 1)
    c.call(404, f"/products/{NO_SUCH_ID}")
    c.call(404, "/products/abc")
    c.call(404, f"/products/{make_product(c.other_site)}")
    c.unauthorized(f"/products/{made.product_id}")


@exercise("GET /products/{id}/related")
def list_related_products(c: Contract) -> None:
    product = make_product(c.site)
    related = [make_product(c.site) for _ in range(3)]
    for other in reversed(related):
        relate_products(c.site, product, other)
    relate_products(c.site, related[0], make_product(c.site))  # not its relation
    c.page_through(f"/products/{product}/related", related)
    c.call(404, f"/products/{NO_SUCH_ID}/related")
    c.call(404, f"/products/{make_product(c.other_site)}/related")
    c.unauthorized(f"/products/{product}/related")
