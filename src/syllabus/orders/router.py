"""Orders: https://developers.thinkific.com/api/api-documentation/#/Orders

Orders are placed by checkout (``POST /_syllabus/sites/{subdomain}/checkout`` or
``syllabus checkout``): Thinkific's Admin API only reads them.
"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.orders.schemas import OrderRead
from syllabus.orders.service import OrderService
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/orders", tags=["Orders"])


@router.get("", operation_id="getOrders", response_model=Page[OrderRead])
async def get_orders(api: ApiDep, page: PageParamsDep) -> Response:
    """List orders, in ascending id order. Thinkific offers no filters here."""
    return await api.read(lambda scope: OrderService(scope).list(page))


@router.get("/{id}", operation_id="getOrderByID", response_model=OrderRead)
async def get_order_by_id(api: ApiDep, id: PathId) -> Response:
    """Get an order by id."""
    return await api.read(lambda scope: OrderService(scope).read(id))
