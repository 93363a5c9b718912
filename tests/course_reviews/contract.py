"""Contract exercises for course reviews (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    Contract,
    exercise,
    is_invalid_json_error,
)
from tests.course_reviews.helpers import REVIEW, count_reviews
from tests.factories import make_course, make_course_review, make_user

REQUIRED = {"error": "Parameter course_id is required."}


@exercise("GET /course_reviews")
def list_course_reviews(c: Contract) -> None:
    course, user = make_course(c.site), make_user(c.site)
    ids = [make_course_review(c.site, course, user, approved=n != 1) for n in range(3)]
    make_course_review(c.site, make_course(c.site), user)
    make_course_review(c.other_site, make_course(c.other_site), make_user(c.other_site))
    c.page_through(f"/course_reviews?course_id={course}", ids)
    approved = c.call(200, f"/course_reviews?course_id={course}&approved=true").json()
    assert [item["id"] for item in approved["items"]] == [ids[0], ids[2]]
    in_body = c.call(200, "/course_reviews", json={"course_id": course, "approved": False}).json()
    assert [item["id"] for item in in_body["items"]] == [ids[1]]
    c.call(400, "/course_reviews", expect=REQUIRED)
    c.call(404, f"/course_reviews?course_id={make_course(c.other_site)}")
    c.unauthorized(f"/course_reviews?course_id={course}")


@exercise("POST /course_reviews")
def create_course_review(c: Contract) -> None:
    course, user = make_course(c.site), make_user(c.site)
    path = f"/course_reviews?course_id={course}"
    created = c.call(201, path, json={**REVIEW, "user_id": user}).json()
    assert (created["course_id"], created["user_id"], created["rating"]) == (course, user, 4)
    assert c.site.get(f"/course_reviews/{created['id']}").json() == created
    in_body = c.call(
        201, "/course_reviews", json={**REVIEW, "user_id": user, "course_id": course}
    ).json()
    assert in_body["course_id"] == course
    c.call(
        422,
        path,
        json={**REVIEW, "user_id": user, "rating": 6, "title": ""},
        expect={
            "errors": {"rating": ["must be less than or equal to 5"], "title": ["can't be blank"]}
        },
    )
    c.call(
        422,
        path,
        json={**REVIEW, "user_id": make_user(c.other_site)},
        expect={"errors": {"user_id": ["must exist"]}},
    )
    c.call(400, path, json=[REVIEW], expect=NOT_AN_OBJECT)
    c.call(
        400,
        path,
        content=b'{"rating": ',
        headers={"Content-Type": "application/json"},
        expect=is_invalid_json_error,
    )
    c.call(400, "/course_reviews", json={**REVIEW, "user_id": user}, expect=REQUIRED)
    c.call(404, f"/course_reviews?course_id={NO_SUCH_ID}", json={**REVIEW, "user_id": user})
    c.unauthorized(path, json={**REVIEW, "user_id": user})
    assert count_reviews(c.site) == 2


@exercise("GET /course_reviews/{id}")
def get_course_review(c: Contract) -> None:
    course, user = make_course(c.site), make_user(c.site)
    review = make_course_review(c.site, course, user, rating=5)
    body = c.call(200, f"/course_reviews/{review}").json()
    assert (body["id"], body["course_id"], body["user_id"], body["rating"]) == (
        review,
        course,
        user,
        5,
    )
    c.call(404, f"/course_reviews/{NO_SUCH_ID}")
    c.call(404, "/course_reviews/abc")
    other = make_course_review(c.other_site, make_course(c.other_site), make_user(c.other_site))
    c.call(404, f"/course_reviews/{other}")
    c.unauthorized(f"/course_reviews/{review}")
