from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from syllabus.kit.repository import Repository
from syllabus.models import Course, course_admins


class CourseRepository(Repository[Course]):
    model = Course

    def administrator_user_ids(self, course_ids: Iterable[int]) -> dict[int, list[int]]:
        """Each course's administrators, ascending: one query for a whole page."""
        found: dict[int, list[int]] = {}
        ids = list(course_ids)
        if not ids:
            return found
        rows = self.session.execute(
            select(course_admins.c.course_id, course_admins.c.user_id)
            .where(course_admins.c.course_id.in_(ids))
            .order_by(course_admins.c.course_id, course_admins.c.user_id)
        )
        for course_id, user_id in rows:
            found.setdefault(course_id, []).append(user_id)
        return found
