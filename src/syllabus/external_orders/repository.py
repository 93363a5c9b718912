from __future__ import annotations

from sqlalchemy import bindparam, select

from syllabus.external_orders.schemas import ExternalOrderRef, TransactionPayload, TransactionRead
from syllabus.kit.repository import Repository, fits
from syllabus.kit.wire import Wire
from syllabus.models import ExternalOrder, ExternalOrderTransaction

TRANSACTION = Wire(TransactionRead, ExternalOrderTransaction)
# The internal external_order.created: the order, alphabetical like every payload.
EXTERNAL_ORDER_PAYLOAD = Wire(ExternalOrderRef, ExternalOrder)
# order_transaction.succeeded and order_transaction.refunded.
TRANSACTION_PAYLOAD = Wire(
    TransactionPayload,
    ExternalOrderTransaction,
    joins=((ExternalOrder, ExternalOrderTransaction.external_order_id == ExternalOrder.id),),
    sort_keys=True,
)

# The order, locked until the unit of work ends (PostgreSQL; SQLite's writers are serialized),
# so that concurrent refunds see each other's.
_LOCKED = (
    select(ExternalOrder)
    .where(ExternalOrder.site_id == bindparam("site_id"), ExternalOrder.id == bindparam("id"))
    .with_for_update()
)
_AMOUNTS = select(ExternalOrderTransaction.action, ExternalOrderTransaction.amount).where(
    ExternalOrderTransaction.site_id == bindparam("site_id"),
    ExternalOrderTransaction.external_order_id == bindparam("order_id"),
    ExternalOrderTransaction.currency == bindparam("currency"),
)


class ExternalOrderRepository(Repository[ExternalOrder]):
    model = ExternalOrder

    def locked(self, id: int) -> ExternalOrder | None:
        """The site's external order ``id``, locked for this unit of work."""
        if not fits(id):
            return None
        found: ExternalOrder | None = self.session.scalars(
            _LOCKED, {"site_id": self.site_id, "id": id}
        ).first()
        return found


class TransactionRepository(Repository[ExternalOrderTransaction]):
    """No list reads transactions: bodies are read by naming their wire."""

    model = ExternalOrderTransaction

    def paid(self, order: ExternalOrder, currency: str) -> int:
        """What ``order`` has been paid in ``currency`` so far: purchases less refunds."""
        params = {"site_id": self.site_id, "order_id": order.id, "currency": currency}
        rows = self.scope.connection.execute(_AMOUNTS, params)
        return sum(amount if action == "purchase" else -amount for action, amount in rows)
