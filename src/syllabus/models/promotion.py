from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, DecimalText, Id, SiteRecord, table_args

DISCOUNT_TYPES = ("fixed", "percentage")

# The products a promotion applies to; none at all means every product.
promotion_products = Table(
    "promotion_products",
    Base.metadata,
    Column("promotion_id", Id, ForeignKey("promotions.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", Id, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_promotion_products_product_id", "product_id"),
)


def in_window(starts_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    """Whether a promotion runs at ``now``: started (or no start), not yet expired (or none)."""
    return (starts_at is None or starts_at <= now) and (expires_at is None or now < expires_at)


def discounted_cents(price_cents: int, discount_type: str, amount: Decimal) -> int:
    """The price after a promotion: ``amount`` percent off, or ``amount`` dollars off; never
    below zero, rounded to the cent."""
    off = Decimal(price_cents) * amount / 100 if discount_type == "percentage" else amount * 100
    cents = (Decimal(price_cents) - off).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(0, int(cents))


def cents(dollars: Decimal) -> int:
    """A price in dollars as whole cents."""
    return int((dollars * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def available(quantity: int | None, quantity_used: int) -> bool:
    """Whether a coupon can still be used: no quantity means no limit."""
    return quantity is None or quantity_used < quantity


class Promotion(SiteRecord):
    __tablename__ = "promotions"
    __table_args__ = table_args(Index("ix_promotions_site_id_id", "site_id", "id"))

    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    discount_type: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    # How many billing periods a subscription's discount lasts; stored and returned.
    duration: Mapped[int | None]


class Coupon(SiteRecord):
    """A code that applies its promotion; ``quantity`` null means unlimited uses."""

    __tablename__ = "coupons"
    __table_args__ = table_args(
        UniqueConstraint("promotion_id", "code"),
        Index("ix_coupons_site_id_id", "site_id", "id"),
        Index("ix_coupons_site_id_code", "site_id", "code"),
    )

    promotion_id: Mapped[int] = mapped_column(Id, ForeignKey("promotions.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int | None]
    quantity_used: Mapped[int] = mapped_column(default=0)
