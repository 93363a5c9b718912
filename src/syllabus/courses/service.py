from __future__ import annotations

from syllabus.chapters.repository import ChapterRepository
from syllabus.context import Scope
from syllabus.courses.repository import CourseRepository
from syllabus.errors import found
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.pagination import PageParams


class CourseService:
    def __init__(self, scope: Scope) -> None:
        self.courses = CourseRepository(scope)
        self.chapters = ChapterRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.courses.page(Criteria(), params)

    def read(self, id: int) -> JSONObject:
        return found(self.courses.read(id))

    def chapters_of(self, id: int, params: PageParams) -> JSONObject:
        """The course's chapters; a missing course is a 404, not an empty page."""
        self.courses.require(id)
        return self.chapters.of_course(id, params)
