from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, SiteRecord, table_args

PUBLISH_STATUSES = ("pending", "approved", "denied")


class ProductPublishRequest(SiteRecord):
    """A course admin's request to publish a product, which a site admin approves or denies."""

    __tablename__ = "product_publish_requests"
    __table_args__ = table_args(
        Index("ix_product_publish_requests_site_id_id", "site_id", "id"),
        Index("ix_product_publish_requests_site_id_status_id", "site_id", "status", "id"),
    )

    product_id: Mapped[int] = mapped_column(Id, ForeignKey("products.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    response_text: Mapped[str | None] = mapped_column(Text)
    requesting_user_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    responding_user_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    notify_requester: Mapped[bool] = mapped_column(default=False)
    completed_at: Mapped[datetime | None]
