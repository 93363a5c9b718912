"""Contract exercises for enrollments (see tests/contract/harness.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from syllabus.models import Enrollment
from tests.contract.harness import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    Contract,
    exercise,
)
from tests.factories import (
    make_course,
    make_enrollment,
    make_user,
)
from tests.support import SiteClient


def enrollment_count(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(Enrollment.site_id == site.id)))


@exercise("GET /enrollments")
def list_enrollments(c: Contract) -> None:
    course = make_course(c.site)
    users = [make_user(c.site) for _ in range(3)]
    ids = [make_enrollment(c.site, user, course) for user in users]
    make_enrollment(c.other_site, make_user(c.other_site), make_course(c.other_site))
    c.page_through("/enrollments", ids)
    mine = c.call(200, f"/enrollments?query[user_id]={users[1]}").json()
    assert [item["id"] for item in mine["items"]] == [ids[1]]
    c.unauthorized("/enrollments")


@exercise("POST /enrollments")
def create_enrollment(c: Contract) -> None:
    course, user = make_course(c.site), make_user(c.site)
    created = c.call(
        201,
        "/enrollments",
        json={"course_id": course, "user_id": user, "activated_at": "2025-01-10T09:00:00Z"},
    ).json()
    assert (created["course_id"], created["user_id"], created["is_free_trial"]) == (
        course,
        user,
        False,
    )
    assert c.site.get(f"/enrollments/{created['id']}").json() == created
    c.call(
        422,
        "/enrollments",
        json={"course_id": NO_SUCH_ID, "user_id": NO_SUCH_ID},
        expect={"errors": ["Course could not be found.", "User could not be found."]},
    )
    c.call(
        422,
        "/enrollments",
        json={"course_id": course, "user_id": user},
        expect={"errors": {"user_id": ["is already enrolled in this course"]}},
    )
    c.call(400, "/enrollments", json=[course, user], expect=NOT_AN_OBJECT)
    c.unauthorized("/enrollments", json={"course_id": course, "user_id": make_user(c.site)})
    assert enrollment_count(c.site) == 1


@exercise("GET /enrollments/{id}")
def get_enrollment(c: Contract) -> None:
    course, user = make_course(c.site, name="Algebra"), make_user(c.site, email="al@example.com")
    enrollment = make_enrollment(c.site, user, course)
    body = c.call(200, f"/enrollments/{enrollment}").json()
    assert (body["id"], body["user_email"], body["course_name"], body["expired"]) == (
        enrollment,
        "al@example.com",
        "Algebra",
        False,
    )
    c.call(404, f"/enrollments/{NO_SUCH_ID}")
    c.call(404, "/enrollments/abc")
    foreign = make_enrollment(c.other_site, make_user(c.other_site), make_course(c.other_site))
    c.call(404, f"/enrollments/{foreign}")
    c.unauthorized(f"/enrollments/{enrollment}")


@exercise("PUT /enrollments/{id}")
def update_enrollment(c: Contract) -> None:
    enrollment = make_enrollment(c.site, make_user(c.site), make_course(c.site))
    c.unauthorized(f"/enrollments/{enrollment}", json={"expiry_date": "2000-01-01T00:00:00Z"})
    assert c.site.get(f"/enrollments/{enrollment}").json()["expired"] is False
    response = c.call(
        204, f"/enrollments/{enrollment}", json={"expiry_date": "2001-02-03T04:05:06Z"}
    )
    assert response.content == b""
    after = c.site.get(f"/enrollments/{enrollment}").json()
    assert (after["expiry_date"], after["expired"]) == ("2001-02-03T04:05:06.000Z", True)
    c.call(
        422,
        f"/enrollments/{enrollment}",
        json={"expiry_date": "not a date"},
        expect={"errors": {"expiry_date": ["is invalid"]}},
    )
    c.call(400, f"/enrollments/{enrollment}", json="expiry_date", expect=NOT_AN_OBJECT)
    c.call(404, f"/enrollments/{NO_SUCH_ID}", json={"expiry_date": "2000-01-01T00:00:00Z"})
