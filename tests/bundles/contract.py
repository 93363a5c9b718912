"""Contract exercises for bundles (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import NO_SUCH_ID, NOT_AN_OBJECT, Contract, exercise
from tests.enrollments.contract import enrollment_count
from tests.factories import make_bundle, make_course, make_enrollment, make_user

USER_MISSING = {"errors": ["User could not be found."]}


@exercise("GET /bundles/{id}")
def get_bundle(c: Contract) -> None:
    courses = [make_course(c.site) for _ in range(2)][::-1]
    bundle = make_bundle(c.site, courses, name="Demo Bundle", slug="demo-bundle")
    body = c.call(200, f"/bundles/{bundle}").json()
    assert (body["id"], body["name"], body["slug"], body["course_ids"]) == (
        bundle,
        "Demo Bundle",
        "demo-bundle",
        courses,
    )
    c.call(404, f"/bundles/{NO_SUCH_ID}")
    c.call(404, "/bundles/abc")
    c.call(404, f"/bundles/{make_bundle(c.other_site)}")
    c.unauthorized(f"/bundles/{bundle}")


@exercise("GET /bundles/{id}/courses")
def list_bundle_courses(c: Contract) -> None:
    courses = [make_course(c.site) for _ in range(3)][::-1]
    bundle = make_bundle(c.site, courses)
    make_bundle(c.site, [make_course(c.site), courses[0]])
    c.page_through(f"/bundles/{bundle}/courses", courses)
    c.call(404, f"/bundles/{NO_SUCH_ID}/courses")
    c.call(404, f"/bundles/{make_bundle(c.other_site, [make_course(c.other_site)])}/courses")
    c.unauthorized(f"/bundles/{bundle}/courses")


@exercise("GET /bundles/{id}/enrollments")
def list_bundle_enrollments(c: Contract) -> None:
    courses = [make_course(c.site) for _ in range(2)]
    bundle = make_bundle(c.site, courses)
    users = [make_user(c.site) for _ in range(3)]
    ids = [make_enrollment(c.site, user, courses[n % 2]) for n, user in enumerate(users)]
    make_enrollment(c.site, users[0], make_course(c.site))
    c.page_through(f"/bundles/{bundle}/enrollments", ids)
    mine = c.call(200, f"/bundles/{bundle}/enrollments?query[user_id]={users[1]}").json()
    assert [item["id"] for item in mine["items"]] == [ids[1]]
    c.call(404, f"/bundles/{NO_SUCH_ID}/enrollments")
    c.call(404, f"/bundles/{make_bundle(c.other_site)}/enrollments")
    c.unauthorized(f"/bundles/{bundle}/enrollments")


@exercise("POST /bundles/{id}/enrollments")
def create_enrollment_in_bundle(c: Contract) -> None:
    courses = [make_course(c.site) for _ in range(2)]
    bundle, user = make_bundle(c.site, courses), make_user(c.site)
    path = f"/bundles/{bundle}/enrollments"
    c.unauthorized(path, json={"user_id": user})
    response = c.call(201, path, json={"user_id": user, "activated_at": "2025-01-10T09:00:00Z"})
    assert response.content == b""
    listed = c.site.get(path).json()["items"]
    assert [(e["user_id"], e["course_id"], e["is_free_trial"]) for e in listed] == [
        (user, course, False) for course in courses
    ]
    c.call(422, path, json={"user_id": NO_SUCH_ID}, expect=USER_MISSING)
    c.call(
        422,
        path,
        json={"user_id": user, "expiry_date": "soon"},
        expect={"errors": {"expiry_date": ["is invalid"]}},
    )
    c.call(400, path, json=[user], expect=NOT_AN_OBJECT)
    c.call(404, f"/bundles/{NO_SUCH_ID}/enrollments", json={"user_id": user})
    c.call(404, f"/bundles/{make_bundle(c.other_site)}/enrollments", json={"user_id": user})
    assert enrollment_count(c.site) == 2


@exercise("PUT /bundles/{id}/enrollments")
def update_enrollments_in_bundle(c: Contract) -> None:
    courses = [make_course(c.site) for _ in range(2)]
    bundle, user = make_bundle(c.site, courses), make_user(c.site)
    for course in courses:
        make_enrollment(c.site, user, course)
    path = f"/bundles/{bundle}/enrollments"
    c.unauthorized(path, json={"user_id": user, "expiry_date": "2000-01-01T00:00:00Z"})
    assert [e["expired"] for e in c.site.get(path).json()["items"]] == [False, False]
    response = c.call(204, path, json={"user_id": user, "expiry_date": "2001-02-03T04:05:06Z"})
    assert response.content == b""
    assert [e["expired"] for e in c.site.get(path).json()["items"]] == [True, True]
    c.call(422, path, json={"user_id": NO_SUCH_ID}, expect=USER_MISSING)
    c.call(
        422,
        path,
        json={"user_id": user, "activated_at": "soon"},
        expect={"errors": {"activated_at": ["is invalid"]}},
    )
    c.call(400, path, json="user_id", expect=NOT_AN_OBJECT)
    c.call(404, path, json={"user_id": make_user(c.site)})
    c.call(404, f"/bundles/{NO_SUCH_ID}/enrollments", json={"user_id": user})
