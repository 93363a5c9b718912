from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from syllabus.context import Scope
from syllabus.enrollments.repository import EnrollmentRepository
from syllabus.enrollments.schemas import EnrollmentCreate, EnrollmentRead, EnrollmentUpdate
from syllabus.errors import RecordNotFound, Unprocessable
from syllabus.events.recorder import record
from syllabus.kit.filters import Filters
from syllabus.kit.schemas import format_decimal, format_timestamp
from syllabus.models import Enrollment
from syllabus.pagination import Page, PageParams, build_page

COURSE_NOT_FOUND = "Course could not be found."
USER_NOT_FOUND = "User could not be found."
ALREADY_ENROLLED = "is already enrolled in this course"


def _timestamp(value: datetime | None) -> str | None:
    return None if value is None else format_timestamp(value)


class EnrollmentService:
    @staticmethod
    def is_expired(scope: Scope, enrollment: Enrollment) -> bool:
        return enrollment.expiry_date is not None and enrollment.expiry_date <= scope.now

    def read(self, scope: Scope, enrollment: Enrollment) -> EnrollmentRead:
        user, course = enrollment.user, enrollment.course
        return EnrollmentRead(
            id=enrollment.id,
            created_at=enrollment.created_at,
            user_email=user.email,
            user_name=user.full_name,
            expiry_date=enrollment.expiry_date,
            user_id=user.id,
            course_name=course.name,
            course_id=course.id,
            percentage_completed=enrollment.percentage_completed,
            completed_at=enrollment.completed_at,
            expired=self.is_expired(scope, enrollment),
            is_free_trial=enrollment.is_free_trial,
            completed=enrollment.completed_at is not None,
            started_at=enrollment.started_at,
            activated_at=enrollment.activated_at,
            updated_at=enrollment.updated_at,
        )

    @staticmethod
    def payload(enrollment: Enrollment) -> dict[str, Any]:
        """The webhook body: alphabetical keys, ``free_trial``, nested user and course (§7.2)."""
        user, course = enrollment.user, enrollment.course
        return {
            "activated_at": _timestamp(enrollment.activated_at),
            "completed_at": _timestamp(enrollment.completed_at),
            "course": {"id": course.id, "name": course.name},
            "course_id": course.id,
            "created_at": _timestamp(enrollment.created_at),
            "expiry_date": _timestamp(enrollment.expiry_date),
            "free_trial": enrollment.is_free_trial,
            "id": enrollment.id,
            "percentage_completed": format_decimal(enrollment.percentage_completed),
            "started_at": _timestamp(enrollment.started_at),
            "updated_at": _timestamp(enrollment.updated_at),
            "user": {
                "email": user.email,
                "first_name": user.first_name,
                "id": user.id,
                "last_name": user.last_name,
            },
        }

    def list(self, scope: Scope, filters: Filters, params: PageParams) -> Page[EnrollmentRead]:
        repository = EnrollmentRepository(scope)
        enrollments, total = repository.page(repository.conditions(filters), params)
        return build_page([self.read(scope, e) for e in enrollments], total, params)

    def get(self, scope: Scope, id: str) -> Enrollment:
        text = id.strip()
        # ASCII only: int() also reads full-width and other Unicode digits; Rails finds nothing.
        valid = text.isascii() and text.isdigit()
        enrollment = EnrollmentRepository(scope).get(int(text)) if valid else None
        if enrollment is None:
            raise RecordNotFound()
        return enrollment

    def create(self, scope: Scope, data: EnrollmentCreate) -> EnrollmentRead:
        """Enroll a user; without ``activated_at`` the enrollment is a free trial (§8).

        Enrolling again in the same course is a 422, unless the earlier enrollment has expired:
        then that enrollment is re-activated with the new dates (FIDELITY §10 #4).
        """
        repository = EnrollmentRepository(scope)
        course = repository.course(data.course_id) if data.course_id is not None else None
        user = repository.user(data.user_id) if data.user_id is not None else None
        # Thinkific reports both problems at once, course first, as a list (§9.2 #18).
        problems: list[str] = []
        if course is None:
            problems.append(COURSE_NOT_FOUND)
        if user is None:
            problems.append(USER_NOT_FOUND)
        if course is None or user is None:
            raise Unprocessable(problems)

        enrollment = repository.for_pair(user, course)
        if enrollment is not None:
            if not self.is_expired(scope, enrollment):
                raise Unprocessable.field("user_id", ALREADY_ENROLLED)
            repository.touch(enrollment)
        else:
            enrollment = repository.add(
                Enrollment(
                    user=user,
                    course=course,
                    percentage_completed=0.0,
                    started_at=None,
                    completed_at=None,
                )
            )
        enrollment.activated_at = data.activated_at
        enrollment.expiry_date = data.expiry_date
        enrollment.is_free_trial = data.activated_at is None
        self._flush_unique(scope)
        record(
            scope,
            "enrollment",
            "trial" if enrollment.is_free_trial else "created",
            self.payload(enrollment),
        )
        return self.read(scope, enrollment)

    def update(self, scope: Scope, id: str, data: EnrollmentUpdate) -> None:
        """Change the activation or expiry; an expiry in the past is how clients unenroll (§8)."""
        enrollment = self.get(scope, id)
        changes = data.model_dump(exclude_unset=True)
        # Activation cannot be undone through the API: a null activated_at changes nothing.
        if changes.get("activated_at") is not None:
            enrollment.activated_at = changes["activated_at"]
            enrollment.is_free_trial = False
        if "expiry_date" in changes:
            enrollment.expiry_date = changes["expiry_date"]
        EnrollmentRepository(scope).touch(enrollment)
        record(scope, "enrollment", "updated", self.payload(enrollment))

    @staticmethod
    def _flush_unique(scope: Scope) -> None:
        """Flush in a savepoint, so that a concurrent enrollment of the same pair is a clean 422."""
        try:
            with scope.session.begin_nested():
                scope.session.flush()
        except IntegrityError as error:
            raise Unprocessable.field("user_id", ALREADY_ENROLLED) from error


enrollment_service = EnrollmentService()
