"""External Orders: https://developers.thinkific.com/api/api-documentation/#/External%20Orders

Purchases made outside Thinkific, reported by apps: stored with their transactions, never
enrolling anyone and never listed among orders.
"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.external_orders.schemas import (
    ExternalOrderCreate,
    ExternalOrderCreated,
    TransactionInput,
    TransactionRead,
)
from syllabus.external_orders.service import ExternalOrderService
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId

router = ResourceRouter(prefix="/external_orders", tags=["External Orders"])


@router.post(
    "",
    operation_id="createExternalOrder",
    status_code=201,
    response_model=ExternalOrderCreated,
)
async def create_external_order(api: ApiDep, body: ExternalOrderCreate) -> Response:
    """Record an order paid elsewhere; a `transaction` is its first purchase. It enrolls no
    one: enroll the user separately. Answers `{"id": N}`."""
    return await api.write(lambda scope: ExternalOrderService(scope).create(body))


@router.post(
    "/{id}/transactions/purchase",
    operation_id="createExternalOrderPurchase",
    response_model=TransactionRead,
)
async def purchase_external_order(api: ApiDep, id: PathId, body: TransactionInput) -> Response:
    """Record a payment of an external order (a subscription's renewal, say). Thinkific
    documents no body; Syllabus answers the transaction recorded."""
    return await api.write(lambda scope: ExternalOrderService(scope).transact(id, "purchase", body))


@router.post(
    "/{id}/transactions/refund",
    operation_id="createExternalOrderRefund",
    response_model=TransactionRead,
)
async def refund_external_order(api: ApiDep, id: PathId, body: TransactionInput) -> Response:
    """Record a refund of an external order: no more than it was paid in that currency
    (purchases less refunds), or 422."""
    return await api.write(lambda scope: ExternalOrderService(scope).transact(id, "refund", body))
