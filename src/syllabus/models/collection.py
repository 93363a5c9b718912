from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, Id, SiteRecord, table_args

# Which products are in which categories: a category's `product_ids`, a product's
# `collection_ids`.
collection_memberships = Table(
    "collection_memberships",
    Base.metadata,
    Column("collection_id", Id, ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", Id, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_collection_memberships_product_id", "product_id"),
)


class Collection(SiteRecord):
    """A category of products (Thinkific's API calls them collections). One per site is the
    default one."""

    __tablename__ = "collections"
    __table_args__ = table_args(
        UniqueConstraint("site_id", "slug"),
        Index("ix_collections_site_id_id", "site_id", "id"),
    )

    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    slug: Mapped[str] = mapped_column(String(255))
    # `default` on the wire; a reserved word in SQL.
    is_default: Mapped[bool] = mapped_column(default=False)
