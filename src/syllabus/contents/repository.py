from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select

from syllabus.kit.repository import Repository, site_ids_in
from syllabus.models import Content, Course

_CONTENT_IDS = (
    select(Content.chapter_id, Content.id)
    .where(Content.site_id == bindparam("site_id"), site_ids_in(Content.chapter_id))
    .order_by(Content.chapter_id, Content.position, Content.id)
)


class ContentRepository(Repository[Content]):
    model = Content

    def ids_by_chapter(self, chapter_ids: Iterable[int]) -> dict[int, list[int]]:
        """Each chapter's content ids by position, then id: one query for a whole page."""
        return self.grouped(_CONTENT_IDS, chapter_ids)

    def course_slugs(self, contents: Iterable[Content]) -> dict[int, str]:
        """The slug of each content's course, which its ``take_url`` names, in one query."""
        ids = {content.course_id for content in contents}
        if not ids:
            return {}
        rows = self.session.execute(
            select(Course.id, Course.slug).where(Course.site_id == self.site_id, Course.id.in_(ids))
        )
        return {course_id: slug for course_id, slug in rows}
