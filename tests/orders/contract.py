"""Contract exercises for orders (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import NO_SUCH_ID, Contract, exercise, site_list
from tests.factories import make_order, make_product, make_user
from tests.support import SiteClient


def _order(site: SiteClient) -> int:
    return make_order(site, make_user(site), make_product(site))


exercise("GET /orders")(site_list("/orders", _order))


@exercise("GET /orders/{id}")
def get_order(c: Contract) -> None:
    order = _order(c.site)
    body = c.call(200, f"/orders/{order}").json()
    assert (body["id"], body["amount_dollars"], body["status"]) == (order, "49.0", "complete")
    c.call(404, f"/orders/{NO_SUCH_ID}")
    c.call(404, "/orders/abc")
    c.call(404, f"/orders/{_order(c.other_site)}")
    c.unauthorized(f"/orders/{order}")
