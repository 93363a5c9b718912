from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, SiteRecord, table_args


class Chapter(SiteRecord):
    __tablename__ = "chapters"
    __table_args__ = table_args(
        Index("ix_chapters_course_id_position", "course_id", "position"),
        Index("ix_chapters_site_id_id", "site_id", "id"),
    )

    course_id: Mapped[int] = mapped_column(Id, ForeignKey("courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(Text)
    duration_in_seconds: Mapped[int | None]
