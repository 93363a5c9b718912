"""A student's progress through a course: the lessons an enrollment completed and the quizzes it
attempted. Thinkific's Admin API cannot write either; the control plane's simulation does
(``simulate/``), and ``enrollments.percentage_completed`` follows the completions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, SiteRecord, table_args


class LessonCompletion(SiteRecord):
    """One content (a lesson, a quiz...) an enrollment completed, once: completing it again
    changes nothing. Deleting the enrollment or the content deletes it."""

    __tablename__ = "lesson_completions"
    __table_args__ = table_args(
        UniqueConstraint("enrollment_id", "content_id"),
        Index("ix_lesson_completions_site_id_id", "site_id", "id"),
        Index("ix_lesson_completions_content_id", "content_id"),
    )

    enrollment_id: Mapped[int] = mapped_column(Id, ForeignKey("enrollments.id", ondelete="CASCADE"))
    content_id: Mapped[int] = mapped_column(Id, ForeignKey("contents.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime]


class QuizAttempt(SiteRecord):
    """One attempt at a quiz (a content of type ``Quiz``) by an enrollment, as many as it takes:
    its answers right and wrong. Deleting the enrollment or the quiz deletes it."""

    __tablename__ = "quiz_attempts"
    __table_args__ = table_args(
        Index("ix_quiz_attempts_site_id_id", "site_id", "id"),
        Index("ix_quiz_attempts_enrollment_id_content_id", "enrollment_id", "content_id"),
        Index("ix_quiz_attempts_content_id", "content_id"),
    )

    enrollment_id: Mapped[int] = mapped_column(Id, ForeignKey("enrollments.id", ondelete="CASCADE"))
    content_id: Mapped[int] = mapped_column(Id, ForeignKey("contents.id", ondelete="CASCADE"))
    correct_count: Mapped[int]
    incorrect_count: Mapped[int]
