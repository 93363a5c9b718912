from __future__ import annotations

from syllabus.chapters.repository import CHAPTER_IDS
from syllabus.courses.schemas import CourseRead
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Children, Wire
from syllabus.models import Course, User, course_admins

_ADMINISTRATOR_IDS = Children.linked(course_admins.c.course_id, course_admins.c.user_id, User)
# A course body's child lists: every list of course bodies (a bundle's courses too) fills them.
COURSE_CHILDREN = {"administrator_user_ids": _ADMINISTRATOR_IDS, "chapter_ids": CHAPTER_IDS}
COURSE = Wire(CourseRead, Course, children=COURSE_CHILDREN)
# course.created and course.updated (what `syllabus load` and the control plane's load write):
# the course with alphabetical keys.
COURSE_PAYLOAD = COURSE.alphabetical()


class CourseRepository(Repository[Course]):
    model = Course
    wire = COURSE
