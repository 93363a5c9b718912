from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from syllabus.context import Scope
from syllabus.enrollments.repository import EnrollmentRepository, EnrollmentRow
from syllabus.enrollments.schemas import EnrollmentCreate, EnrollmentUpdate
from syllabus.errors import RecordNotFound, Unprocessable, found
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
    def is_expired(scope: Scope, expiry_date: datetime | None) -> bool:
        return expiry_date is not None and expiry_date <= scope.now

    def read(self, scope: Scope, row: EnrollmentRow) -> dict[str, Any]:
        """The wire body, ``EnrollmentRead``'s keys in its order, built directly from the row.

        Lists return 25 of these: a dict encoded by orjson costs a fraction of a model built
        and serialized field by field (the contract tests hold it to the documented schema).
        """
        return {
            "id": row.id,
            "created_at": format_timestamp(row.created_at),
            "user_email": row.user_email,
            "user_name": f"{row.first_name} {row.last_name}".strip(),
            "expiry_date": _timestamp(row.expiry_date),
            "user_id": row.user_id,
            "course_name": row.course_name,
            "course_id": row.course_id,
            "percentage_completed": format_decimal(row.percentage_completed),
            "completed_at": _timestamp(row.completed_at),
            "expired": self.is_expired(scope, row.expiry_date),
            "is_free_trial": row.is_free_trial,
            "completed": row.completed_at is not None,
            "started_at": _timestamp(row.started_at),
            "activated_at": _timestamp(row.activated_at),
            "updated_at": format_timestamp(row.updated_at),
        }

    @staticmethod
    def payload(row: EnrollmentRow) -> dict[str, Any]:
        """The webhook body: alphabetical keys, ``free_trial``, nested user and course (§7.2)."""
        return {
            "activated_at": _timestamp(row.activated_at),
            "completed_at": _timestamp(row.completed_at),
            "course": {"id": row.course_id, "name": row.course_name},
            "course_id": row.course_id,
            "created_at": _timestamp(row.created_at),
            "expiry_date": _timestamp(row.expiry_date),
            "free_trial": row.is_free_trial,
            "id": row.id,
            "percentage_completed": format_decimal(row.percentage_completed),
            "started_at": _timestamp(row.started_at),
            "updated_at": _timestamp(row.updated_at),
            "user": {
                "email": row.user_email,
                "first_name": row.first_name,
                "id": row.user_id,
                "last_name": row.last_name,
            },
        }

    def list(self, scope: Scope, filters: Filters, params: PageParams) -> Page[dict[str, Any]]:
        repository = EnrollmentRepository(scope)
        rows, total = repository.read_page(repository.criteria(filters), params)
        return build_page([self.read(scope, row) for row in rows], total, params)

    def get_read(self, scope: Scope, id: str) -> dict[str, Any]:
        return self.read(scope, self._row(scope, self._id(id)))

    @staticmethod
    def _id(id: str) -> int:
        text = id.strip()
        # ASCII only: int() also reads full-width and other Unicode digits; Rails finds nothing.
        if not (text.isascii() and text.isdigit()):
            raise RecordNotFound()
        return int(text)

    @staticmethod
    def _row(scope: Scope, id: int) -> EnrollmentRow:
        return found(EnrollmentRepository(scope).read_row(id))

    def get(self, scope: Scope, id: str) -> Enrollment:
        return found(EnrollmentRepository(scope).get(self._id(id)))

    def create(self, scope: Scope, data: EnrollmentCreate) -> dict[str, Any]:
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
            if not self.is_expired(scope, enrollment.expiry_date):
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
        row = self._row(scope, enrollment.id)
        record(scope, "enrollment", "trial" if row.is_free_trial else "created", self.payload(row))
        return self.read(scope, row)

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
        scope.session.flush()
        record(scope, "enrollment", "updated", self.payload(self._row(scope, enrollment.id)))

    @staticmethod
    def _flush_unique(scope: Scope) -> None:
        """Flush in a savepoint, so that a concurrent enrollment of the same pair is a clean 422."""
        try:
            with scope.session.begin_nested():
                scope.session.flush()
        except IntegrityError as error:
            raise Unprocessable.field("user_id", ALREADY_ENROLLED) from error


enrollment_service = EnrollmentService()
