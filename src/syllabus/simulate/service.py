"""Student activity, which Thinkific's Admin API cannot cause: a lesson completed, a sign-in, a
quiz attempted. The control plane (``simulate/control.py``) and the CLI (``syllabus simulate``)
run it; each call is one unit of work that records its Thinkific topics (FIDELITY §7.1) with
their webhook payloads, or, on a 422, writes nothing.

* ``lesson_completed``: the user must hold an enrollment in the content's course that has not
  expired (a free trial reaches only the course's free preview contents). The content, of any
  type, is marked done; ``percentage_completed`` becomes the share of the course's contents
  done (a fraction, ``"0.25"``: FIDELITY §10 #2), ``started_at`` is set if it was not, and
  ``lesson.completed`` then ``enrollment.progress`` are recorded. The first time every content
  is done, ``completed_at`` is set (``completed`` follows it) and ``enrollment.completed`` is
  recorded too. Completing a content again changes nothing and records nothing.
* ``user_signin``: records ``user.signin``, whose payload is ``user.signup``'s: the user with
  alphabetical keys. Users keep no sign-in time, so nothing else changes.
* ``quiz_attempted``: the content must be a quiz (type ``Quiz``) the user may take, as above.
  Each call is one more attempt (kept, to count them), recorded as ``quiz.attempted``. An
  attempt does not complete the quiz: ``lesson_completed`` with the quiz's id does, as a passed
  quiz would on Thinkific. The enrollment does not change.

A concurrent call on the same enrollment waits for this one (its row is locked), so progress is
counted in turn and a lesson completed twice at once is completed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from syllabus.contents.repository import ContentRepository
from syllabus.context import Scope
from syllabus.enrollments.repository import ENROLLMENT_PAYLOAD, EnrollmentRepository
from syllabus.enrollments.service import USER_NOT_FOUND
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import read_recorded, record
from syllabus.events.topics import Topic
from syllabus.kit.wire import JSONObject
from syllabus.models import Content, Enrollment, LessonCompletion, QuizAttempt, User
from syllabus.models.enrollment import is_expired
from syllabus.simulate.repository import (
    CONTENT_PLACE,
    LessonCompletionRepository,
    QuizAttemptRepository,
)
from syllabus.users.repository import USER_PAYLOAD, UserRepository

CONTENT_NOT_FOUND = "Content could not be found."
NOT_ENROLLED = "is not enrolled in this course"
EXPIRED = "has an expired enrollment in this course"
NOT_A_PREVIEW = "is not a free preview, which is all a free trial enrollment may take"
NOT_A_QUIZ = "is not a quiz"
NO_ANSWERS = "correct_count and incorrect_count are both 0: an attempt answers a question"


@dataclass(frozen=True)
class Progress:
    """What ``lesson_completed`` did: the enrollment after it, as the Admin API renders it, and
    the topics it recorded (none when the lesson was already completed)."""

    enrollment: JSONObject
    recorded: tuple[Topic, ...]


def grade(correct_count: int, incorrect_count: int) -> float:
    """The share of right answers as a percentage, to two decimals."""
    return round(100 * correct_count / (correct_count + incorrect_count), 2)


def _user_ref(user: User) -> JSONObject:
    # As every payload embeds its user (FIDELITY §7.2).
    return {
        "email": user.email,
        "first_name": user.first_name,
        "id": user.id,
        "last_name": user.last_name,
    }


class SimulationService:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.users = UserRepository(scope)
        self.contents = ContentRepository(scope)
        self.enrollments = EnrollmentRepository(scope)
        self.completions = LessonCompletionRepository(scope)
        self.attempts = QuizAttemptRepository(scope)

    def lesson_completed(self, user_id: int, content_id: int) -> Progress:
        """The user completes the content (see the module docstring)."""
        user, content, enrollment = self._taking(user_id, content_id)
        if self.completions.completed(enrollment.id, content.id):
            return Progress(found(self.enrollments.read(enrollment.id)), ())
        now = self.scope.now
        self.completions.add(
            LessonCompletion(enrollment_id=enrollment.id, content_id=content.id, completed_at=now)
        )
        self.completions.flush()
        done, total = self.completions.progress(enrollment.id, content.course_id)
        enrollment.percentage_completed = done / total
        if enrollment.started_at is None:
            enrollment.started_at = now
        completes = done == total and enrollment.completed_at is None
        if completes:
            enrollment.completed_at = now
        self.enrollments.touch(enrollment)
        self.enrollments.flush()

        place = found(self.contents.read(content.id, CONTENT_PLACE))
        lesson = {**place, "enrollment": {"id": enrollment.id}, "user": _user_ref(user)}
        payload = found(self.enrollments.read(enrollment.id, ENROLLMENT_PAYLOAD))
        recorded: tuple[Topic, ...] = ("lesson.completed", "enrollment.progress")
        record(self.scope, "lesson.completed", dict(sorted(lesson.items())))
        record(self.scope, "enrollment.progress", payload)
        if completes:
            recorded += ("enrollment.completed",)
            record(self.scope, "enrollment.completed", payload)
        return Progress(found(self.enrollments.read(enrollment.id)), recorded)

    def user_signin(self, user_id: int) -> JSONObject:
        """The user signs in: ``user.signin``; the user as the Admin API renders them."""
        if not self.users.exists(user_id):
            raise Unprocessable.field("user_id", USER_NOT_FOUND)
        return read_recorded(self.scope, "user.signin", self.users, user_id, USER_PAYLOAD)

    def quiz_attempted(
        self, user_id: int, content_id: int, correct_count: int, incorrect_count: int
    ) -> JSONObject:
        """The user answers the quiz's last question: one more attempt, ``quiz.attempted``.
        Answers its payload."""
        if correct_count + incorrect_count == 0:
            raise Unprocessable({"base": [NO_ANSWERS]})
        user, content, enrollment = self._taking(user_id, content_id, quiz=True)
        attempt = self.attempts.add(
            QuizAttempt(
                enrollment_id=enrollment.id,
                content_id=content.id,
                correct_count=correct_count,
                incorrect_count=incorrect_count,
            )
        )
        self.attempts.flush()
        place = found(self.contents.read(content.id, CONTENT_PLACE))
        quiz = cast("JSONObject", place["lesson"])
        payload: JSONObject = {
            "attempts": self.attempts.count(enrollment.id, content.id),
            "chapter": place["chapter"],
            "correct_count": correct_count,
            "course": place["course"],
            "enrollment": {"id": enrollment.id},
            "grade": grade(correct_count, incorrect_count),
            "incorrect_count": incorrect_count,
            "quiz": {"id": quiz["id"], "name": quiz["name"]},
            "result_id": attempt.id,
            "user": _user_ref(user),
        }
        record(self.scope, "quiz.attempted", payload)
        return payload

    def _taking(
        self, user_id: int, content_id: int, *, quiz: bool = False
    ) -> tuple[User, Content, Enrollment]:
        """The site's user and content of these ids, and the enrollment through which the user
        may take the content, locked; else a 422 naming what is wrong (both unknown ids at once,
        user first, as checkout does)."""
        user, content = self.users.get(user_id), self.contents.get(content_id)
        problems: dict[str, list[str]] = {}
        if user is None:
            problems["user_id"] = [USER_NOT_FOUND]
        if content is None:
            problems["content_id"] = [CONTENT_NOT_FOUND]
        if user is None or content is None:
            raise Unprocessable(problems)
        if quiz and content.contentable_type != "Quiz":
            raise Unprocessable.field("content_id", NOT_A_QUIZ)
        enrollment = self.enrollments.for_pair(user.id, content.course_id, lock=True)
        if enrollment is None:
            raise Unprocessable.field("user_id", NOT_ENROLLED)
        if is_expired(enrollment.expiry_date, self.scope.now):
            raise Unprocessable.field("user_id", EXPIRED)
        if enrollment.is_free_trial and not content.free:
            raise Unprocessable.field("content_id", NOT_A_PREVIEW)
        return user, content, enrollment
