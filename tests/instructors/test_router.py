"""HTTP tests for /instructors: https://developers.thinkific.com/api/api-documentation/#/Instructors"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import update

from syllabus.models import Course
from tests.events.helpers import alphabetical, assert_recorded, recorded, topics
from tests.factories import make_course, make_instructor, make_user
from tests.instructors.helpers import count_instructors, instructor_body
from tests.promotions.helpers import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    NOW_TEXT,
    frozen_clock,
    unprocessable,
)
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
)

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)

TAKEN = unprocessable(slug=["has already been taken"])
USER_MISSING = unprocessable(user_id=["must exist"])
ADA = {"first_name": "Ada", "last_name": "Lovelace"}
# Every field of InstructorRequest but user_id, as a client sends them.
FULL = {
    "title": "Countess",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "bio": "Wrote the first program.",
    "slug": "countess-ada",
    "avatar_url": "https://example.com/ada.png",
    "email": "ada@example.com",
}


def make_ada(site: SiteClient, **overrides: Any) -> int:
    return make_instructor(site, **{**ADA, "slug": "ada-lovelace", **overrides})


def created(site: SiteClient, body: dict[str, Any]) -> dict[str, Any]:
    """POST ``body``: it must be a 201 with what a GET then answers."""
    response = site.post("/instructors", json=body)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    assert site.get(f"/instructors/{answer['id']}").json() == answer
    return answer


class TestListInstructors:
    def test_pages_through_the_sites_instructors_only(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        ids = [make_instructor(site) for _ in range(5)]
        make_instructor(other_site)
        assert_five_by_two(site, "/instructors", ids)

    def test_whole_bodies(self, site: SiteClient) -> None:
        user = make_user(site)
        full = make_ada(site, **{**FULL, "user_id": user})
        bare = make_instructor(site, first_name="Alan", last_name="Turing", slug="alan")
        assert site.get("/instructors").json()["items"] == [
            instructor_body(full, **FULL, user_id=user),
            instructor_body(bare, first_name="Alan", last_name="Turing", slug="alan"),
        ]

    def test_a_site_without_instructors(self, site: SiteClient, other_site: SiteClient) -> None:
        make_instructor(other_site)
        assert_answers(site.get("/instructors"), 200, EMPTY_PAGE)

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials(self, site: SiteClient, headers: dict[str, str]) -> None:
        make_instructor(site)
        response = site.http.get("/api/public/v1/instructors", headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestCreateInstructor:
    def test_returns_201_with_the_whole_instructor(self, site: SiteClient) -> None:
        user = make_user(site)
        answer = created(site, {**FULL, "user_id": user})
        expected = instructor_body(answer["id"], **FULL, user_id=user, created_at=NOW_TEXT)
        assert answer == expected
        # No Thinkific topic covers instructors: an internal event, the instructor
        # alphabetically.
        assert_recorded(site, ("instructor.created", alphabetical(expected)))

    def test_only_the_names_are_required_and_the_slug_is_made_from_them(
        self, site: SiteClient
    ) -> None:
        answer = created(site, ADA)
        assert answer == instructor_body(answer["id"], created_at=NOW_TEXT)

    def test_a_made_slug_takes_the_first_free_suffix(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_ada(other_site)  # another site's slugs are no obstacle
        slugs = [created(site, ADA)["slug"] for _ in range(2)]
        make_ada(site, slug="ada-lovelace-4")
        slugs += [created(site, ADA)["slug"] for _ in range(2)]
        assert slugs == ["ada-lovelace", "ada-lovelace-2", "ada-lovelace-3", "ada-lovelace-5"]
        assert created(other_site, ADA)["slug"] == "ada-lovelace-2"

    def test_a_suffix_is_not_a_prefix(self, site: SiteClient) -> None:
        make_ada(site, slug="ada-lovelaces")
        make_ada(site, slug="ada-lovelace-x")
        make_ada(site, slug="ada_lovelace")
        assert created(site, ADA)["slug"] == "ada-lovelace"

    @pytest.mark.parametrize(
        ("first_name", "last_name", "slug"),
        [
            ("Zoë", "O'Brien-Smith", "zoe-o-brien-smith"),
            ("  Jean--Luc ", "Picard_III!", "jean-luc-picard_iii"),
            ("Émile", "Zola & Co.", "emile-zola-co"),
            ("李", "王", "instructor"),
        ],
    )
    def test_the_slug_is_the_name_parameterized(
        self, site: SiteClient, first_name: str, last_name: str, slug: str
    ) -> None:
        answer = created(site, {"first_name": first_name, "last_name": last_name})
        assert (answer["first_name"], answer["last_name"], answer["slug"]) == (
            first_name,
            last_name,
            slug,
        )

    def test_a_slug_made_from_long_names_fits_its_column(self, site: SiteClient) -> None:
        names = {"first_name": "a" * 255, "last_name": "b" * 255}
        first, second = created(site, names), created(site, names)
        assert first["slug"] == "a" * 240
        assert second["slug"] == "a" * 240 + "-2"

    @pytest.mark.parametrize("slug", [None, "", "   "])
    def test_a_null_or_blank_slug_is_made_from_the_name(
        self, site: SiteClient, slug: str | None
    ) -> None:
        assert created(site, {**ADA, "slug": slug})["slug"] == "ada-lovelace"

    def test_a_given_slug_is_kept_as_given(self, site: SiteClient) -> None:
        assert created(site, {**ADA, "slug": "The Countess"})["slug"] == "The Countess"

    def test_a_given_slug_is_unique_on_the_site(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_ada(site, slug="ada")
        make_ada(other_site, slug="countess")
        assert_answers(site.post("/instructors", json={**ADA, "slug": "ada"}), 422, TAKEN)
        assert count_instructors(site) == 1
        assert created(site, {**ADA, "slug": "countess"})["slug"] == "countess"
        # Slugs compare exactly, as the unique constraint does.
        assert created(site, {**ADA, "slug": "ADA"})["slug"] == "ADA"

    def test_user_id_is_a_user_of_the_site(self, site: SiteClient, other_site: SiteClient) -> None:
        for user in (make_user(other_site), NO_SUCH_ID):
            response = site.post("/instructors", json={**ADA, "user_id": user})
            assert_answers(response, 422, USER_MISSING)
        assert count_instructors(site) == 0

    def test_problems_the_service_finds_are_reported_together(self, site: SiteClient) -> None:
        make_ada(site, slug="ada")
        response = site.post("/instructors", json={**ADA, "slug": "ada", "user_id": NO_SUCH_ID})
        assert_answers(
            response,
            422,
            unprocessable(user_id=["must exist"], slug=["has already been taken"]),
        )

    def test_a_blank_email_is_none(self, site: SiteClient) -> None:
        assert created(site, {**ADA, "email": " "})["email"] is None

    @pytest.mark.parametrize(
        ("sent", "errors"),
        [
            ({}, {"first_name": ["can't be blank"], "last_name": ["can't be blank"]}),
            (
                {"first_name": " ", "last_name": None},
                {"first_name": ["can't be blank"], "last_name": ["can't be blank"]},
            ),
            ({**ADA, "email": "ada.example.com"}, {"email": ["is invalid"]}),
            ({**ADA, "email": "ada @example.com"}, {"email": ["is invalid"]}),
            ({**ADA, "user_id": "first"}, {"user_id": ["is not a number"]}),
            ({**ADA, "user_id": 1.5}, {"user_id": ["must be an integer"]}),
            (
                {**ADA, "user_id": 2**63},
                {"user_id": [f"must be less than or equal to {2**63 - 1}"]},
            ),
            (
                {
                    "first_name": "A" * 256,
                    "last_name": "L" * 256,
                    "title": "T" * 256,
                    "slug": "s" * 256,
                    "email": "e" * 250 + "@x.com",
                    "avatar_url": "https://x.com/" + "a" * 2048,
                    "bio": "b" * 65_536,
                },
                {
                    "title": ["is too long (maximum is 255 characters)"],
                    "bio": ["is too long (maximum is 65535 characters)"],
                    "slug": ["is too long (maximum is 255 characters)"],
                    "avatar_url": ["is too long (maximum is 2048 characters)"],
                    "email": ["is too long (maximum is 255 characters)"],
                    "first_name": ["is too long (maximum is 255 characters)"],
                    "last_name": ["is too long (maximum is 255 characters)"],
                },
            ),
            (
                {"first_name": 7, "last_name": ["L"]},
                {"first_name": ["is invalid"], "last_name": ["is invalid"]},
            ),
        ],
    )
    def test_invalid(self, site: SiteClient, sent: dict[str, Any], errors: Any) -> None:
        assert_answers(site.post("/instructors", json=sent), 422, unprocessable(**errors))
        assert count_instructors(site) == 0
        assert recorded(site) == []

    def test_a_form_post(self, site: SiteClient) -> None:
        response = site.post(
            "/instructors",
            content="first_name=Ada&last_name=Lovelace&title=Countess",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 201, response.text
        answer = response.json()
        assert answer == instructor_body(answer["id"], title="Countess", created_at=NOW_TEXT)

    def test_concurrent_creates_of_one_name_each_get_a_slug(self, site: SiteClient) -> None:
        writers = 8

        def create(index: int) -> tuple[int, Any]:
            response = site.post("/instructors", json={**ADA, "bio": f"writer {index}"})
            return response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=writers) as pool:
            results = list(pool.map(create, range(writers)))
        assert [status for status, _ in results] == [201] * writers
        assert sorted(body["slug"] for _, body in results) == sorted(
            ["ada-lovelace"] + [f"ada-lovelace-{n}" for n in range(2, writers + 1)]
        )
        assert count_instructors(site) == writers
        # Each event carries the slug its create ended with.
        events = recorded(site)
        assert sorted(payload["slug"] for _, payload in events) == sorted(
            body["slug"] for _, body in results
        )
        assert topics(site) == ["instructor.created"] * writers

    def test_concurrent_creates_with_one_slug_make_one_instructor(self, site: SiteClient) -> None:
        writers = 8

        def create(index: int) -> tuple[int, Any]:
            response = site.post("/instructors", json={**ADA, "slug": "race"})
            return response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=writers) as pool:
            results = list(pool.map(create, range(writers)))
        assert sorted(status for status, _ in results) == [201] + [422] * (writers - 1)
        assert all(body == TAKEN for status, body in results if status == 422)
        assert count_instructors(site) == 1
        assert topics(site) == ["instructor.created"]

    def test_malformed_bodies_are_400(self, site: SiteClient) -> None:
        assert_answers(site.post("/instructors", json=["Ada"]), 400, NOT_AN_OBJECT)
        response = site.post(
            "/instructors", content=b'{"first_name"', headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["error"].startswith("The request body is not valid JSON")
        assert count_instructors(site) == 0

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.post("/api/public/v1/instructors", json=ADA, headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert count_instructors(site) == 0


class TestGetInstructor:
    def test_the_whole_instructor(self, site: SiteClient) -> None:
        user = make_user(site)
        instructor = make_ada(site, **FULL, user_id=user)
        assert_answers(
            site.get(f"/instructors/{instructor}"),
            200,
            instructor_body(instructor, **FULL, user_id=user),
        )

    @pytest.mark.parametrize(
        "path", [f"/instructors/{NO_SUCH_ID}", "/instructors/abc", "/instructors/-1"]
    )
    def test_unknown_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_another_sites_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/instructors/{make_instructor(other_site)}")

    def test_a_deleted_users_instructor_stays_without_its_user(self, site: SiteClient) -> None:
        user = make_user(site)
        instructor = make_ada(site, user_id=user)
        assert site.delete(f"/users/{user}").status_code == 204
        assert_answers(site.get(f"/instructors/{instructor}"), 200, instructor_body(instructor))

    def test_bad_credentials(self, site: SiteClient) -> None:
        response = site.http.get(f"/api/public/v1/instructors/{make_instructor(site)}")
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestUpdateInstructor:
    def test_changes_only_the_keys_given(self, site: SiteClient) -> None:
        instructor = make_ada(site, **FULL)
        user = make_user(site)
        changes = {"title": "Mathematician", "email": "ada@lovelace.org", "user_id": user}
        response = site.put(f"/instructors/{instructor}", json=changes)
        assert response.status_code == 204
        assert response.content == b""
        expected = instructor_body(instructor, **{**FULL, **changes})
        assert site.get(f"/instructors/{instructor}").json() == expected
        assert_recorded(site, ("instructor.updated", alphabetical(expected)))

    def test_a_new_name_keeps_the_slug(self, site: SiteClient) -> None:
        instructor = make_ada(site)
        body = {"first_name": "Augusta", "last_name": "King"}
        assert site.put(f"/instructors/{instructor}", json=body).status_code == 204
        assert site.get(f"/instructors/{instructor}").json() == instructor_body(instructor, **body)

    def test_null_clears_what_is_optional(self, site: SiteClient) -> None:
        instructor = make_ada(site, **FULL, user_id=make_user(site))
        cleared = {"title": None, "bio": None, "avatar_url": None, "email": None, "user_id": None}
        assert site.put(f"/instructors/{instructor}", json=cleared).status_code == 204
        assert site.get(f"/instructors/{instructor}").json() == instructor_body(
            instructor, slug="countess-ada"
        )

    def test_another_free_slug(self, site: SiteClient) -> None:
        instructor = make_ada(site)
        assert site.put(f"/instructors/{instructor}", json={"slug": "ada"}).status_code == 204
        assert site.get(f"/instructors/{instructor}").json()["slug"] == "ada"

    def test_a_slug_another_instructor_has_is_taken(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_ada(site, slug="taken")
        make_ada(other_site, slug="theirs")
        instructor = make_ada(site, slug="mine")
        response = site.put(f"/instructors/{instructor}", json={"slug": "taken", "title": "Dr"})
        assert_answers(response, 422, TAKEN)
        assert site.get(f"/instructors/{instructor}").json() == instructor_body(
            instructor, slug="mine"
        )
        for slug in ("mine", "theirs"):
            assert site.put(f"/instructors/{instructor}", json={"slug": slug}).status_code == 204
            assert site.get(f"/instructors/{instructor}").json()["slug"] == slug

    @pytest.mark.parametrize("slug", [None, ""])
    def test_a_null_or_blank_slug_is_made_again_from_the_name(
        self, site: SiteClient, slug: str | None
    ) -> None:
        make_ada(site, slug="grace-hopper")
        instructor = make_ada(site, slug="old")
        body = {"first_name": "Grace", "last_name": "Hopper", "slug": slug}
        assert site.put(f"/instructors/{instructor}", json=body).status_code == 204
        expected = instructor_body(
            instructor, first_name="Grace", last_name="Hopper", slug="grace-hopper-2"
        )
        assert site.get(f"/instructors/{instructor}").json() == expected
        # The slug made again is the payload's.
        assert_recorded(site, ("instructor.updated", alphabetical(expected)))

    def test_a_slug_made_again_may_be_its_own(self, site: SiteClient) -> None:
        instructor = make_ada(site)
        assert site.put(f"/instructors/{instructor}", json={"slug": None}).status_code == 204
        assert site.get(f"/instructors/{instructor}").json()["slug"] == "ada-lovelace"

    def test_user_id_is_a_user_of_the_site(self, site: SiteClient, other_site: SiteClient) -> None:
        instructor = make_ada(site)
        for user in (make_user(other_site), NO_SUCH_ID):
            response = site.put(f"/instructors/{instructor}", json={"user_id": user})
            assert_answers(response, 422, USER_MISSING)
        assert site.get(f"/instructors/{instructor}").json() == instructor_body(instructor)

    @pytest.mark.parametrize(
        ("sent", "errors"),
        [
            (
                {"first_name": None, "last_name": None},
                {"first_name": ["can't be blank"], "last_name": ["can't be blank"]},
            ),
            ({"first_name": " ", "last_name": None}, {"first_name": ["can't be blank"]}),
            ({"last_name": None, "title": "Dr"}, {"last_name": ["can't be blank"]}),
            ({"email": "nope"}, {"email": ["is invalid"]}),
            (
                {"user_id": "x", "slug": "s" * 256},
                {
                    "user_id": ["is not a number"],
                    "slug": ["is too long (maximum is 255 characters)"],
                },
            ),
        ],
    )
    def test_invalid(self, site: SiteClient, sent: dict[str, Any], errors: Any) -> None:
        instructor = make_ada(site)
        response = site.put(f"/instructors/{instructor}", json=sent)
        assert_answers(response, 422, unprocessable(**errors))
        assert site.get(f"/instructors/{instructor}").json() == instructor_body(instructor)
        assert recorded(site) == []

    def test_unknown_and_another_sites_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_ada(other_site)
        for path in (f"/instructors/{NO_SUCH_ID}", f"/instructors/{theirs}", "/instructors/x"):
            assert_answers(site.put(path, json={"title": "Dr"}), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/instructors/{theirs}").json() == instructor_body(theirs)
        assert recorded(site) == recorded(other_site) == []

    def test_not_an_object_is_400(self, site: SiteClient) -> None:
        instructor = make_ada(site)
        assert_answers(site.put(f"/instructors/{instructor}", json="Ada"), 400, NOT_AN_OBJECT)

    def test_bad_credentials(self, site: SiteClient) -> None:
        instructor = make_ada(site)
        response = site.http.put(f"/api/public/v1/instructors/{instructor}", json={"title": "E"})
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert site.get(f"/instructors/{instructor}").json() == instructor_body(instructor)


class TestDeleteInstructor:
    def test_deletes_it(self, site: SiteClient) -> None:
        instructor, kept = make_ada(site, **FULL), make_instructor(site)
        response = site.delete(f"/instructors/{instructor}")
        assert response.status_code == 204
        assert response.content == b""
        assert_answers(site.get(f"/instructors/{instructor}"), 404, RECORD_NOT_FOUND)
        assert [item["id"] for item in site.get("/instructors").json()["items"]] == [kept]
        assert_answers(site.delete(f"/instructors/{instructor}"), 404, RECORD_NOT_FOUND)
        # The instructor as it was.
        was = instructor_body(instructor, **FULL)
        assert_recorded(site, ("instructor.deleted", alphabetical(was)))

    def test_a_courses_instructor_is_kept_with_a_422_naming_the_courses(
        self, site: SiteClient
    ) -> None:
        instructor = make_ada(site)
        first = make_course(site, name="Intro to Python", instructor_id=instructor)
        second = make_course(site, name="Analytical Engines", instructor_id=instructor)
        make_course(site, instructor_id=make_instructor(site))
        assert_answers(
            site.delete(f"/instructors/{instructor}"),
            422,
            {
                "errors": {
                    "base": [
                        f"Instructor is the instructor of course {first} (Intro to Python)",
                        f"Instructor is the instructor of course {second} (Analytical Engines)",
                    ]
                }
            },
        )
        assert site.get(f"/instructors/{instructor}").json() == instructor_body(instructor)
        assert site.get(f"/courses/{first}").json()["instructor_id"] == instructor
        assert recorded(site) == []

        def unassign(session: Any) -> None:
            session.execute(
                update(Course).where(Course.instructor_id == instructor).values(instructor_id=None)
            )

        site.db(unassign)
        assert site.delete(f"/instructors/{instructor}").status_code == 204

    def test_unknown_and_another_sites_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_instructor(other_site)
        for path in (f"/instructors/{NO_SUCH_ID}", f"/instructors/{theirs}", "/instructors/x"):
            assert_answers(site.delete(path), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/instructors/{theirs}").status_code == 200
        assert recorded(site) == recorded(other_site) == []

    def test_bad_credentials(self, site: SiteClient) -> None:
        instructor = make_instructor(site)
        response = site.http.delete(f"/api/public/v1/instructors/{instructor}")
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert count_instructors(site) == 1
