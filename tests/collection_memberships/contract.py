"""Contract exercises for category memberships (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.categories.helpers import membership_pairs
from tests.contract.harness import NO_SUCH_ID, NOT_AN_OBJECT, Contract, exercise
from tests.factories import add_to_collection, make_collection, make_product

BLANK = {"errors": {"product_ids": ["can't be blank"]}}


@exercise("POST /collection_memberships/{id}")
def add_products(c: Contract) -> None:
    category, product = make_collection(c.site), make_product(c.site)
    body = {"product_ids": [product]}
    c.unauthorized(f"/collection_memberships/{category}", json=body)
    assert membership_pairs(c.site) == []
    assert c.call(201, f"/collection_memberships/{category}", json=body).content == b""
    assert c.call(201, f"/collection_memberships/{category}", json=body).content == b""
    assert membership_pairs(c.site) == [(category, product)]
    theirs = make_product(c.other_site)
    c.call(
        422,
        f"/collection_memberships/{category}",
        json={"product_ids": [theirs]},
        expect={"errors": {"product_ids": [f"product {theirs} does not exist"]}},
    )
    c.call(422, f"/collection_memberships/{category}", json={}, expect=BLANK)
    c.call(400, f"/collection_memberships/{category}", json=[product], expect=NOT_AN_OBJECT)
    c.call(404, f"/collection_memberships/{NO_SUCH_ID}", json=body)
    c.call(404, f"/collection_memberships/{make_collection(c.other_site)}", json=body)
    assert membership_pairs(c.site) == [(category, product)]


@exercise("DELETE /collection_memberships/{id}")
def remove_products(c: Contract) -> None:
    category, product = make_collection(c.site), make_product(c.site)
    add_to_collection(c.site, category, product)
    body = {"product_ids": [product]}
    c.unauthorized(f"/collection_memberships/{category}", json=body)
    assert membership_pairs(c.site) == [(category, product)]
    assert c.call(204, f"/collection_memberships/{category}", json=body).content == b""
    assert c.call(204, f"/collection_memberships/{category}", json=body).content == b""
    assert membership_pairs(c.site) == []
    c.call(
        422,
        f"/collection_memberships/{category}",
        json={"product_ids": [NO_SUCH_ID]},
        expect={"errors": {"product_ids": [f"product {NO_SUCH_ID} does not exist"]}},
    )
    c.call(422, f"/collection_memberships/{category}", json={"product_ids": []}, expect=BLANK)
    c.call(400, f"/collection_memberships/{category}", json="x", expect=NOT_AN_OBJECT)
    c.call(404, f"/collection_memberships/{NO_SUCH_ID}", json=body)
    c.call(404, f"/collection_memberships/{make_collection(c.other_site)}", json=body)
