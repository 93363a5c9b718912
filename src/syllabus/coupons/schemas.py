from __future__ import annotations

from typing import Annotated

from pydantic import Field

from syllabus.kit.schemas import LongText, RequestSchema, ResponseSchema, Timestamp
from syllabus.kit.validation import Required

# Coupon counts are 32-bit columns: a larger number is a 422, never a database error.
INT32_MAX = 2**31 - 1
# How many times a coupon can be used; null (or omitted) means no limit.
Quantity = Annotated[int, Field(gt=0, le=INT32_MAX)]
# How many times it has been used. The spec types it as a string on update (FIDELITY §9.2 #17):
# numeric strings are accepted, as for every integer.
QuantityUsed = Annotated[int, Field(ge=0, le=INT32_MAX)]
MAX_BULK_QUANTITY = 1000
MIN_CODE_LENGTH = 6
# The column's width.
MAX_CODE_LENGTH = 255


class CouponRead(ResponseSchema):
    """The spec's CouponResponse, in its order. ``quantity`` null means unlimited uses."""

    id: int
    code: str
    note: str | None
    quantity_used: int
    quantity: int | None
    promotion_id: int
    created_at: Timestamp


class CouponBatch(ResponseSchema):
    """What ``bulk_create`` answers: the spec's ``{"items": [...]}`` (FIDELITY §10 #6)."""

    items: list[CouponRead]


class CouponCreate(RequestSchema):
    """A coupon of the promotion named by ``promotion_id`` (query or body)."""

    code: Required
    note: LongText | None = None
    quantity: Quantity | None = Field(None, description="Omit or null for unlimited uses.")


class CouponUpdate(RequestSchema):
    """PUT with ``code`` required, as the spec has it (FIDELITY §9.2 #17); the other keys
    change only when present, and ``quantity: null`` makes the coupon unlimited."""

    code: Required
    note: LongText | None = None
    quantity_used: QuantityUsed | None = None
    quantity: Quantity | None = None


class CouponBulkCreate(RequestSchema):
    """``bulk_quantity`` coupons with random codes of ``bulk_coupon_code_length`` characters,
    each usable ``bulk_quantity_per_coupon`` times (omitted: unlimited)."""

    bulk_quantity: Annotated[int, Field(ge=1, le=MAX_BULK_QUANTITY)]
    bulk_coupon_code_length: Annotated[int, Field(ge=MIN_CODE_LENGTH, le=MAX_CODE_LENGTH)]
    bulk_quantity_per_coupon: Quantity | None = None
