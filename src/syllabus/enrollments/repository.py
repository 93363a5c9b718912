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
# The same, locked until the unit of work ends (PostgreSQL; SQLite's writers are serialized), so
# that concurrent progress of one enrollment is counted in turn (simulate/service.py).
_FOR_PAIR_LOCKED = _FOR_PAIR.with_for_update()


class EnrollmentRepository(Repository[Enrollment]):
    model = Enrollment
    wire = ENROLLMENT

    def for_pair(self, user_id: int, course_id: int, *, lock: bool = False) -> Enrollment | None:
        """The user's enrollment in the course (there is at most one); with ``lock``, locked
        for this unit of work."""
        params = {"site_id": self.site_id, "user_id": user_id, "course_id": course_id}
        statement = _FOR_PAIR_LOCKED if lock else _FOR_PAIR
        found: Enrollment | None = self.session.scalars(statement, params).first()
        return found
