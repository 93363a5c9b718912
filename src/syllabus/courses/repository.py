from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, bindparam, select

from syllabus.kit.filters import Criteria
from syllabus.kit.repository import Repository, site_ids_in
from syllabus.models import Course, course_admins
from syllabus.pagination import PageParams

# course_admins has no site_id: scope through the course.
_ADMINISTRATOR_IDS = (
    select(course_admins.c.course_id, course_admins.c.user_id)
    .join(Course, Course.id == course_admins.c.course_id)
    .where(Course.site_id == bindparam("site_id"), site_ids_in(course_admins.c.course_id))
    .order_by(course_admins.c.course_id, course_admins.c.user_id)
)


# What a response needs from the courses table, as plain rows (reads build no ORM objects).
_ROWS = select(
    Course.id,
    Course.name,
    Course.slug,
    Course.subtitle,
    Course.product_id,
    Course.description,
    Course.course_card_text,
    Course.intro_video_youtube,
    Course.contact_information,
    Course.keywords,
    Course.duration,
    Course.banner_image_url,
    Course.course_card_image_url,
    Course.intro_video_wistia_identifier,
    Course.reviews_enabled,
    Course.user_id,
    Course.instructor_id,
)
_ROW_BY_ID = _ROWS.where(Course.site_id == bindparam("site_id"), Course.id == bindparam("id"))
CourseRow = Row[*tuple[Any, ...]]


class CourseRepository(Repository[Course]):
    model = Course

    def read_row(self, id: int) -> CourseRow | None:
        return self.row(_ROW_BY_ID, id)

    def read_page(self, params: PageParams) -> tuple[Sequence[CourseRow], int]:
        return self.page_rows(_ROWS, Criteria(), params)

    def administrator_user_ids(self, course_ids: Iterable[int]) -> dict[int, list[int]]:
        """Each course's administrators, ascending: one query for a whole page."""
        return self.grouped(_ADMINISTRATOR_IDS, course_ids)
