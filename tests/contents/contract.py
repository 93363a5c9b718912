"""Contract exercises for contents (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import (
    NO_SUCH_ID,
    Contract,
    exercise,
)
from tests.factories import (
    make_chapter,
    make_content,
    make_course,
)


@exercise("GET /contents/{id}")
def get_content(c: Contract) -> None:
    course = make_course(c.site)
    chapter = make_chapter(c.site, course)
    content = make_content(c.site, chapter, course, name="Intro", contentable_type="Quiz")
    body = c.call(200, f"/contents/{content}").json()
    assert (body["id"], body["name"], body["chapter_id"], body["contentable_type"]) == (
        content,
        "Intro",
        chapter,
        "Quiz",
    )
    c.call(404, f"/contents/{NO_SUCH_ID}")
    c.unauthorized(f"/contents/{content}")
