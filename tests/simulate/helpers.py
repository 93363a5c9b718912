"""Builders for simulation tests: a course of known contents with a student enrolled in it, the
simulation's requests, and the payloads it records, written out from FIDELITY §7.2 rather than
taken from the server."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from syllabus.models import Enrollment, LessonCompletion, QuizAttempt
from tests.enrollments.helpers import (
    CourseRef,
    Learner,
    enrollment_body,
    event_payload,
    new_course,
    new_learner,
)
from tests.factories import make_chapter, make_content, make_enrollment
from tests.openapi_validator import assert_matches_openapi
from tests.orders.helpers import ADMIN, NO_SUCH_ID, rows_of
from tests.support import SiteClient

_names = itertools.count(1)
USER_MISSING = {"user_id": ["User could not be found."]}
CONTENT_MISSING = {"content_id": ["Content could not be found."]}
# A student and a content of which one or both are unknown, and the 422 field map that says so.
UNKNOWN_USER_OR_CONTENT = pytest.mark.parametrize(
    ("unknown", "errors"),
    [
        ({"user_id": NO_SUCH_ID}, USER_MISSING),
        ({"content_id": NO_SUCH_ID}, CONTENT_MISSING),
        ({"user_id": NO_SUCH_ID, "content_id": NO_SUCH_ID}, {**USER_MISSING, **CONTENT_MISSING}),
    ],
    ids=["user", "content", "both"],
)


@dataclass(frozen=True)
class Lesson:
    """A content as the student-activity payloads name it, with its chapter."""

    id: int
    name: str
    position: int
    type: str
    chapter_id: int
    chapter_name: str

    @property
    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "position": self.position, "type": self.type}


@dataclass(frozen=True)
class Classroom:
    """A course of ``lessons`` (two chapters), and ``student``'s ``enrollment`` in it."""

    course: CourseRef
    lessons: list[Lesson]
    student: Learner
    enrollment: int

    def body(self, **overrides: Any) -> dict[str, Any]:
        """The enrollment as the Admin API renders it (a factory row: FIXED, full, 0%)."""
        return enrollment_body(self.enrollment, self.student, self.course, **overrides)

    def payload(self, **overrides: Any) -> dict[str, Any]:
        """The enrollment's webhook payload (enrollment.progress and .completed)."""
        return event_payload(self.enrollment, self.student, self.course, **overrides)


def add_lesson(
    site: SiteClient,
    course: CourseRef,
    chapter: tuple[int, str],
    position: int,
    kind: str = "Lesson",
    **overrides: Any,
) -> Lesson:
    name = f"Getting started {next(_names)}"
    chapter_id, chapter_name = chapter
    content = make_content(
        site,
        chapter_id,
        course.id,
        name=name,
        position=position,
        contentable_type=kind,
        **overrides,
    )
    return Lesson(content, name, position, kind, chapter_id, chapter_name)


def new_classroom(
    site: SiteClient,
    kinds: tuple[str, ...] = ("Lesson",) * 4,
    *,
    free: bool = False,
    **enrollment: Any,
) -> Classroom:
    """A course whose contents are of ``kinds``, the first half in one chapter and the rest in
    another, and a student enrolled in it (``enrollment`` overrides the factory's row)."""
    course = new_course(site)
    chapters = []
    for position in range(2):
        name = f"Chapter {next(_names)}"
        chapters.append((make_chapter(site, course.id, name=name, position=position), name))
    half = (len(kinds) + 1) // 2
    lessons = [
        add_lesson(site, course, chapters[n >= half], n % half, kind, free=free)
        for n, kind in enumerate(kinds)
    ]
    student = new_learner(site)
    enrolled = make_enrollment(site, student.id, course.id, **enrollment)
    return Classroom(course, lessons, student, enrolled)


def simulate(http: Any, subdomain: str, action: str, **body: Any) -> httpx.Response:
    """POST /_syllabus/sites/{subdomain}/simulate/{action}; the answer must match our OpenAPI."""
    path = f"/_syllabus/sites/{subdomain}/simulate/{action}"
    response: httpx.Response = http.post(path, json=body, headers=ADMIN)
    assert_matches_openapi(http.app.openapi(), "POST", path, response)
    return response


def complete(site: SiteClient, user_id: Any, content_id: Any) -> httpx.Response:
    return simulate(
        site.http, site.subdomain, "lesson_completed", user_id=user_id, content_id=content_id
    )


def attempt(site: SiteClient, user_id: Any, content_id: Any, **counts: Any) -> httpx.Response:
    return simulate(
        site.http,
        site.subdomain,
        "quiz_attempted",
        user_id=user_id,
        content_id=content_id,
        **counts,
    )


def advance(site: SiteClient, seconds: int) -> None:
    """Move the site's clock forward."""
    path = f"/_syllabus/sites/{site.subdomain}/clock"
    moved = site.http.put(path, json={"advance_seconds": seconds}, headers=ADMIN)
    assert moved.status_code == 200, moved.text


def user_ref(student: Learner) -> dict[str, Any]:
    return {
        "email": student.email,
        "first_name": student.first_name,
        "id": student.id,
        "last_name": student.last_name,
    }


def lesson_payload(classroom: Classroom, lesson: Lesson) -> dict[str, Any]:
    """lesson.completed's payload (FIDELITY §7.2, the PIPE sample's keys), alphabetical."""
    return {
        "chapter": {"id": lesson.chapter_id, "name": lesson.chapter_name},
        "course": {"id": classroom.course.id, "name": classroom.course.name},
        "enrollment": {"id": classroom.enrollment},
        "lesson": lesson.ref,
        "user": user_ref(classroom.student),
    }


def quiz_payload(
    classroom: Classroom, quiz: Lesson, result_id: int, **values: Any
) -> dict[str, Any]:
    """quiz.attempted's payload (inferred): the defaults are a first attempt, one right."""
    return {
        "attempts": values.pop("attempts", 1),
        "chapter": {"id": quiz.chapter_id, "name": quiz.chapter_name},
        "correct_count": values.pop("correct_count", 1),
        "course": {"id": classroom.course.id, "name": classroom.course.name},
        "enrollment": {"id": classroom.enrollment},
        "grade": values.pop("grade", 100.0),
        "incorrect_count": values.pop("incorrect_count", 0),
        "quiz": {"id": quiz.id, "name": quiz.name},
        "result_id": result_id,
        "user": user_ref(classroom.student),
    }


def completions(site: SiteClient) -> list[tuple[Any, ...]]:
    """(enrollment_id, content_id, completed_at) of the site's completions, in id order."""
    return rows_of(
        site,
        LessonCompletion,
        LessonCompletion.enrollment_id,
        LessonCompletion.content_id,
        LessonCompletion.completed_at,
    )


def attempts(site: SiteClient) -> list[tuple[Any, ...]]:
    """(id, enrollment_id, content_id, correct_count, incorrect_count) of the site's attempts."""
    return rows_of(
        site,
        QuizAttempt,
        QuizAttempt.id,
        QuizAttempt.enrollment_id,
        QuizAttempt.content_id,
        QuizAttempt.correct_count,
        QuizAttempt.incorrect_count,
    )


def stored_enrollment(site: SiteClient, enrollment_id: int) -> tuple[Any, ...]:
    """(percentage_completed, started_at, completed_at, updated_at) of an enrollment row."""
    (row,) = rows_of(
        site,
        Enrollment,
        Enrollment.percentage_completed,
        Enrollment.started_at,
        Enrollment.completed_at,
        Enrollment.updated_at,
        id=enrollment_id,
    )
    return row
