from __future__ import annotations

from collections.abc import Sequence

from syllabus.chapters.repository import ChapterRepository
from syllabus.chapters.schemas import ChapterRead
from syllabus.contents.repository import ContentRepository
from syllabus.contents.schemas import ContentRead
from syllabus.contents.service import content_service
from syllabus.context import Scope
from syllabus.errors import found
from syllabus.models import Chapter
from syllabus.pagination import Page, PageParams, build_page


class ChapterService:
    def reads(self, scope: Scope, chapters: Sequence[Chapter]) -> list[ChapterRead]:
        content_ids = ContentRepository(scope).ids_by_chapter(chapter.id for chapter in chapters)
        return [
            ChapterRead(
                id=chapter.id,
                name=chapter.name,
                position=chapter.position,
                description=chapter.description,
                duration_in_seconds=chapter.duration_in_seconds,
                content_ids=content_ids.get(chapter.id, []),
            )
            for chapter in chapters
        ]

    def get(self, scope: Scope, id: int) -> Chapter:
        return found(ChapterRepository(scope).get(id))

    def read(self, scope: Scope, id: int) -> ChapterRead:
        return self.reads(scope, [self.get(scope, id)])[0]

    def list_for_course(
        self, scope: Scope, course_id: int, params: PageParams
    ) -> Page[ChapterRead]:
        """A course's chapters by position, then id."""
        chapters, total = ChapterRepository(scope).page(
            [Chapter.course_id == course_id], params, order_by=[Chapter.position]
        )
        return build_page(self.reads(scope, chapters), total, params)

    def contents(self, scope: Scope, id: int, params: PageParams) -> Page[ContentRead]:
        """The chapter's contents; a missing chapter is a 404, not an empty page."""
        chapter = self.get(scope, id)
        return content_service.list_for_chapter(scope, chapter.id, params)


chapter_service = ChapterService()
