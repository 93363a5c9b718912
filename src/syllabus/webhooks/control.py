"""The delivery log on the control plane: ``GET /_syllabus/sites/{sub}/deliveries`` (each
delivery with every attempt) and ``POST .../deliveries/{id}/redeliver``. Guarded by the admin
token like the rest of ``/_syllabus``; the work is ``deliveries.py``'s."""

from __future__ import annotations

from starlette.responses import Response

from syllabus.control.context import AdminDep, control_router
from syllabus.kit.filters import Filters
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep
from syllabus.webhooks.deliveries import (
    DELIVERY_FILTERS,
    DeliveryRead,
    list_deliveries,
    redeliver,
)

router = control_router()


@router.get(
    "/sites/{subdomain}/deliveries",
    response_model=Page[DeliveryRead],
    openapi_extra=DELIVERY_FILTERS.openapi,
)
async def get_deliveries(
    admin: AdminDep,
    subdomain: str,
    page: PageParamsDep,
    filters: Filters = DELIVERY_FILTERS.dependency,
) -> Response:
    """The site's webhook deliveries, oldest first, each with its attempts: what was sent where,
    what the receiver answered, and what comes next."""
    return await admin.read(lambda s: list_deliveries(s, subdomain, filters, page))


@router.post(
    "/sites/{subdomain}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=DeliveryRead,
)
async def post_redeliver(admin: AdminDep, subdomain: str, delivery_id: PathId) -> Response:
    """Send the delivery again now (one attempt, never retried), delivered or not: 202 with
    the delivery, pending until the attempt is made."""
    return await admin.write(lambda s: redeliver(s, subdomain, delivery_id))
