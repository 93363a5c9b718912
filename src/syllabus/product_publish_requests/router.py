"""Product Publish Requests:
https://developers.thinkific.com/api/api-documentation/#/Product%20Publish%20Request

Requests are made in Thinkific's admin, by course admins; here through the control plane
(``POST /_syllabus/sites/{subdomain}/publish_requests``).
"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep
from syllabus.product_publish_requests.schemas import (
    ProductPublishRequestRead,
    PublishRequestAnswer,
)
from syllabus.product_publish_requests.service import ProductPublishRequestService

router = ResourceRouter(prefix="/product_publish_requests", tags=["Product Publish Request"])


@router.get(
    "",
    operation_id="getProductPublishRequests",
    response_model=Page[ProductPublishRequestRead],
)
async def get_product_publish_requests(api: ApiDep, page: PageParamsDep) -> Response:
    """List the requests nobody has answered yet, in ascending id order."""
    return await api.read(lambda scope: ProductPublishRequestService(scope).list(page))


@router.get(
    "/{id}",
    operation_id="getProductPublishRequestByID",
    response_model=ProductPublishRequestRead,
)
async def get_product_publish_request_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a request by id, answered or not."""
    return await api.read(lambda scope: ProductPublishRequestService(scope).read(id))


@router.post(
    "/{id}/approve",
    operation_id="approvePublishRequest",
    status_code=200,
    response_model=ProductPublishRequestRead,
)
async def approve_publish_request(api: ApiDep, id: PathId, body: PublishRequestAnswer) -> Response:
    """Approve a pending request and publish its product. `user_id` must be a site admin's."""
    return await api.write(lambda scope: ProductPublishRequestService(scope).approve(id, body))


@router.post(
    "/{id}/deny",
    operation_id="denyPublicationRequest",
    status_code=200,
    response_model=ProductPublishRequestRead,
)
async def deny_publication_request(api: ApiDep, id: PathId, body: PublishRequestAnswer) -> Response:
    """Deny a pending request; the product stays as it is. `user_id` must be a site admin's."""
    return await api.write(lambda scope: ProductPublishRequestService(scope).deny(id, body))
