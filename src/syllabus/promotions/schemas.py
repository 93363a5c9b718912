from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from syllabus.coupons.schemas import INT32_MAX
from syllabus.enrollments.schemas import NullableTimestamp
from syllabus.kit.schemas import (
    DbInt,
    DecimalString,
    LongText,
    RequestSchema,
    ResponseSchema,
    Timestamp,
)
from syllabus.kit.validation import Required

DiscountType = Literal["fixed", "percentage"]
# Dollars off, or percent off; its range depends on the discount type (the service checks it).
Amount = Annotated[Decimal, Field(max_digits=12)]
# Billing periods of a subscription or payment plan the discount lasts.
Duration = Annotated[int, Field(ge=1, le=INT32_MAX)]
# A promotion's products or coupons, by id; a body names at most this many.
MAX_IDS = 1000
Ids = Annotated[list[DbInt], Field(max_length=MAX_IDS)]


class PromotionRead(ResponseSchema):
    """The spec's PromotionResponse order, then ``product_ids`` and ``created_at`` (FIDELITY
    §6.5). ``amount`` is a decimal string (§6.3); no products means every product."""

    id: int
    name: str
    description: str | None
    starts_at: Timestamp | None
    expires_at: Timestamp | None
    discount_type: DiscountType
    amount: DecimalString
    coupon_ids: list[int]
    duration: int | None
    product_ids: list[int]
    created_at: Timestamp


class PromotionFields(RequestSchema):
    """Fields a create and an update share."""

    description: LongText | None = None
    starts_at: NullableTimestamp = Field(None, description="Null: running from the start.")
    expires_at: NullableTimestamp = Field(None, description="Null: never expires.")
    product_ids: Ids | None = Field(None, description="Empty: every product.")
    coupon_ids: Ids | None = Field(
        None, description="Existing coupons of the site, moved to this promotion."
    )
    duration: Duration | None = None


class PromotionCreate(PromotionFields):
    name: Required
    discount_type: DiscountType
    amount: Amount


class PromotionUpdate(PromotionFields):
    """PUT, but partial: only the keys present change. ``product_ids`` replaces the products;
    ``coupon_ids`` moves those coupons here and leaves the promotion's others as they are."""

    name: Required | None = None
    discount_type: DiscountType | None = None
    amount: Amount | None = None
