"""Contract exercises for courses (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import (
    NO_SUCH_ID,
    Contract,
    exercise,
    site_list,
)
from tests.factories import (
    make_chapter,
    make_course,
)

exercise("GET /courses")(site_list("/courses", make_course))


@exercise("GET /courses/{id}")
def get_course(c: Contract) -> None:
    course = make_course(c.site, name="Corporate Course")
    second = make_chapter(c.site, course, position=2)
    first = make_chapter(c.site, course, position=1)
    body = c.call(200, f"/courses/{course}").json()
    assert (body["id"], body["name"], body["chapter_ids"]) == (
        course,
        "Corporate Course",
        [first, second],
    )
    c.call(404, f"/courses/{NO_SUCH_ID}")
    c.call(404, "/courses/abc")
    c.call(404, f"/courses/{make_course(c.other_site)}")
    c.unauthorized(f"/courses/{course}")


@exercise("GET /courses/{id}/chapters")
def list_course_chapters(c: Contract) -> None:
    course = make_course(c.site)
    later = make_chapter(c.site, course, position=3)
    earlier = [make_chapter(c.site, course, position=p) for p in (1, 2)]
    make_chapter(c.site, make_course(c.site), position=1)
    c.page_through(f"/courses/{course}/chapters", [*earlier, later])
    c.call(404, f"/courses/{NO_SUCH_ID}/chapters")
    c.call(404, f"/courses/{make_course(c.other_site)}/chapters")
    c.unauthorized(f"/courses/{course}/chapters")
