from __future__ import annotations

from syllabus.chapters.schemas import ChapterRead
from syllabus.contents.repository import CONTENT_IDS
from syllabus.kit.filters import equal
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Children, JSONObject, Wire
from syllabus.models import Chapter
from syllabus.pagination import PageParams

# A course's chapter ids, by position then id: `chapter_ids` on a course.
CHAPTER_IDS = Children.ids(Chapter.id, Chapter.course_id, Chapter.position)
CHAPTER = Wire(
    ChapterRead, Chapter, children={"content_ids": CONTENT_IDS}, order_by=(Chapter.position,)
)


class ChapterRepository(Repository[Chapter]):
    model = Chapter
    wire = CHAPTER

    def of_course(self, course_id: int, params: PageParams) -> JSONObject:
        """A page of the course's chapters, by position."""
        return self.page(equal("course_id", Chapter.course_id, course_id), params)
