from __future__ import annotations

from typing import Annotated, Any

from sqlalchemy import select

from syllabus.kit.schemas import INT64_MAX, DecimalString, ResponseSchema, Timestamp
from syllabus.kit.wire import From
from syllabus.models import Coupon, Order, OrderItem, User
from syllabus.models.order import dollars

# Amounts in cents are 64-bit integer columns (orders, items, external order transactions).
MAX_CENTS = INT64_MAX


class OrderItemRead(ResponseSchema):
    """What an order bought. Unlike the order's, its ``amount_dollars`` is a JSON number
    (FIDELITY §6.3)."""

    product_id: int | None
    product_name: str | None
    amount_dollars: Annotated[float, From(dollars, OrderItem.amount_cents)]
    amount_cents: int


class OrderRead(ResponseSchema):
    """Field order is the spec's ``OrderResponse``, with ``created_at`` for its ``"created at"``
    (FIDELITY §6.5). ``amount_dollars`` is a decimal string (``"20.0"``); the product and the
    buyer are named as they were when the order was placed, and ``product_id`` is null once
    the product is deleted (FIDELITY §8)."""

    user_id: int | None
    user_email: str
    user_name: str
    product_name: str | None
    product_id: int | None
    amount_dollars: Annotated[DecimalString, From(dollars, Order.amount_cents)]
    amount_cents: int
    subscription: bool
    coupon_code: str | None
    coupon_id: int | None
    items: list[OrderItemRead]
    affiliate_referral_code: str | None
    status: str
    created_at: Timestamp
    id: int


class CouponRef(ResponseSchema):
    id: int
    code: str
    promotion_id: int


class BuyerRef(ResponseSchema):
    email: str
    first_name: str
    id: int
    last_name: str


def _coupon(id: int | None, code: str | None, promotion_id: int | None) -> dict[str, Any] | None:
    if id is None or code is None or promotion_id is None:
        return None
    return {"id": id, "code": code, "promotion_id": promotion_id}


def _buyer(email: str, first_name: str, id: int, last_name: str) -> dict[str, Any]:
    return {"email": email, "first_name": first_name, "id": id, "last_name": last_name}


def _webhook_status(status: str) -> str:
    return status.capitalize()


# The coupon's promotion, or null once the coupon is deleted.
_PROMOTION_ID = (
    select(Coupon.promotion_id).where(Coupon.id == Order.coupon_id).scalar_subquery().label("pid")
)


class OrderPayload(ResponseSchema):
    """The ``order.created`` webhook payload (FIDELITY §7.2): keys alphabetical but ``items``,
    which comes last as in Thinkific's newer samples; ``amount_dollars`` a number and
    ``status`` capitalised (``"Complete"``), unlike the REST order; the coupon and the buyer
    embedded. Syllabus numbers orders with their ids (``order_number``) and bills the buyer by
    name (``billing_name``)."""

    affiliate_referral_code: str | None
    amount_cents: int
    amount_dollars: Annotated[float, From(dollars, Order.amount_cents)]
    billing_name: Annotated[str, From(Order.user_name)]
    coupon: Annotated[
        CouponRef | None, From(_coupon, Order.coupon_id, Order.coupon_code, _PROMOTION_ID)
    ]
    created_at: Timestamp
    id: int
    order_number: Annotated[int, From(Order.id)]
    payment_type: str
    product_id: int | None
    product_name: str | None
    status: Annotated[str, From(_webhook_status, Order.status)]
    user: Annotated[
        BuyerRef, From(_buyer, Order.user_email, User.first_name, User.id, User.last_name)
    ]
    items: list[OrderItemRead]
