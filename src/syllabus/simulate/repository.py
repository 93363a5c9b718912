from __future__ import annotations

from sqlalchemy import and_, bindparam, func, select

from syllabus.kit.repository import Repository
from syllabus.kit.wire import Wire
from syllabus.models import Chapter, Content, Course, LessonCompletion, QuizAttempt
from syllabus.simulate.schemas import ContentPlace

# Where a content sits, for lesson.completed and quiz.attempted: read with the contents'
# repository (`ContentRepository.read(id, CONTENT_PLACE)`).
CONTENT_PLACE = Wire(
    ContentPlace,
    Content,
    joins=(
        (Chapter, Chapter.id == Content.chapter_id),
        (Course, Course.id == Content.course_id),
    ),
    sort_keys=True,
)

_COMPLETED = select(LessonCompletion.id).where(
    LessonCompletion.site_id == bindparam("site_id"),
    LessonCompletion.enrollment_id == bindparam("enrollment_id"),
    LessonCompletion.content_id == bindparam("content_id"),
)
# The course's contents, and how many of them the enrollment completed, in one row.
_PROGRESS = (
    select(func.count(Content.id), func.count(LessonCompletion.id))
    .select_from(Content)
    .outerjoin(
        LessonCompletion,
        and_(
            LessonCompletion.content_id == Content.id,
            LessonCompletion.enrollment_id == bindparam("enrollment_id"),
        ),
    )
    .where(Content.site_id == bindparam("site_id"), Content.course_id == bindparam("course_id"))
)
_ATTEMPTS = select(func.count(QuizAttempt.id)).where(
    QuizAttempt.site_id == bindparam("site_id"),
    QuizAttempt.enrollment_id == bindparam("enrollment_id"),
    QuizAttempt.content_id == bindparam("content_id"),
)


class LessonCompletionRepository(Repository[LessonCompletion]):
    """No API reads completions: they show as the enrollment's ``percentage_completed``."""

    model = LessonCompletion

    def completed(self, enrollment_id: int, content_id: int) -> bool:
        """Whether the enrollment has completed the content."""
        found = self.value(_COMPLETED, enrollment_id=enrollment_id, content_id=content_id)
        return found is not None

    def progress(self, enrollment_id: int, course_id: int) -> tuple[int, int]:
        """How many of the course's contents the enrollment has completed, and of how many."""
        params = {"site_id": self.site_id, "enrollment_id": enrollment_id, "course_id": course_id}
        total, completed = self.scope.connection.execute(_PROGRESS, params).one()
        return int(completed), int(total)


class QuizAttemptRepository(Repository[QuizAttempt]):
    """No API reads attempts: each is told once, in its ``quiz.attempted`` event."""

    model = QuizAttempt

    def count(self, enrollment_id: int, content_id: int) -> int:
        """The enrollment's attempts at the quiz so far."""
        return int(self.value(_ATTEMPTS, enrollment_id=enrollment_id, content_id=content_id))
