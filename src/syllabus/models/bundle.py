from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, Id, SiteRecord, table_args

# A bundle's courses, in the bundle's order: its `course_ids`.
bundle_courses = Table(
    "bundle_courses",
    Base.metadata,
    Column("bundle_id", Id, ForeignKey("bundles.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", Id, ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_bundle_courses_course_id", "course_id"),
)


class Bundle(SiteRecord):
    """Several courses sold as one product (its productable)."""

    __tablename__ = "bundles"
    __table_args__ = table_args(
        Index("ix_bundles_site_id_id", "site_id", "id"),
        Index("ix_bundles_site_id_slug", "site_id", "slug"),
    )

    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    tagline: Mapped[str | None] = mapped_column(String(255))
    banner_image_url: Mapped[str | None] = mapped_column(String(2048))
    bundle_card_image_url: Mapped[str | None] = mapped_column(String(2048))
    product_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("products.id", ondelete="SET NULL"), unique=True
    )
