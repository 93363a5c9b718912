from __future__ import annotations

from sqlalchemy import bindparam, select

from syllabus.enrollments.schemas import EnrollmentPayload, EnrollmentRead
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Wire
from syllabus.models import Enrollment

ENROLLMENT = Wire(EnrollmentRead, Enrollment, joins=(Enrollment.user, Enrollment.course))
ENROLLMENT_PAYLOAD = Wire(
    EnrollmentPayload, Enrollment, joins=(Enrollment.user, Enrollment.course), sort_keys=True
)

_FOR_PAIR = select(Enrollment).where(
    Enrollment.site_id == bindparam("site_id"),
    Enrollment.user_id == bindparam("user_id"),
    Enrollment.course_id == bindparam("course_id"),
)


class EnrollmentRepository(Repository[Enrollment]):
    model = Enrollment
    wire = ENROLLMENT

    def for_pair(self, user_id: int, course_id: int) -> Enrollment | None:
        """The user's enrollment in the course (there is at most one)."""
        params = {"site_id": self.site_id, "user_id": user_id, "course_id": course_id}
        found: Enrollment | None = self.session.scalars(_FOR_PAIR, params).first()
        return found
