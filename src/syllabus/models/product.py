from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import DecimalText, Id, SiteRecord, table_args


class Product(SiteRecord):
    """What a site sells. A course (or, later, a bundle) is its productable, one to one."""

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
