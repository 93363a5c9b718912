from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from syllabus.contents.repository import ContentRepository
from syllabus.contents.schemas import ContentRead
from syllabus.context import Scope
from syllabus.errors import found
from syllabus.models import Content
from syllabus.pagination import Page, PageParams, build_page

# The course player's path segment for each contentable type.
TAKE_URL_KINDS: dict[str, str] = {
    "Lesson": "lessons",
    "Quiz": "quizzes",
    "Survey": "surveys",
    "Assignment": "assignments",
    "Download": "downloads",
    "Pdf": "pdfs",
    "Presentation": "presentations",
    "Audio": "audio",
    "HtmlItem": "texts",
    "Iframe": "multimedia",
    "Disqus": "discussions",
    "BrilliumExam": "exams",
    "LiveLesson": "live_lessons",
}


def parameterize(text: str) -> str:
    """Rails' ``String#parameterize``: ASCII, lowercase, runs of other characters become ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9\-_]+", "-", ascii_text, flags=re.IGNORECASE)
    return re.sub(r"-{2,}", "-", slug).strip("-").lower()


def take_url(subdomain: str, base_domain: str, course_slug: str, content: Content) -> str:
    kind = TAKE_URL_KINDS.get(content.contentable_type, "lessons")
    # Rails' `to_param` is "id-name"; a name with nothing to slug leaves the bare id.
    name = parameterize(content.name)
    param = f"{content.id}-{name}" if name else str(content.id)
    base = f"https://{subdomain}.{base_domain}"
    return f"{base}/courses/take/{course_slug}/{kind}/{param}"


class ContentService:
    def reads(self, scope: Scope, contents: Sequence[Content]) -> list[ContentRead]:
        slugs = ContentRepository(scope).course_slugs(contents)
        return [
            ContentRead(
                id=content.id,
                name=content.name,
                position=content.position,
                chapter_id=content.chapter_id,
                contentable_type=content.contentable_type,
                free=content.free,
                take_url=take_url(
                    scope.site.subdomain,
                    scope.settings.base_domain,
                    slugs.get(content.course_id, ""),
                    content,
                ),
            )
            for content in contents
        ]

    def get(self, scope: Scope, id: int) -> Content:
        return found(ContentRepository(scope).get(id))

    def read(self, scope: Scope, id: int) -> ContentRead:
        return self.reads(scope, [self.get(scope, id)])[0]

    def list_for_chapter(
        self, scope: Scope, chapter_id: int, params: PageParams
    ) -> Page[ContentRead]:
        """A chapter's contents by position, then id."""
        contents, total = ContentRepository(scope).page(
            [Content.chapter_id == chapter_id], params, order_by=[Content.position]
        )
        return build_page(self.reads(scope, contents), total, params)


content_service = ContentService()
