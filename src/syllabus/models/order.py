from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, SiteRecord, table_args

ORDER_TYPES = ("one-time", "subscription", "payment-plan")
TRANSACTION_ACTIONS = ("purchase", "refund")


def dollars(cents: int) -> float:
    """Cents as dollars (``2000`` is ``20.0``), the number orders carry beside their cents."""
    return cents / 100


class Order(SiteRecord):
    """A student's purchase, made by checkout. It keeps what it was: the buyer's and the
    product's names stay as they were when it was placed (FIDELITY §8: a deleted product leaves
    its orders, with a null ``product_id``)."""

    __tablename__ = "orders"
    __table_args__ = table_args(
        Index("ix_orders_site_id_id", "site_id", "id"),
        Index("ix_orders_user_id", "user_id"),
        Index("ix_orders_product_id", "product_id"),
    )

    user_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    user_email: Mapped[str] = mapped_column(String(255))
    user_name: Mapped[str] = mapped_column(String(511))
    product_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("products.id", ondelete="SET NULL")
    )
    product_name: Mapped[str | None] = mapped_column(String(255))
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(32), default="complete")
    payment_type: Mapped[str] = mapped_column(String(16), default="one-time")
    subscription: Mapped[bool] = mapped_column(default=False)
    coupon_id: Mapped[int | None] = mapped_column(Id, ForeignKey("coupons.id", ondelete="SET NULL"))
    coupon_code: Mapped[str | None] = mapped_column(String(255))
    affiliate_referral_code: Mapped[str | None] = mapped_column(String(255))


class OrderItem(SiteRecord):
    """What an order bought, at what price."""

    __tablename__ = "order_items"
    __table_args__ = table_args(Index("ix_order_items_order_id", "order_id"))

    order_id: Mapped[int] = mapped_column(Id, ForeignKey("orders.id", ondelete="CASCADE"))
    product_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("products.id", ondelete="SET NULL")
    )
    product_name: Mapped[str | None] = mapped_column(String(255))
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)


class ExternalOrder(SiteRecord):
    """A purchase made elsewhere, reported by an app: stored, never enrolling (FIDELITY §10 #18)."""

    __tablename__ = "external_orders"
    __table_args__ = table_args(Index("ix_external_orders_site_id_id", "site_id", "id"))

    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(Id, ForeignKey("products.id", ondelete="CASCADE"))
    payment_provider: Mapped[str] = mapped_column(String(255))
    order_type: Mapped[str] = mapped_column(String(16))


class ExternalOrderTransaction(SiteRecord):
    """A payment or a refund of an external order; ``amount`` in the currency's smallest unit."""

    __tablename__ = "external_order_transactions"
    __table_args__ = table_args(
        Index("ix_external_order_transactions_external_order_id", "external_order_id")
    )

    external_order_id: Mapped[int] = mapped_column(
        Id, ForeignKey("external_orders.id", ondelete="CASCADE")
    )
    action: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str | None] = mapped_column(String(255))
