"""Contract exercises for chapters (see tests/contract/harness.py)."""

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


@exercise("GET /chapters/{id}")
def get_chapter(c: Contract) -> None:
    course = make_course(c.site)
    chapter = make_chapter(c.site, course, name="Welcome")
    contents = [make_content(c.site, chapter, course, position=p) for p in (1, 2)]
    body = c.call(200, f"/chapters/{chapter}").json()
    assert (body["id"], body["name"], body["content_ids"]) == (chapter, "Welcome", contents)
    c.call(404, f"/chapters/{NO_SUCH_ID}")
    foreign_course = make_course(c.other_site)
    c.call(404, f"/chapters/{make_chapter(c.other_site, foreign_course)}")
    c.unauthorized(f"/chapters/{chapter}")


@exercise("GET /chapters/{id}/contents")
def list_chapter_contents(c: Contract) -> None:
    course = make_course(c.site)
    chapter = make_chapter(c.site, course)
    ids = [make_content(c.site, chapter, course, position=p) for p in (1, 2, 3)]
    c.page_through(f"/chapters/{chapter}/contents", ids)
    c.call(404, f"/chapters/{NO_SUCH_ID}/contents")
    c.unauthorized(f"/chapters/{chapter}/contents")
