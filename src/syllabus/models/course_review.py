from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, SiteRecord, table_args


class CourseReview(SiteRecord):
    """A student's review of a course: a rating of 1 to 5, shown once approved."""

    __tablename__ = "course_reviews"
    __table_args__ = table_args(
        Index("ix_course_reviews_site_id_id", "site_id", "id"),
        Index("ix_course_reviews_course_id_id", "course_id", "id"),
    )

    course_id: Mapped[int] = mapped_column(Id, ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"))
    rating: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    review_text: Mapped[str] = mapped_column(Text)
    approved: Mapped[bool] = mapped_column(default=False)
