"""Builders for order tests: buyers and products whose wire values the tests know, the order
body written from the spec (OrderResponse) and FIDELITY, and checkout through the control plane."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from syllabus.clock import clock
from syllabus.models import Coupon, Enrollment, Order
from tests.events.helpers import recorded_events as recorded_events
from tests.factories import make_bundle, make_course, make_product, make_user
from tests.openapi_validator import assert_matches_openapi
from tests.support import SiteClient, overridden

ADMIN = {"Authorization": "Bearer test-admin-token"}
FIXED_TEXT = "2024-02-22T20:32:52.726Z"
# The frozen clock's now (``frozen_clock``), and as the wire renders it.
NOW = datetime(2025, 1, 10, 9, 15, 30, 250000, tzinfo=UTC)
NOW_TEXT = "2025-01-10T09:15:30.250Z"
NO_SUCH_ID = 2**62
USER_MISSING = {"user_id": ["User could not be found."]}
PRODUCT_MISSING = {"product_id": ["Product could not be found."]}
# A buyer and a product of which one or both are unknown, and the 422 field map that says so.
UNKNOWN_BUYER_OR_PRODUCT = pytest.mark.parametrize(
    ("unknown", "errors"),
    [
        ({"user_id": NO_SUCH_ID}, USER_MISSING),
        ({"product_id": NO_SUCH_ID}, PRODUCT_MISSING),
        ({"user_id": NO_SUCH_ID, "product_id": NO_SUCH_ID}, {**USER_MISSING, **PRODUCT_MISSING}),
    ],
    ids=["user", "product", "both"],
)
# OrderResponse's properties, in the spec's order ("created at" is created_at: FIDELITY §6.5).
FIELD_ORDER = [
    "user_id",
    "user_email",
    "user_name",
    "product_name",
    "product_id",
    "amount_dollars",
    "amount_cents",
    "subscription",
    "coupon_code",
    "coupon_id",
    "items",
    "affiliate_referral_code",
    "status",
    "created_at",
    "id",
]
_names = itertools.count(1)


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    """Every "now" is ``NOW``: ``pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)``."""
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


@dataclass(frozen=True)
class Buyer:
    id: int
    email: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def ref(self) -> dict[str, Any]:
        """The buyer as webhook payloads embed a user (FIDELITY §7.2)."""
        return {
            "email": self.email,
            "first_name": self.first_name,
            "id": self.id,
            "last_name": self.last_name,
        }


@dataclass(frozen=True)
class Item:
    id: int
    name: str


def new_buyer(site: SiteClient) -> Buyer:
    n = next(_names)
    first, last, email = f"Robert{n}", f"Smith{n}", f"buyer{n}@example.com"
    return Buyer(make_user(site, first_name=first, last_name=last, email=email), email, first, last)


def new_product(site: SiteClient, price: str = "49.0", **overrides: Any) -> Item:
    """A product for sale with no course (what checkout enrolls in is set up by the test)."""
    name = f"Introduction to Webhooks {next(_names)}"
    return Item(make_product(site, name=name, price=Decimal(price), **overrides), name)


def new_course_product(site: SiteClient, price: str = "49.0", **overrides: Any) -> tuple[Item, int]:
    """A course's product at ``price``, and the course."""
    product = new_product(site, price, **overrides)
    return product, make_course(site, name=product.name, product_id=product.id)


def new_bundle_product(
    site: SiteClient, course_ids: list[int], price: str = "49.0", **overrides: Any
) -> Item:
    """A bundle of ``course_ids`` (in that order), sold at ``price``."""
    product = new_product(site, price, productable_type="Bundle", **overrides)
    make_bundle(site, course_ids, name=product.name, product_id=product.id)
    return product


def order_body(
    order_id: int, buyer: Buyer, product: Item, amount_cents: int = 4900, **overrides: Any
) -> dict[str, Any]:
    """An order as GET /orders renders it: the factory's defaults (one item, FIXED, no coupon).
    ``amount_dollars`` is a decimal string, each item's a number (FIDELITY §6.3)."""
    body: dict[str, Any] = {
        "user_id": buyer.id,
        "user_email": buyer.email,
        "user_name": buyer.name,
        "product_name": product.name,
        "product_id": product.id,
        "amount_dollars": dollars_text(amount_cents),
        "amount_cents": amount_cents,
        "subscription": False,
        "coupon_code": None,
        "coupon_id": None,
        "items": [
            {
                "product_id": product.id,
                "product_name": product.name,
                "amount_dollars": amount_cents / 100,
                "amount_cents": amount_cents,
            }
        ],
        "affiliate_referral_code": None,
        "status": "complete",
        "created_at": FIXED_TEXT,
        "id": order_id,
    }
    return overridden(body, overrides)


def dollars_text(cents: int) -> str:
    """Rails' BigDecimal#to_s of a dollar amount: ``"20.0"``, ``"44.1"``, ``"19.99"``."""
    whole, fraction = divmod(cents, 100)
    return f"{whole}.0" if fraction == 0 else f"{whole}.{fraction:02d}".rstrip("0")


def order_payload(
    order_id: int,
    buyer: Buyer,
    product: Item,
    amount_cents: int,
    created_at: str,
    **overrides: Any,
) -> dict[str, Any]:
    """The ``order.created`` webhook payload of FIDELITY §7.2: alphabetical keys but ``items``
    last, ``amount_dollars`` a number, ``status`` "Complete", the buyer embedded."""
    payload: dict[str, Any] = {
        "affiliate_referral_code": None,
        "amount_cents": amount_cents,
        "amount_dollars": amount_cents / 100,
        "billing_name": buyer.name,
        "coupon": None,
        "created_at": created_at,
        "id": order_id,
        "order_number": order_id,
        "payment_type": "one-time",
        "product_id": product.id,
        "product_name": product.name,
        "status": "Complete",
        "user": buyer.ref,
        "items": [
            {
                "product_id": product.id,
                "product_name": product.name,
                "amount_dollars": amount_cents / 100,
                "amount_cents": amount_cents,
            }
        ],
    }
    return overridden(payload, overrides)


def checkout(http: httpx.Client | Any, subdomain: str, **body: Any) -> httpx.Response:
    """POST /_syllabus/sites/{subdomain}/checkout; the answer must match our OpenAPI."""
    path = f"/_syllabus/sites/{subdomain}/checkout"
    response: httpx.Response = http.post(path, json=body, headers=ADMIN)
    assert_matches_openapi(http.app.openapi(), "POST", path, response)
    return response


def rows_of(site: SiteClient, model: Any, *columns: Any, **equal: Any) -> list[tuple[Any, ...]]:
    """``columns`` of the site's rows of ``model`` (those whose ``equal`` columns have these
    values), in id order."""
    conditions = [getattr(model, name) == value for name, value in equal.items()]
    statement = select(*columns).where(model.site_id == site.id, *conditions).order_by(model.id)
    return site.db(lambda s: [tuple(row) for row in s.execute(statement)])


def stored_orders(site: SiteClient) -> list[int]:
    return [id for (id,) in rows_of(site, Order, Order.id)]


def quantity_used(site: SiteClient, coupon_id: int) -> int:
    return site.db(lambda s: s.get_one(Coupon, coupon_id).quantity_used)


def enrollments_of(site: SiteClient, user_id: int) -> list[tuple[Any, ...]]:
    """(course_id, activated_at, expiry_date, is_free_trial) of the user's enrollments."""
    return rows_of(
        site,
        Enrollment,
        Enrollment.course_id,
        Enrollment.activated_at,
        Enrollment.expiry_date,
        Enrollment.is_free_trial,
        user_id=user_id,
    )
