"""``external_orders``: purchases made elsewhere, by (user, product, payment provider).

As through the API, an external order is stored with its transactions and does nothing else: no
order, no enrollment. Its transactions are written only when the order is new: a transaction
has no key to match a stored one by, so those of a stored order are left as they are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.external_orders.schemas import Action, Amount, Currency, OrderType
from syllabus.kit.schemas import Text
from syllabus.kit.validation import Email, Required
from syllabus.models import ExternalOrder, ExternalOrderTransaction, User
from syllabus.models.user import email_key
from syllabus.seed.loader import Load, Problem, Reference, Section, Slug, Stamped, times_of
from syllabus.seed.sections.courses import (
    PRODUCTS,
    product_id,
    product_reference,
    product_slugs,
    productless,
)

PRODUCT = product_reference("product")
TRANSACTIONS = "transactions"


class TransactionSpec(Stamped):
    action: Action
    amount: Amount
    currency: Currency
    reference: Text | None = None


class ExternalOrderSpec(Stamped):
    user: Email
    product: Slug
    payment_provider: Required
    order_type: OrderType
    transactions: list[TransactionSpec] = []


class ExternalOrders(Section[ExternalOrderSpec]):
    key = "external_orders"
    spec = ExternalOrderSpec
    references = (Reference("user", "users"), PRODUCT)
    after = ("users", *PRODUCTS)
    fields = ("order_type",)
    tallies = ("external orders", TRANSACTIONS)

    def key_of(self, spec: ExternalOrderSpec) -> tuple[Any, ...]:
        key = (email_key(spec.user), spec.product, spec.payment_provider)
        # An export's entries say when each was made: the same purchase may be reported twice.
        return key if spec.created_at is None else (*key, spec.created_at)

    def check(self, entries: Sequence[ExternalOrderSpec]) -> Iterator[Problem]:
        yield from self.repeated_keys(
            entries,
            lambda order: (
                f"{order.user} buying {order.product!r} through {order.payment_provider!r}"
            ),
        )
        for index, order in enumerate(entries):
            # As the API's refunds: never more than was paid so far, in that currency.
            paid: Counter[str] = Counter()
            for position, transaction in enumerate(order.transactions):
                if transaction.action == "purchase":
                    paid[transaction.currency] += transaction.amount
                elif transaction.amount > paid[transaction.currency]:
                    message = (
                        f"is greater than the amount paid "
                        f"({paid[transaction.currency]} {transaction.currency})"
                    )
                    yield Problem(index, message, (TRANSACTIONS, position, "amount"))
                else:
                    paid[transaction.currency] -= transaction.amount

    def check_site(self, entries: Sequence[ExternalOrderSpec], load: Load) -> Iterator[Problem]:
        return productless(load, entries, PRODUCT)

    def find(self, load: Load, spec: ExternalOrderSpec) -> ExternalOrder | None:
        return load.session.scalars(
            select(ExternalOrder)
            .where(
                ExternalOrder.site_id == load.site.id,
                ExternalOrder.user_id == load.referenced("users", spec.user).id,
                ExternalOrder.product_id == product_id(load, spec.product),
                ExternalOrder.payment_provider == spec.payment_provider,
                *(
                    ()
                    if spec.created_at is None
                    else (ExternalOrder.created_at == spec.created_at,)
                ),
            )
            .order_by(ExternalOrder.id)
        ).first()

    def new(self, load: Load, spec: ExternalOrderSpec) -> ExternalOrder:
        return ExternalOrder(
            user_id=load.referenced("users", spec.user).id,
            product_id=product_id(load, spec.product),
            payment_provider=spec.payment_provider,
        )

    def upsert(
        self, load: Load, spec: ExternalOrderSpec, row: ExternalOrder, creating: bool
    ) -> bool:
        changed = super().upsert(load, spec, row, creating)
        if creating:
            load.session.flush()
            tally = load.tallies[TRANSACTIONS]
            for position, transaction in enumerate(spec.transactions):
                values = transaction.model_dump()
                load.add(ExternalOrderTransaction(external_order_id=row.id, **values))
                tally.mark((self.key_of(spec), position), created=True)
        return changed

    def stamp(self, load: Load, spec: ExternalOrderSpec) -> bool:
        changed = super().stamp(load, spec)
        rows = self.stamped(load, spec)
        if not rows:
            return changed
        order = rows[0]
        stored = load.session.scalars(
            select(ExternalOrderTransaction)
            .where(ExternalOrderTransaction.external_order_id == order.id)
            .order_by(ExternalOrderTransaction.id)
        )
        for row, transaction in zip(stored, spec.transactions, strict=False):
            times = transaction.times()
            changed = (bool(times) and load.restamp(row, times)) or changed
        return changed

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        slugs = product_slugs(session, site_id)
        emails = dict(
            session.execute(select(User.id, User.email).where(User.site_id == site_id)).all()
        )
        transactions: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in session.scalars(
            select(ExternalOrderTransaction)
            .where(ExternalOrderTransaction.site_id == site_id)
            .order_by(ExternalOrderTransaction.id)
        ):
            transactions[row.external_order_id].append(
                {
                    "action": row.action,
                    "amount": row.amount,
                    "currency": row.currency,
                    "reference": row.reference,
                    **times_of(row),
                }
            )
        return [
            {
                "user": emails[order.user_id],
                "product": slugs[order.product_id],
                "payment_provider": order.payment_provider,
                "order_type": order.order_type,
                "transactions": transactions.get(order.id, []),
                **times_of(order),
            }
            for order in session.scalars(
                select(ExternalOrder)
                .where(ExternalOrder.site_id == site_id)
                .order_by(ExternalOrder.id)
            )
        ]


SECTION = ExternalOrders()
