from __future__ import annotations

from syllabus.chapters.repository import ChapterRepository
from syllabus.contents.repository import ContentRepository
from syllabus.context import Scope
from syllabus.errors import found
from syllabus.kit.wire import JSONObject
from syllabus.pagination import PageParams


class ChapterService:
    def __init__(self, scope: Scope) -> None:
        self.chapters = ChapterRepository(scope)
        self.contents = ContentRepository(scope)

    def read(self, id: int) -> JSONObject:
        return found(self.chapters.read(id))

    def contents_of(self, id: int, params: PageParams) -> JSONObject:
        """The chapter's contents; a missing chapter is a 404, not an empty page."""
        self.chapters.require(id)
        return self.contents.of_chapter(id, params)
