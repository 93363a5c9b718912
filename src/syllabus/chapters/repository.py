from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select

from syllabus.kit.repository import Repository, site_ids_in
from syllabus.models import Chapter

_CHAPTER_IDS = (
    select(Chapter.course_id, Chapter.id)
    .where(Chapter.site_id == bindparam("site_id"), site_ids_in(Chapter.course_id))
    .order_by(Chapter.course_id, Chapter.position, Chapter.id)
)


class ChapterRepository(Repository[Chapter]):
    model = Chapter

    def ids_by_course(self, course_ids: Iterable[int]) -> dict[int, list[int]]:
        """Each course's chapter ids by position, then id: one query for a whole page."""
        return self.grouped(_CHAPTER_IDS, course_ids)
