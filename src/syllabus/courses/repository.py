from __future__ import annotations

from sqlalchemy import bindparam, select

from syllabus.chapters.repository import CHAPTER_IDS
from syllabus.courses.schemas import CourseRead
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Children, Wire, parents_in
from syllabus.models import Course, course_admins

# course_admins has no site_id: scope through the course.
_ADMINISTRATOR_IDS = Children(
    select(course_admins.c.course_id, course_admins.c.user_id)
    .join(Course, Course.id == course_admins.c.course_id)
    .where(Course.site_id == bindparam("site_id"), parents_in(course_admins.c.course_id))
    .order_by(course_admins.c.course_id, course_admins.c.user_id)
)
# A course body's child lists: every list of course bodies (a bundle's courses too) fills them.
COURSE_CHILDREN = {"administrator_user_ids": _ADMINISTRATOR_IDS, "chapter_ids": CHAPTER_IDS}
COURSE = Wire(CourseRead, Course, children=COURSE_CHILDREN)


class CourseRepository(Repository[Course]):
    model = Course
    wire = COURSE
