from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, SiteRecord, table_args

CONTENTABLE_TYPES = (
    "Assignment",
    "Audio",
    "Download",
    "BrilliumExam",
    "Disqus",
    "HtmlItem",
    "Iframe",
    "LiveLesson",
    "Lesson",
    "Pdf",
    "Presentation",
    "Quiz",
    "Survey",
)


class Content(SiteRecord):
    """A lesson, quiz, download... inside a chapter."""

    __tablename__ = "contents"
    __table_args__ = table_args(
        Index("ix_contents_chapter_id_position", "chapter_id", "position"),
        Index("ix_contents_course_id", "course_id"),
        Index("ix_contents_site_id_id", "site_id", "id"),
    )

    chapter_id: Mapped[int] = mapped_column(Id, ForeignKey("chapters.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(Id, ForeignKey("courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(default=0)
    contentable_type: Mapped[str] = mapped_column(String(32), default="Lesson")
    free: Mapped[bool] = mapped_column(default=False)
