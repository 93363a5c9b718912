"""The simulation's request bodies, and the payloads of the student-activity topics.

``lesson.completed`` follows Thinkific's sample (FIDELITY §7.2): ``chapter``, ``course``,
``enrollment``, ``lesson`` and ``user``, alphabetical. No source shows a ``quiz.attempted``
payload: ours is inferred, in the same style: the quiz, where it sits and whose enrollment, with
the attempt's result (``QuizAttemptedPayload``).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from syllabus.enrollments.schemas import CourseRef, UserRef
from syllabus.kit.schemas import DbInt, RequestSchema, ResponseSchema
from syllabus.kit.wire import From
from syllabus.models import Chapter, Content, Course

MAX_ANSWERS = 10_000


class NamedRef(ResponseSchema):
    """A chapter or a quiz, as the payloads name it."""

    id: int
    name: str


class LessonRef(ResponseSchema):
    id: int
    name: str
    position: int
    type: str = Field(description="The content's `contentable_type`: Lesson, Quiz, Pdf...")


class EnrollmentRef(ResponseSchema):
    id: int


def _ref(id: int, name: str) -> dict[str, Any]:
    return {"id": id, "name": name}


def _lesson(id: int, name: str, position: int, type: str) -> dict[str, Any]:
    return {"id": id, "name": name, "position": position, "type": type}


class ContentPlace(ResponseSchema):
    """A content as the student-activity payloads name it: its chapter, its course, and itself
    (as ``lesson``). Each payload adds the enrollment and the user."""

    chapter: Annotated[NamedRef, From(_ref, Content.chapter_id, Chapter.name)]
    course: Annotated[CourseRef, From(_ref, Content.course_id, Course.name)]
    lesson: Annotated[
        LessonRef,
        From(_lesson, Content.id, Content.name, Content.position, Content.contentable_type),
    ]


class QuizAttemptedPayload(ResponseSchema):
    """The ``quiz.attempted`` payload (inferred: no sample of it is known), alphabetical."""

    attempts: int = Field(description="The enrollment's attempts at this quiz, this one included.")
    chapter: NamedRef
    correct_count: int
    course: CourseRef
    enrollment: EnrollmentRef
    grade: float = Field(description="The share of right answers, as a percentage (0 to 100).")
    incorrect_count: int
    quiz: NamedRef
    result_id: int = Field(description="This attempt's id.")
    user: UserRef


class LessonCompleted(RequestSchema):
    user_id: DbInt = Field(description="The student: a user of the site enrolled in the course.")
    content_id: DbInt = Field(description="The lesson: any content of the course, of any type.")


class UserSignin(RequestSchema):
    user_id: DbInt = Field(description="The user who signs in, one of the site's.")


class QuizAttempted(RequestSchema):
    user_id: DbInt = Field(description="The student: a user of the site enrolled in the course.")
    content_id: DbInt = Field(description="The quiz: a content of type Quiz.")
    correct_count: int = Field(1, ge=0, le=MAX_ANSWERS, description="Answers right.")
    incorrect_count: int = Field(0, ge=0, le=MAX_ANSWERS, description="Answers wrong.")
