"""The control plane's simulation of student activity:
``/_syllabus/sites/{subdomain}/simulate/...``. Guarded by the admin token like the rest of
``/_syllabus``; each call is one unit of work (``simulate/service.py``)."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.responses import Response

from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.control.context import AdminDep, control_router
from syllabus.enrollments.schemas import EnrollmentRead
from syllabus.errors import found
from syllabus.simulate.schemas import (
    LessonCompleted,
    QuizAttempted,
    QuizAttemptedPayload,
    UserSignin,
)
from syllabus.simulate.service import SimulationService
from syllabus.sites.service import find_site
from syllabus.users.schemas import UserRead

router = control_router("/_syllabus/sites/{subdomain}/simulate")


def _service(session: Session, subdomain: str, settings: Settings) -> SimulationService:
    """The simulation on the site ``subdomain``: a 404 when there is none."""
    return SimulationService(
        Scope.for_site(session, found(find_site(session, subdomain)), settings)
    )


@router.post("/lesson_completed", response_model=EnrollmentRead)
async def simulate_lesson_completed(
    admin: AdminDep, subdomain: str, body: LessonCompleted
) -> Response:
    """A student completes a lesson (any content of a course they are enrolled in, unexpired; a
    free trial, only a free preview): `percentage_completed` becomes the share of the course's
    contents completed, and `lesson.completed` and `enrollment.progress` are recorded; at 100%,
    `completed_at` is set and `enrollment.completed` is recorded too, once. Completing a lesson
    again changes and records nothing. Answers the enrollment, as
    `GET /enrollments/{id}` does."""
    return await admin.write(
        lambda s: (
            _service(s, subdomain, admin.settings)
            .lesson_completed(body.user_id, body.content_id)
            .enrollment
        )
    )


@router.post("/user_signin", response_model=UserRead)
async def simulate_user_signin(admin: AdminDep, subdomain: str, body: UserSignin) -> Response:
    """A user signs in: `user.signin` is recorded, with `user.signup`'s payload. Answers the
    user, as `GET /users/{id}` does."""
    return await admin.write(
        lambda s: _service(s, subdomain, admin.settings).user_signin(body.user_id)
    )


@router.post("/quiz_attempted", status_code=201, response_model=QuizAttemptedPayload)
async def simulate_quiz_attempted(admin: AdminDep, subdomain: str, body: QuizAttempted) -> Response:
    """A student answers a quiz's last question (a content of type Quiz they may take, as for
    lessons): one more attempt, recorded as `quiz.attempted`. Its payload is inferred, as no
    sample is known. The attempt does not complete the quiz: `simulate/lesson_completed` does.
    Answers the payload."""
    return await admin.write(
        lambda s: _service(s, subdomain, admin.settings).quiz_attempted(
            body.user_id, body.content_id, body.correct_count, body.incorrect_count
        )
    )
