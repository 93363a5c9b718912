"""Category memberships: https://developers.thinkific.com/api/api-documentation/#/Category%20Memberships

The path id is the category's; the body names the products.
"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.collection_memberships.schemas import MembershipsRequest
from syllabus.collection_memberships.service import MembershipService
from syllabus.context import ApiDep
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId

router = ResourceRouter(prefix="/collection_memberships", tags=["Category Memberships"])


@router.post(
    "/{id}", operation_id="addProductsToCategory", status_code=201, response_class=Response
)
async def add_products_to_category(api: ApiDep, id: PathId, body: MembershipsRequest) -> Response:
    """Add products to a category; those already in it stay. Thinkific answers 201 with no
    body."""
    return await api.write(lambda scope: MembershipService(scope).add(id, body.product_ids))


@router.delete("/{id}", operation_id="deleteProductsByID", status_code=204)
async def delete_products_by_id(api: ApiDep, id: PathId, body: MembershipsRequest) -> Response:
    """Remove products from a category (the products stay); one not in it is no error."""
    return await api.write(lambda scope: MembershipService(scope).remove(id, body.product_ids))
