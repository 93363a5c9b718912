from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from syllabus.kit.schemas import (
    DbInt,
    RequestSchema,
    ResponseSchema,
    Text,
    Timestamp,
    format_timestamp,
)
from syllabus.kit.validation import Required
from syllabus.kit.wire import From
from syllabus.models import ExternalOrder
from syllabus.orders.schemas import MAX_CENTS

# models/order.py's ORDER_TYPES and TRANSACTION_ACTIONS, as types (a test keeps them equal).
OrderType = Literal["one-time", "subscription", "payment-plan"]
Action = Literal["purchase", "refund"]
Amount = Annotated[
    int, Field(gt=0, le=MAX_CENTS, description="In the currency's smallest unit (cents).")
]
Currency = Annotated[
    str,
    Field(pattern="^[A-Za-z]{3}$", description="An ISO 4217 code such as USD, kept upper-case."),
    AfterValidator(str.upper),
]


class TransactionInput(RequestSchema):
    """A payment or a refund, as apps report it (spec ``ExternalOrderTransaction``)."""

    amount: Amount
    currency: Currency
    reference: Text | None = Field(None, description="The payment provider's reference.")
    action: Text | None = Field(
        None,
        description="Informational: the path says whether it is a purchase or a refund, and "
        "the transaction of a new order is its first purchase.",
    )


class ExternalOrderCreate(RequestSchema):
    payment_provider: Required
    user_id: DbInt
    product_id: DbInt
    order_type: OrderType
    transaction: TransactionInput | None = Field(
        None, description="Recorded as the order's first purchase."
    )


class ExternalOrderCreated(ResponseSchema):
    id: int


class TransactionRead(ResponseSchema):
    """A recorded transaction. Thinkific documents no body here (clients rely on none); Syllabus
    answers the transaction it recorded."""

    id: int
    external_order_id: int
    action: Action
    amount: int
    currency: str
    reference: str | None
    created_at: Timestamp


class ExternalOrderRef(ResponseSchema):
    created_at: Timestamp
    id: int
    order_type: OrderType
    payment_provider: str
    product_id: int
    user_id: int


def _external_order(
    created_at: datetime,
    id: int,
    order_type: str,
    payment_provider: str,
    product_id: int,
    user_id: int,
) -> dict[str, Any]:
    return {
        "created_at": format_timestamp(created_at),
        "id": id,
        "order_type": order_type,
        "payment_provider": payment_provider,
        "product_id": product_id,
        "user_id": user_id,
    }


class TransactionPayload(ResponseSchema):
    """The payload of ``order_transaction.succeeded`` (a purchase) and
    ``order_transaction.refunded`` (a refund) for an external order. Thinkific publishes no
    sample for these topics; this one follows its webhook style (FIDELITY §7.2): the
    transaction's fields with alphabetical keys, its order embedded (also alphabetical)::

        {"action": "purchase", "amount": 10000, "created_at": "2025-01-10T09:15:30.250Z",
         "currency": "USD",
         "external_order": {"created_at": "...", "id": 7, "order_type": "one-time",
                            "payment_provider": "Stripe", "product_id": 3, "user_id": 5},
         "external_order_id": 7, "id": 12, "reference": "ch_123"}
    """

    action: Action
    amount: int
    created_at: Timestamp
    currency: str
    external_order: Annotated[
        ExternalOrderRef,
        From(
            _external_order,
            ExternalOrder.created_at,
            ExternalOrder.id,
            ExternalOrder.order_type,
            ExternalOrder.payment_provider,
            ExternalOrder.product_id,
            ExternalOrder.user_id,
        ),
    ]
    external_order_id: int
    id: int
    reference: str | None
