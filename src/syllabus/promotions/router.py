"""Promotions: https://developers.thinkific.com/api/api-documentation/#/Promotions"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.errors import ParameterRequired
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep
from syllabus.promotions.schemas import PromotionCreate, PromotionRead, PromotionUpdate
from syllabus.promotions.service import PromotionService

router = ResourceRouter(prefix="/promotions", tags=["Promotions"])


@router.get("", operation_id="getPromotions", response_model=Page[PromotionRead])
async def get_promotions(api: ApiDep, page: PageParamsDep) -> Response:
    """List promotions, in ascending id order."""
    return await api.read(lambda scope: PromotionService(scope).list(page))


@router.post("", operation_id="createPromotion", status_code=201, response_model=PromotionRead)
async def create_promotion(api: ApiDep, body: PromotionCreate) -> Response:
    """Create a promotion: a percentage in (0, 100] or a fixed amount above 0, for the given
    products (none: every product)."""
    return await api.write(lambda scope: PromotionService(scope).create(body))


# Before `/{id}`, which would otherwise take `by_coupon` for an id.
@router.get("/by_coupon", operation_id="getPromotionByCoupon", response_model=PromotionRead)
async def get_promotion_by_coupon(
    api: ApiDep,
    product_id: Annotated[int, Query(description="The product the coupon is for.")],
    coupon_code: Annotated[str, Query(description="The coupon's code.")],
) -> Response:
    """The promotion a coupon code gives on a product now: 404 unless the coupon exists, is not
    used up, and its promotion runs now (the site's clock) and applies to the product."""
    if not coupon_code.strip():
        raise ParameterRequired("coupon_code")  # Rails' params.require: blank is missing
    return await api.read(lambda scope: PromotionService(scope).by_coupon(product_id, coupon_code))


@router.get("/{id}", operation_id="getPromotionByID", response_model=PromotionRead)
async def get_promotion_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a promotion by id."""
    return await api.read(lambda scope: PromotionService(scope).read(id))


@router.put("/{id}", operation_id="updatePromotionByID", status_code=204)
async def update_promotion_by_id(api: ApiDep, id: PathId, body: PromotionUpdate) -> Response:
    """Update a promotion: only the keys given change. Thinkific answers 204 with no body."""
    return await api.write(lambda scope: PromotionService(scope).update(id, body))


@router.delete("/{id}", operation_id="deletePromotionByID", status_code=204)
async def delete_promotion_by_id(api: ApiDep, id: PathId) -> Response:
    """Delete a promotion with its coupons."""
    return await api.write(lambda scope: PromotionService(scope).delete(id))
