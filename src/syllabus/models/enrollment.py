from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from syllabus.models.base import Id, SiteRecord, table_args
from syllabus.models.course import Course
from syllabus.models.user import User


def is_expired(expiry_date: datetime | None, now: datetime) -> bool:
    """Expiry is computed when read, from the site's clock: an expiry at or before now."""
    return expiry_date is not None and expiry_date <= now


class Enrollment(SiteRecord):
    """A user's enrollment in a course. ``expired`` is computed when read, from the clock."""

    __tablename__ = "enrollments"
    __table_args__ = table_args(
        UniqueConstraint("user_id", "course_id"),
        Index("ix_enrollments_site_id_id", "site_id", "id"),
        Index("ix_enrollments_site_id_course_id_id", "site_id", "course_id", "id"),
        Index("ix_enrollments_site_id_user_id_id", "site_id", "user_id", "id"),
        Index("ix_enrollments_site_id_created_at", "site_id", "created_at"),
        Index("ix_enrollments_site_id_updated_at", "site_id", "updated_at"),
        Index("ix_enrollments_course_id", "course_id"),
    )

    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(Id, ForeignKey("courses.id", ondelete="CASCADE"))
    activated_at: Mapped[datetime | None]
    expiry_date: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    percentage_completed: Mapped[float] = mapped_column(default=0.0)
    is_free_trial: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="raise")
    course: Mapped[Course] = relationship(lazy="raise")
