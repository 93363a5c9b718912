"""Coupons: https://developers.thinkific.com/api/api-documentation/#/Coupons"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.coupons.schemas import (
    CouponBatch,
    CouponBulkCreate,
    CouponCreate,
    CouponRead,
    CouponUpdate,
)
from syllabus.coupons.service import CouponService
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/coupons", tags=["Coupons"])

# Required; it may come in the query string or in the body (both are merged, FIDELITY §4).
PromotionId = Annotated[
    int, Query(description="The promotion's id, in the query string or in the body.")
]


@router.get("", operation_id="getCoupons", response_model=Page[CouponRead])
async def get_coupons(api: ApiDep, promotion_id: PromotionId, page: PageParamsDep) -> Response:
    """List a promotion's coupons, in ascending id order."""
    return await api.read(lambda scope: CouponService(scope).list(promotion_id, page))


@router.post("", operation_id="createCoupon", status_code=201, response_model=CouponRead)
async def create_coupon(api: ApiDep, promotion_id: PromotionId, body: CouponCreate) -> Response:
    """Create a coupon of a promotion; its code must be unique within the promotion."""
    return await api.write(lambda scope: CouponService(scope).create(promotion_id, body))


@router.post(
    "/bulk_create", operation_id="bulkCreateCoupons", status_code=201, response_model=CouponBatch
)
async def bulk_create_coupons(
    api: ApiDep, promotion_id: PromotionId, body: CouponBulkCreate
) -> Response:
    """Create up to 1000 coupons with random codes at once, answered as `{"items": [...]}`."""
    return await api.write(lambda scope: CouponService(scope).bulk_create(promotion_id, body))


@router.get("/{id}", operation_id="getCouponByID", response_model=CouponRead)
async def get_coupon_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a coupon by id."""
    return await api.read(lambda scope: CouponService(scope).read(id))


@router.put("/{id}", operation_id="updateCoupon", status_code=204)
async def update_coupon(api: ApiDep, id: PathId, body: CouponUpdate) -> Response:
    """Update a coupon: `code` is required, as in the spec. Thinkific answers 204 with no body."""
    return await api.write(lambda scope: CouponService(scope).update(id, body))


@router.delete("/{id}", operation_id="deleteCouponByID", status_code=204)
async def delete_coupon_by_id(api: ApiDep, id: PathId) -> Response:
    """Delete a coupon."""
    return await api.write(lambda scope: CouponService(scope).delete(id))
