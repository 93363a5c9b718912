"""``syllabus checkout``: the control plane's checkout from the command line."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Run, one_line
from tests.factories import make_coupon, make_promotion
from tests.orders.helpers import (
    NOW,
    NOW_TEXT,
    enrollments_of,
    frozen_clock,
    new_buyer,
    new_course_product,
    new_product,
    order_body,
    quantity_used,
    recorded_events,
    stored_orders,
)
from tests.support import SiteClient

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)


def test_buys_enrolls_and_prints_the_order(cli: Run, site: SiteClient) -> None:
    buyer, (product, course) = new_buyer(site), new_course_product(site, "49.0")
    coupon = make_coupon(site, make_promotion(site, [product.id]), code="SAVE10")

    result = cli(
        "checkout",
        site.subdomain,
        "--user",
        str(buyer.id),
        "--product",
        str(product.id),
        "--coupon",
        "SAVE10",
    )

    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    (order,) = stored_orders(site)
    assert printed == order_body(
        order, buyer, product, 4410, created_at=NOW_TEXT, coupon_code="SAVE10", coupon_id=coupon
    )
    assert site.get(f"/orders/{order}").json() == printed
    assert quantity_used(site, coupon) == 1
    assert enrollments_of(site, buyer.id) == [(course, NOW, None, False)]
    assert [(r, a) for r, a, _ in recorded_events(site)] == [
        ("order", "created"),
        ("enrollment", "created"),
    ]


def test_without_a_coupon(cli: Run, site: SiteClient) -> None:
    buyer, product = new_buyer(site), new_product(site, "20.0")
    result = cli("checkout", site.subdomain, "--user", str(buyer.id), "--product", str(product.id))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["amount_dollars"] == "20.0"


@pytest.mark.parametrize(
    ("user", "product", "coupon", "message"),
    [
        (None, 987654321, None, "product_id: Product could not be found."),
        (987654321, None, None, "user_id: User could not be found."),
        (
            987654321,
            987654321,
            None,
            "user_id: User could not be found.; product_id: Product could not be found.",
        ),
        (None, None, "NOPE", "coupon_code: NOPE is not a valid coupon for this product"),
    ],
    ids=["unknown-product", "unknown-user", "both", "unknown-coupon"],
)
def test_a_refused_checkout_exits_1_with_the_reason_and_writes_nothing(
    cli: Run,
    site: SiteClient,
    user: int | None,
    product: int | None,
    coupon: str | None,
    message: str,
) -> None:
    user_id = user or new_buyer(site).id
    product_id = product or new_product(site).id
    arguments = ["checkout", site.subdomain, "--user", str(user_id), "--product", str(product_id)]
    result = cli(*arguments, *(["--coupon", coupon] if coupon else []))
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"error: {message}"
    assert result.stdout == ""
    assert stored_orders(site) == []
    assert recorded_events(site) == []


def test_an_unknown_site_exits_1(cli: Run) -> None:
    result = cli("checkout", "no-such-site", "--user", "1", "--product", "1")
    assert result.exit_code == 1
    assert one_line(result.stderr) == "error: no site with subdomain 'no-such-site'"


def test_ids_must_be_numbers(cli: Run, site: SiteClient) -> None:
    result = cli("checkout", site.subdomain, "--user", "one", "--product", "1")
    assert result.exit_code == 2
    assert "'--user'" in result.stderr
