"""Contract exercises for external orders (see tests/contract/harness.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from syllabus.models import ExternalOrder
from tests.contract.harness import NO_SUCH_ID, NOT_AN_OBJECT, Contract, exercise
from tests.factories import make_external_order, make_product, make_user
from tests.support import SiteClient

USD = {"amount": 10000, "currency": "USD", "reference": "123abc"}


def external_order_count(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(ExternalOrder.site_id == site.id)))


@exercise("POST /external_orders")
def create_external_order(c: Contract) -> None:
    user, product = make_user(c.site), make_product(c.site)
    body = {
        "payment_provider": "ExternalProvider",
        "user_id": user,
        "product_id": product,
        "order_type": "one-time",
    }
    created = c.call(201, "/external_orders", json={**body, "transaction": USD}).json()
    assert list(created) == ["id"]
    c.call(
        422,
        "/external_orders",
        json={**body, "user_id": NO_SUCH_ID, "product_id": make_product(c.other_site)},
        expect={
            "errors": {
                "user_id": ["User could not be found."],
                "product_id": ["Product could not be found."],
            }
        },
    )
    c.call(
        422,
        "/external_orders",
        json={**body, "order_type": "lifetime"},
        expect={"errors": {"order_type": ["is not included in the list"]}},
    )
    c.call(400, "/external_orders", json=[user, product], expect=NOT_AN_OBJECT)
    c.unauthorized("/external_orders", json=body)
    assert external_order_count(c.site) == 1


def _transaction(c: Contract, action: str) -> None:
    order = make_external_order(c.site, make_user(c.site), make_product(c.site))
    path = f"/external_orders/{order}/transactions/{action}"
    if action == "refund":
        c.site.post(f"/external_orders/{order}/transactions/purchase", json=USD)
    body = c.call(200, path, json=USD).json()
    assert (body["external_order_id"], body["action"], body["amount"]) == (order, action, 10000)
    c.call(
        422,
        path,
        json={"amount": 10000},
        expect={"errors": {"currency": ["can't be blank"]}},
    )
    c.call(400, path, json="10000 USD", expect=NOT_AN_OBJECT)
    c.call(404, f"/external_orders/{NO_SUCH_ID}/transactions/{action}", json=USD)
    c.call(404, f"/external_orders/abc/transactions/{action}", json=USD)
    theirs = make_external_order(c.other_site, make_user(c.other_site), make_product(c.other_site))
    c.call(404, f"/external_orders/{theirs}/transactions/{action}", json=USD)
    c.unauthorized(path, json=USD)


@exercise("POST /external_orders/{id}/transactions/purchase")
def purchase(c: Contract) -> None:
    _transaction(c, "purchase")


@exercise("POST /external_orders/{id}/transactions/refund")
def refund(c: Contract) -> None:
    _transaction(c, "refund")
    order = make_external_order(c.site, make_user(c.site), make_product(c.site))
    c.call(
        422,
        f"/external_orders/{order}/transactions/refund",
        json=USD,
        expect={"errors": {"amount": ["is greater than the amount paid (0 USD)"]}},
    )
