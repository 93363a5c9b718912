from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select

from syllabus.kit.repository import Repository, site_ids_in
from syllabus.models import Course, course_admins

# course_admins has no site_id: scope through the course.
_ADMINISTRATOR_IDS = (
    select(course_admins.c.course_id, course_admins.c.user_id)
    .join(Course, Course.id == course_admins.c.course_id)
    .where(Course.site_id == bindparam("site_id"), site_ids_in(course_admins.c.course_id))
    .order_by(course_admins.c.course_id, course_admins.c.user_id)
)


class CourseRepository(Repository[Course]):
    model = Course

    def administrator_user_ids(self, course_ids: Iterable[int]) -> dict[int, list[int]]:
        """Each course's administrators, ascending: one query for a whole page."""
        return self.grouped(_ADMINISTRATOR_IDS, course_ids)
