from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from syllabus.kit.repository import Repository
from syllabus.models import Chapter


class ChapterRepository(Repository[Chapter]):
    model = Chapter

    def ids_by_course(self, course_ids: Iterable[int]) -> dict[int, list[int]]:
        """Each course's chapter ids by position, then id: one query for a whole page."""
        found: dict[int, list[int]] = {}
        ids = list(course_ids)
        if not ids:
            return found
        rows = self.session.execute(
            select(Chapter.course_id, Chapter.id)
            .where(self.scoped(), Chapter.course_id.in_(ids))
            .order_by(Chapter.course_id, Chapter.position, Chapter.id)
        )
        for course_id, chapter_id in rows:
            found.setdefault(course_id, []).append(chapter_id)
        return found
