from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from syllabus.models.base import Base, Id, SiteRecord, table_args
from syllabus.models.product import Product

# Which users administer which courses: the course's `administrator_user_ids` and the user's
# `administered_course_ids`.
course_admins = Table(
    "course_admins",
    Base.metadata,
    Column("course_id", Id, ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_course_admins_user_id", "user_id"),
)


class Course(SiteRecord):
    __tablename__ = "courses"
    __table_args__ = table_args(
        Index("ix_courses_site_id_id", "site_id", "id"),
        Index("ix_courses_site_id_slug", "site_id", "slug"),
    )

    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255))
    subtitle: Mapped[str | None] = mapped_column(String(255))
    product_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("products.id", ondelete="SET NULL"), unique=True
    )
    description: Mapped[str | None] = mapped_column(Text)
    course_card_text: Mapped[str | None] = mapped_column(Text)
    intro_video_youtube: Mapped[str | None] = mapped_column(String(255))
    contact_information: Mapped[str | None] = mapped_column(String(1024))
    keywords: Mapped[str | None] = mapped_column(String(1024))
    duration: Mapped[str | None] = mapped_column(String(64))
    banner_image_url: Mapped[str | None] = mapped_column(String(2048))
    course_card_image_url: Mapped[str | None] = mapped_column(String(2048))
    intro_video_wistia_identifier: Mapped[str | None] = mapped_column(String(255))
    reviews_enabled: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    instructor_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("instructors.id", ondelete="SET NULL"), index=True
    )

    product: Mapped[Product | None] = relationship(lazy="raise")
