from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from syllabus.kit.schemas import ResponseSchema
from syllabus.kit.wire import From
from syllabus.models import CONTENTABLE_TYPES, Content, Course

if TYPE_CHECKING:
    from syllabus.context import Scope

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


def take_url(id: int, name: str, contentable_type: str, course_slug: str, scope: Scope) -> str:
    """The content in the course player, on the site's own host."""
    kind = TAKE_URL_KINDS.get(contentable_type, "lessons")
    # Rails' `to_param` is "id-name"; a name with nothing to slug leaves the bare id.
    slug = parameterize(name)
    param = f"{id}-{slug}" if slug else str(id)
    base = f"https://{scope.site.subdomain}.{scope.settings.base_domain}"
    return f"{base}/courses/take/{course_slug}/{kind}/{param}"


class ContentRead(ResponseSchema):
    id: int
    name: str
    position: int
    chapter_id: int
    contentable_type: str = Field(json_schema_extra={"enum": list(CONTENTABLE_TYPES)})
    free: bool
    take_url: Annotated[
        str,
        From(take_url, Content.id, Content.name, Content.contentable_type, Course.slug, scope=True),
    ]
