from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from syllabus.kit.repository import Repository
from syllabus.models import Content, Course


class ContentRepository(Repository[Content]):
    model = Content

    def ids_by_chapter(self, chapter_ids: Iterable[int]) -> dict[int, list[int]]:
        """Each chapter's content ids by position, then id: one query for a whole page."""
        found: dict[int, list[int]] = {}
        ids = list(chapter_ids)
        if not ids:
            return found
        rows = self.session.execute(
            select(Content.chapter_id, Content.id)
            .where(self.scoped(), Content.chapter_id.in_(ids))
            .order_by(Content.chapter_id, Content.position, Content.id)
        )
        for chapter_id, content_id in rows:
            found.setdefault(chapter_id, []).append(content_id)
        return found

    def course_slugs(self, contents: Iterable[Content]) -> dict[int, str]:
        """The slug of each content's course, which its ``take_url`` names, in one query."""
        ids = {content.course_id for content in contents}
        if not ids:
            return {}
        rows = self.session.execute(
            select(Course.id, Course.slug).where(Course.site_id == self.site_id, Course.id.in_(ids))
        )
        return {course_id: slug for course_id, slug in rows}
