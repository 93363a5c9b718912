"""HTTP tests for /course_reviews:
https://developers.thinkific.com/api/api-documentation/#/Course%20Reviews"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.course_reviews.helpers import REVIEW, count_reviews, review_body
from tests.events.helpers import alphabetical, assert_recorded, recorded
from tests.factories import make_course, make_course_review, make_user
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

COURSE_ID_REQUIRED = {"error": "Parameter course_id is required."}
COURSE_ID_INVALID = {"error": "Parameter course_id is invalid."}
BLANK = ["can't be blank"]


@dataclass
class OfCourse(SiteClient):
    """A site whose GETs all name the course in a JSON body, which the body layer merges into
    the query string: the shared page walk sends ``params``, and those would replace a query
    string in the path."""

    course_id: int = 0

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return super().get(path, json={"course_id": self.course_id}, **kwargs)


def listed(site: SiteClient, course_id: int, **params: Any) -> list[int]:
    """The ids the list answers for the course with these parameters."""
    response = site.get("/course_reviews", params={"course_id": course_id, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


class TestListCourseReviews:
    def test_pages_through_the_courses_reviews_only(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        course, user = make_course(site), make_user(site)
        ids = [make_course_review(site, course, user) for _ in range(5)]
        make_course_review(site, make_course(site), user)
        make_course_review(other_site, make_course(other_site), make_user(other_site))
        assert_five_by_two(OfCourse(**vars(site), course_id=course), "/course_reviews", ids)

    def test_whole_bodies(self, site: SiteClient) -> None:
        course, first, second = make_course(site), make_user(site), make_user(site)
        good = make_course_review(site, course, first)
        poor = make_course_review(
            site, course, second, rating=1, title="Meh", review_text="Too fast.", approved=False
        )
        assert site.get("/course_reviews", params={"course_id": course}).json()["items"] == [
            review_body(good, course, first),
            review_body(
                poor, course, second, rating=1, title="Meh", review_text="Too fast.", approved=False
            ),
        ]

    @pytest.mark.parametrize(
        ("approved", "wanted"),
        [
            ("true", "approved"),
            ("True", "approved"),
            ("1", "approved"),
            ("false", "pending"),
            ("0", "pending"),
            ("no", "pending"),
            ("maybe", "all"),
            ("", "all"),
        ],
    )
    def test_the_approved_filter(self, site: SiteClient, approved: str, wanted: str) -> None:
        course, user = make_course(site), make_user(site)
        ids = {
            True: [make_course_review(site, course, user, approved=True) for _ in range(2)],
            False: [make_course_review(site, course, user, approved=False) for _ in range(2)],
        }
        make_course_review(site, make_course(site), user, approved=True)
        expected = {
            "approved": ids[True],
            "pending": ids[False],
            "all": sorted(ids[True] + ids[False]),
        }[wanted]
        assert listed(site, course, approved=approved) == expected

    def test_the_approved_filter_in_the_body(self, site: SiteClient) -> None:
        course, user = make_course(site), make_user(site)
        make_course_review(site, course, user, approved=True)
        pending = make_course_review(site, course, user, approved=False)
        body = site.get("/course_reviews", json={"course_id": course, "approved": False}).json()
        assert [item["id"] for item in body["items"]] == [pending]

    def test_a_course_without_reviews(self, site: SiteClient) -> None:
        response = site.get("/course_reviews", params={"course_id": make_course(site)})
        assert_answers(response, 200, EMPTY_PAGE)

    def test_course_id_is_required(self, site: SiteClient) -> None:
        assert_answers(site.get("/course_reviews"), 400, COURSE_ID_REQUIRED)
        assert_answers(site.get("/course_reviews?approved=true"), 400, COURSE_ID_REQUIRED)
        assert_answers(site.get("/course_reviews?course_id=abc"), 400, COURSE_ID_INVALID)
        response = site.get("/course_reviews", json={"course_id": "first"})
        assert_answers(response, 400, COURSE_ID_INVALID)

    def test_unknown_and_another_sites_course_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_course(other_site)
        make_course_review(other_site, theirs, make_user(other_site))
        for course in (NO_SUCH_ID, theirs, -1, 2**70):
            response = site.get("/course_reviews", params={"course_id": course})
            assert_answers(response, 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials(self, site: SiteClient, headers: dict[str, str]) -> None:
        path = f"/api/public/v1/course_reviews?course_id={make_course(site)}"
        assert_answers(site.http.get(path, headers=headers), 401, AUTHENTICATION_ERROR)


class TestCreateCourseReview:
    def test_returns_201_with_the_whole_review(self, site: SiteClient) -> None:
        course, user = make_course(site), make_user(site)
        response = site.post(
            f"/course_reviews?course_id={course}", json={**REVIEW, "user_id": user}
        )
        assert response.status_code == 201
        created = response.json()
        assert created == review_body(created["id"], course, user, created_at=NOW_TEXT)
        assert site.get(f"/course_reviews/{created['id']}").json() == created
        assert site.get("/course_reviews", params={"course_id": course}).json()["items"] == [
            created
        ]
        # No Thinkific topic covers reviews: an internal event, the review alphabetically.
        expected = review_body(created["id"], course, user, created_at=NOW_TEXT)
        assert_recorded(site, ("course_review.created", alphabetical(expected)))

    def test_an_unapproved_review_of_a_course_without_reviews_enabled(
        self, site: SiteClient
    ) -> None:
        course, user = make_course(site, reviews_enabled=False), make_user(site)
        sent = {
            "rating": 1,
            "title": "No",
            "review_text": "Nope.",
            "user_id": user,
            "approved": False,
        }
        created = site.post(f"/course_reviews?course_id={course}", json=sent).json()
        assert created == review_body(
            created["id"],
            course,
            user,
            rating=1,
            title="No",
            review_text="Nope.",
            approved=False,
            created_at=NOW_TEXT,
        )
        assert listed(site, course, approved="false") == [created["id"]]

    @pytest.mark.parametrize(
        "placement", ["query", "json", "form"], ids=["in-query", "in-json-body", "in-form-body"]
    )
    def test_course_id_in_the_query_or_the_body(self, site: SiteClient, placement: str) -> None:
        course, user = make_course(site), make_user(site)
        sent = {**REVIEW, "user_id": user}
        if placement == "query":
            response = site.post(f"/course_reviews?course_id={course}", json=sent)
        elif placement == "json":
            response = site.post("/course_reviews", json={**sent, "course_id": course})
        else:
            response = site.post(
                "/course_reviews",
                content=(
                    f"course_id={course}&user_id={user}&rating=4&title=My+Review"
                    "&review_text=It+was+great%21&approved=true"
                ),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        assert response.status_code == 201, response.text
        created = response.json()
        assert created == review_body(created["id"], course, user, created_at=NOW_TEXT)

    def test_the_body_wins_over_the_query(self, site: SiteClient) -> None:
        query, body, user = make_course(site), make_course(site), make_user(site)
        response = site.post(
            f"/course_reviews?course_id={query}",
            json={**REVIEW, "user_id": user, "course_id": body},
        )
        assert response.json()["course_id"] == body

    @pytest.mark.parametrize(
        ("values", "stored"),
        [
            ({"rating": "5", "approved": "false"}, {"rating": 5, "approved": False}),
            ({"rating": 1.0, "approved": 0}, {"rating": 1, "approved": False}),
            ({"rating": 3, "approved": "1"}, {"rating": 3, "approved": True}),
        ],
    )
    def test_numbers_and_booleans_as_clients_send_them(
        self, site: SiteClient, values: dict[str, Any], stored: dict[str, Any]
    ) -> None:
        course, user = make_course(site), make_user(site)
        sent = {**REVIEW, "user_id": str(user), **values}
        created = site.post(f"/course_reviews?course_id={course}", json=sent).json()
        assert created == review_body(created["id"], course, user, created_at=NOW_TEXT, **stored)

    @pytest.mark.parametrize(
        ("sent", "errors"),
        [
            (
                {},
                {
                    "rating": BLANK,
                    "title": BLANK,
                    "review_text": BLANK,
                    "user_id": BLANK,
                    "approved": BLANK,
                },
            ),
            (
                {"rating": None, "title": " ", "review_text": "", "approved": None},
                {
                    "rating": BLANK,
                    "title": BLANK,
                    "review_text": BLANK,
                    "user_id": BLANK,
                    "approved": BLANK,
                },
            ),
            ({**REVIEW, "rating": 0}, {"rating": ["must be greater than or equal to 1"]}),
            ({**REVIEW, "rating": 6}, {"rating": ["must be less than or equal to 5"]}),
            ({**REVIEW, "rating": 4.5}, {"rating": ["must be an integer"]}),
            ({**REVIEW, "rating": "great"}, {"rating": ["is not a number"]}),
            ({**REVIEW, "approved": "maybe"}, {"approved": ["is invalid"]}),
            (
                {**REVIEW, "title": "t" * 256, "review_text": "r" * 65_536},
                {
                    "title": ["is too long (maximum is 255 characters)"],
                    "review_text": ["is too long (maximum is 65535 characters)"],
                },
            ),
            ({**REVIEW, "review_text": "   "}, {"review_text": BLANK}),
        ],
    )
    def test_invalid(self, site: SiteClient, sent: dict[str, Any], errors: Any) -> None:
        course, user = make_course(site), make_user(site)
        body = {"user_id": user, **sent} if "user_id" not in errors else sent
        response = site.post(f"/course_reviews?course_id={course}", json=body)
        assert_answers(response, 422, unprocessable(**errors))
        assert count_reviews(site) == 0
        assert recorded(site) == []

    @pytest.mark.parametrize(
        ("user_id", "message"),
        [("someone", "is not a number"), (2**63, f"must be less than or equal to {2**63 - 1}")],
    )
    def test_an_unparseable_user_id(self, site: SiteClient, user_id: Any, message: str) -> None:
        path = f"/course_reviews?course_id={make_course(site)}"
        response = site.post(path, json={**REVIEW, "user_id": user_id})
        assert_answers(response, 422, unprocessable(user_id=[message]))

    def test_the_user_is_one_of_the_sites(self, site: SiteClient, other_site: SiteClient) -> None:
        course = make_course(site)
        for user in (make_user(other_site), NO_SUCH_ID):
            response = site.post(
                f"/course_reviews?course_id={course}", json={**REVIEW, "user_id": user}
            )
            assert_answers(response, 422, unprocessable(user_id=["must exist"]))
        assert count_reviews(site) == count_reviews(other_site) == 0
        assert recorded(site) == recorded(other_site) == []

    def test_unknown_and_another_sites_course_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        user = make_user(site)
        for course in (NO_SUCH_ID, make_course(other_site)):
            response = site.post(
                f"/course_reviews?course_id={course}", json={**REVIEW, "user_id": user}
            )
            assert_answers(response, 404, RECORD_NOT_FOUND)
        assert count_reviews(site) == count_reviews(other_site) == 0
        assert recorded(site) == recorded(other_site) == []

    def test_course_id_is_required(self, site: SiteClient) -> None:
        sent = {**REVIEW, "user_id": make_user(site)}
        assert_answers(site.post("/course_reviews", json=sent), 400, COURSE_ID_REQUIRED)
        response = site.post("/course_reviews", json={**sent, "course_id": "first"})
        assert_answers(response, 400, COURSE_ID_INVALID)
        assert count_reviews(site) == 0

    def test_malformed_bodies_are_400(self, site: SiteClient) -> None:
        path = f"/course_reviews?course_id={make_course(site)}"
        assert_answers(site.post(path, json=["rating"]), 400, NOT_AN_OBJECT)
        response = site.post(
            path, content=b'{"rating"', headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["error"].startswith("The request body is not valid JSON")

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials(self, site: SiteClient, headers: dict[str, str]) -> None:
        course, user = make_course(site), make_user(site)
        path = f"/api/public/v1/course_reviews?course_id={course}"
        response = site.http.post(path, json={**REVIEW, "user_id": user}, headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert count_reviews(site) == 0


class TestGetCourseReview:
    def test_the_whole_review(self, site: SiteClient) -> None:
        course, user = make_course(site), make_user(site)
        review = make_course_review(site, course, user, rating=5, approved=False)
        assert_answers(
            site.get(f"/course_reviews/{review}"),
            200,
            review_body(review, course, user, rating=5, approved=False),
        )

    @pytest.mark.parametrize(
        "path", [f"/course_reviews/{NO_SUCH_ID}", "/course_reviews/abc", "/course_reviews/-1"]
    )
    def test_unknown_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_another_sites_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_course_review(other_site, make_course(other_site), make_user(other_site))
        assert_only_theirs(site, other_site, f"/course_reviews/{theirs}")

    def test_a_deleted_users_reviews_go_with_them(self, site: SiteClient) -> None:
        course, user = make_course(site), make_user(site)
        review = make_course_review(site, course, user)
        assert site.delete(f"/users/{user}").status_code == 204
        assert_answers(site.get(f"/course_reviews/{review}"), 404, RECORD_NOT_FOUND)

    def test_bad_credentials(self, site: SiteClient) -> None:
        review = make_course_review(site, make_course(site), make_user(site))
        response = site.http.get(f"/api/public/v1/course_reviews/{review}")
        assert_answers(response, 401, AUTHENTICATION_ERROR)
