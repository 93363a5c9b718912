from __future__ import annotations

from syllabus.contents.schemas import ContentRead
from syllabus.kit.filters import equal
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Children, JSONObject, Wire
from syllabus.models import Content, Course
from syllabus.pagination import PageParams

# A chapter's content ids, by position then id: `content_ids` on a chapter.
CONTENT_IDS = Children.ids(Content.id, Content.chapter_id, Content.position)
CONTENT = Wire(
    ContentRead,
    Content,
    joins=((Course, Course.id == Content.course_id),),
    order_by=(Content.position,),
)


class ContentRepository(Repository[Content]):
    model = Content
    wire = CONTENT

    def of_chapter(self, chapter_id: int, params: PageParams) -> JSONObject:
        """A page of the chapter's contents, by position."""
        return self.page(equal("chapter_id", Content.chapter_id, chapter_id), params)
