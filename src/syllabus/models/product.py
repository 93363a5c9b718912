from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, DecimalText, Id, SiteRecord, table_args

PRODUCTABLE_TYPES = ("Course", "Bundle")
PAYMENT_TYPES = ("free", "one-time", "subscription", "payment-plan")


def payment_type(price: Decimal | int) -> str:
    """A one-time price's payment type: free at zero."""
    return "free" if price == 0 else "one-time"


# A product's related products (`related_product_ids`), in the order they were related.
related_products = Table(
    "related_products",
    Base.metadata,
    Column("product_id", Id, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "related_product_id", Id, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    ),
    Index("ix_related_products_related_product_id", "related_product_id"),
)


class Product(SiteRecord):
    """What a site sells. A course or a bundle is its productable, one to one."""

    __tablename__ = "products"
    __table_args__ = table_args(
        Index("ix_products_site_id_id", "site_id", "id"),
        Index("ix_products_productable", "productable_type", "productable_id"),
    )

    productable_type: Mapped[str] = mapped_column(String(32))  # "Course" | "Bundle"
    productable_id: Mapped[int | None] = mapped_column(Id)
    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255))
    price: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal("0"))
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(32), default="published")
    private: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    subscription: Mapped[bool] = mapped_column(default=False)
    days_until_expiry: Mapped[int | None]
    has_certificate: Mapped[bool] = mapped_column(default=False)
    keywords: Mapped[str | None] = mapped_column(String(1024))
    seo_title: Mapped[str | None] = mapped_column(String(255))
    seo_description: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    card_image_url: Mapped[str | None] = mapped_column(String(2048))


class ProductPrice(SiteRecord):
    """One way to pay for a product; the primary one is the product's ``price``."""

    __tablename__ = "product_prices"
    __table_args__ = table_args(Index("ix_product_prices_product_id", "product_id"))

    product_id: Mapped[int] = mapped_column(Id, ForeignKey("products.id", ondelete="CASCADE"))
    is_primary: Mapped[bool] = mapped_column(default=False)
    payment_type: Mapped[str] = mapped_column(String(16), default="one-time")
    label: Mapped[str | None] = mapped_column(String(255))
    price: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal("0"))
    days_until_expiry: Mapped[int | None]
    pay_button_text: Mapped[str | None] = mapped_column(String(255))
    number_of_payments: Mapped[int | None]
    interval: Mapped[str | None] = mapped_column(String(8))
    interval_count: Mapped[int | None]
    trial_interval: Mapped[str | None] = mapped_column(String(8))
    trial_interval_count: Mapped[int | None]
    custom_first_price: Mapped[Decimal | None] = mapped_column(DecimalText)
    price_name: Mapped[str | None] = mapped_column(String(255))
    currency: Mapped[str] = mapped_column(String(3), default="usd")
