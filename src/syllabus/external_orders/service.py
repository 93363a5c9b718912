"""External orders: purchases made elsewhere that apps report (FIDELITY §8). They are stored,
with their transactions, and do nothing else: no enrollment (FIDELITY §10 #18), no order."""

from __future__ import annotations

from syllabus.context import Scope
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import record
from syllabus.events.topics import Topic
from syllabus.external_orders.repository import (
    EXTERNAL_ORDER_PAYLOAD,
    TRANSACTION,
    TRANSACTION_PAYLOAD,
    ExternalOrderRepository,
    TransactionRepository,
)
from syllabus.external_orders.schemas import Action, ExternalOrderCreate, TransactionInput
from syllabus.kit.wire import JSONObject
from syllabus.models import ExternalOrder, ExternalOrderTransaction
from syllabus.orders.repository import OrderRepository
from syllabus.orders.service import buyer_and_product
from syllabus.users.repository import UserRepository

TOPICS: dict[Action, Topic] = {
    "purchase": "order_transaction.succeeded",
    "refund": "order_transaction.refunded",
}


class ExternalOrderService:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.external_orders = ExternalOrderRepository(scope)
        self.transactions = TransactionRepository(scope)
        self.users = UserRepository(scope)
        self.orders = OrderRepository(scope)

    def create(self, data: ExternalOrderCreate) -> JSONObject:
        """Store the order (its user and product must be the site's), and its ``transaction``,
        if given, as its first purchase."""
        user, product = buyer_and_product(self.users, self.orders, data.user_id, data.product_id)
        order = self.external_orders.add(
            ExternalOrder(
                user_id=user.id,
                product_id=product.id,
                payment_provider=data.payment_provider,
                order_type=data.order_type,
            )
        )
        self.external_orders.flush()
        payload = found(self.external_orders.read(order.id, EXTERNAL_ORDER_PAYLOAD))
        record(self.scope, "external_order.created", payload)
        if data.transaction is not None:
            self._record(order, "purchase", data.transaction)
        return {"id": order.id}

    def transact(self, id: int, action: Action, data: TransactionInput) -> JSONObject:
        """Record a purchase or a refund of order ``id``; a refund may not exceed what was paid
        in its currency so far (purchases less refunds)."""
        order = found(self.external_orders.locked(id))
        if action == "refund":
            paid = self.transactions.paid(order, data.currency)
            if data.amount > paid:
                raise Unprocessable.field(
                    "amount", f"is greater than the amount paid ({paid} {data.currency})"
                )
        return self._record(order, action, data)

    def _record(self, order: ExternalOrder, action: Action, data: TransactionInput) -> JSONObject:
        transaction = self.transactions.add(
            ExternalOrderTransaction(
                external_order_id=order.id,
                action=action,
                amount=data.amount,
                currency=data.currency,
                reference=data.reference,
            )
        )
        self.transactions.flush()
        payload = found(self.transactions.read(transaction.id, TRANSACTION_PAYLOAD))
        record(self.scope, TOPICS[action], payload)
        return found(self.transactions.read(transaction.id, TRANSACTION))
