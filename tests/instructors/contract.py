"""Contract exercises for instructors (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    Contract,
    exercise,
    is_invalid_json_error,
    site_list,
)
from tests.factories import make_course, make_instructor, make_user
from tests.instructors.helpers import count_instructors

ADA = {"first_name": "Ada", "last_name": "Lovelace"}
TAKEN = {"errors": {"slug": ["has already been taken"]}}

exercise("GET /instructors")(site_list("/instructors", make_instructor))


@exercise("POST /instructors")
def create_instructor(c: Contract) -> None:
    user = make_user(c.site)
    created = c.call(201, "/instructors", json={**ADA, "user_id": user}).json()
    assert (created["slug"], created["user_id"]) == ("ada-lovelace", user)
    assert c.site.get(f"/instructors/{created['id']}").json() == created
    assert c.call(201, "/instructors", json=ADA).json()["slug"] == "ada-lovelace-2"
    c.call(422, "/instructors", json={**ADA, "slug": "ada-lovelace"}, expect=TAKEN)
    c.call(
        422,
        "/instructors",
        json={"email": "nope"},
        expect={
            "errors": {
                "email": ["is invalid"],
                "first_name": ["can't be blank"],
                "last_name": ["can't be blank"],
            }
        },
    )
    c.call(
        422,
        "/instructors",
        json={**ADA, "user_id": make_user(c.other_site)},
        expect={"errors": {"user_id": ["must exist"]}},
    )
    c.call(400, "/instructors", json=["Ada"], expect=NOT_AN_OBJECT)
    c.call(
        400,
        "/instructors",
        content=b'{"first_name": ',
        headers={"Content-Type": "application/json"},
        expect=is_invalid_json_error,
    )
    c.unauthorized("/instructors", json=ADA)
    assert count_instructors(c.site) == 2


@exercise("GET /instructors/{id}")
def get_instructor(c: Contract) -> None:
    instructor = make_instructor(c.site, first_name="Ada", title="Countess")
    body = c.call(200, f"/instructors/{instructor}").json()
    assert (body["id"], body["first_name"], body["title"]) == (instructor, "Ada", "Countess")
    c.call(404, f"/instructors/{NO_SUCH_ID}")
    c.call(404, "/instructors/abc")
    c.call(404, f"/instructors/{make_instructor(c.other_site)}")
    c.unauthorized(f"/instructors/{instructor}")


@exercise("PUT /instructors/{id}")
def update_instructor(c: Contract) -> None:
    make_instructor(c.site, slug="taken")
    instructor = make_instructor(c.site, slug="mine", bio="Kept")
    response = c.call(204, f"/instructors/{instructor}", json={"title": "Dr", "slug": "new"})
    assert response.content == b""
    after = c.site.get(f"/instructors/{instructor}").json()
    assert (after["title"], after["slug"], after["bio"]) == ("Dr", "new", "Kept")
    c.call(422, f"/instructors/{instructor}", json={"slug": "taken"}, expect=TAKEN)
    c.call(
        422,
        f"/instructors/{instructor}",
        json={"first_name": None},
        expect={"errors": {"first_name": ["can't be blank"]}},
    )
    c.call(400, f"/instructors/{instructor}", json=[], expect=NOT_AN_OBJECT)
    c.call(404, f"/instructors/{NO_SUCH_ID}", json={"title": "X"})
    foreign = make_instructor(c.other_site, title="Theirs")
    c.call(404, f"/instructors/{foreign}", json={"title": "Mine"})
    assert c.other_site.get(f"/instructors/{foreign}").json()["title"] == "Theirs"
    c.unauthorized(f"/instructors/{instructor}", json={"title": "Eve"})
    assert c.site.get(f"/instructors/{instructor}").json() == after


@exercise("DELETE /instructors/{id}")
def delete_instructor(c: Contract) -> None:
    instructor = make_instructor(c.site)
    c.unauthorized(f"/instructors/{instructor}")
    assert c.call(204, f"/instructors/{instructor}").content == b""
    c.call(404, f"/instructors/{instructor}")
    teaching = make_instructor(c.site)
    course = make_course(c.site, name="Intro to Python", instructor_id=teaching)
    c.call(
        422,
        f"/instructors/{teaching}",
        expect={
            "errors": {
                "base": [f"Instructor is the instructor of course {course} (Intro to Python)"]
            }
        },
    )
    c.call(404, f"/instructors/{make_instructor(c.other_site)}")
    assert count_instructors(c.site) == count_instructors(c.other_site) == 1
