"""HTTP tests for /courses: https://developers.thinkific.com/api/api-documentation/#/Courses"""

from __future__ import annotations

from typing import Any

import pytest

from syllabus.models import Course
from tests.courses.helpers import (
    WRONG_KEYS,
    assert_rejected,
    bulk_courses,
    chapter_body,
    count_statements,
    upstream_properties,
)
from tests.factories import (
    add_course_admin,
    make_chapter,
    make_content,
    make_course,
    make_instructor,
    make_user,
)
from tests.support import (
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
    overridden,
    pagination,
)


def course_body(course_id: int, name: str, slug: str, **overrides: Any) -> dict[str, Any]:
    """A course as Thinkific sends it: every key, in the spec's order, null when empty."""
    body: dict[str, Any] = {
        "id": course_id,
        "name": name,
        "slug": slug,
        "subtitle": None,
        "product_id": None,
        "description": None,
        "course_card_text": None,
        "intro_video_youtube": None,
        "contact_information": None,
        "keywords": None,
        "duration": None,
        "banner_image_url": None,
        "course_card_image_url": None,
        "intro_video_wistia_identifier": None,
        "administrator_user_ids": [],
        "chapter_ids": [],
        "reviews_enabled": False,
        "user_id": None,
        "instructor_id": None,
    }
    return overridden(body, overrides)


def bare_course(site: SiteClient, name: str) -> tuple[int, dict[str, Any]]:
    """A course with no product, and the body it should have."""
    slug = name.lower().replace(" ", "-")
    course = make_course(site, name=name, slug=slug, with_product=False)
    return course, course_body(course, name, slug)


class TestGetCourse:
    def test_returns_every_field(self, site: SiteClient) -> None:
        owner = make_user(site)
        instructor = make_instructor(site)
        # Every stored field comes back as it was written.
        stored: dict[str, Any] = {
            "subtitle": "A subtitle",
            "description": "<p>Learn things</p>",
            "course_card_text": "Card text",
            "intro_video_youtube": "yt123",
            "contact_information": "help@example.com",
            "keywords": "learn,things",
            "duration": "3 hours",
            "banner_image_url": "/assets/tenant/default-course-banner.jpg",
            "course_card_image_url": "https://cdn.example.com/card.png",
            "intro_video_wistia_identifier": "wistia01",
            "reviews_enabled": True,
            "user_id": owner,
            "instructor_id": instructor,
        }
        course = make_course(site, name="Corporate Course", slug="your-first-course", **stored)
        product_id = site.db(lambda s: s.get(Course, course).product_id)
        # Chapters out of position order, and two sharing a position (then by id).
        third = make_chapter(site, course, position=3)
        first = make_chapter(site, course, position=1)
        second_a = make_chapter(site, course, position=2)
        second_b = make_chapter(site, course, position=2)
        # Administrators inserted out of order come back ascending.
        admin_high, admin_low = make_user(site), make_user(site)
        add_course_admin(site, course, admin_high)
        add_course_admin(site, course, admin_low)
        expected_admins = sorted([admin_high, admin_low])

        response = site.get(f"/courses/{course}")

        assert response.status_code == 200
        body = response.json()
        assert body == course_body(
            course,
            "Corporate Course",
            "your-first-course",
            product_id=product_id,
            administrator_user_ids=expected_admins,
            chapter_ids=[first, second_a, second_b, third],
            **stored,
        )
        assert list(body) == list(course_body(0, "", ""))
        assert isinstance(product_id, int)

    def test_empty_values_are_null_and_empty_lists(self, site: SiteClient) -> None:
        course, expected = bare_course(site, "Bare Course")
        assert_answers(site.get(f"/courses/{course}"), 200, expected)

    def test_other_courses_chapters_and_admins_are_not_included(self, site: SiteClient) -> None:
        course, expected = bare_course(site, "Mine")
        other = make_course(site)
        make_chapter(site, other)
        add_course_admin(site, other, make_user(site))
        assert site.get(f"/courses/{course}").json() == expected

    @pytest.mark.parametrize(
        "path",
        [
            "/courses/0",
            "/courses/-1",
            "/courses/abc",
            "/courses/1.5",
            "/courses/99999999999999999999999",
            "/courses/9223372036854775807",
        ],
    )
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_deleted_course_id_is_404(self, site: SiteClient) -> None:
        course = make_course(site, with_product=False)
        site.db(lambda s: s.delete(s.get(Course, course)))
        assert_answers(site.get(f"/courses/{course}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_course_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_course(other_site)
        assert_only_theirs(site, other_site, f"/courses/{theirs}")


class TestListCourses:
    def test_empty(self, site: SiteClient) -> None:
        assert_answers(site.get("/courses"), 200, EMPTY_PAGE)

    def test_whole_items_in_ascending_id_order(self, site: SiteClient) -> None:
        first, first_body = bare_course(site, "First Course")
        second, second_body = bare_course(site, "Second Course")
        chapter = make_chapter(site, second)
        admin = make_user(site)
        add_course_admin(site, second, admin)
        second_body.update(chapter_ids=[chapter], administrator_user_ids=[admin])

        response = site.get("/courses")

        assert response.status_code == 200
        assert response.json() == {
            "items": [first_body, second_body],
            "meta": {"pagination": pagination(1, 25, 2, 2)},
        }
        assert first < second

    def test_pages(self, site: SiteClient) -> None:
        ids = [make_course(site, with_product=False) for _ in range(5)]
        assert_five_by_two(site, "/courses", ids)

    def test_beyond_the_last_page(self, site: SiteClient) -> None:
        for _ in range(3):
            make_course(site, with_product=False)
        response = site.get("/courses", params={"limit": 2, "page": 7})
        assert response.status_code == 200
        assert response.json() == {
            "items": [],
            "meta": {
                "pagination": {
                    "current_page": 7,
                    "next_page": None,
                    "prev_page": None,
                    "total_pages": 2,
                    "total_items": 3,
                    "entries_info": "0-0 of 3",
                }
            },
        }

    def test_default_limit_is_25(self, site: SiteClient) -> None:
        ids = bulk_courses(site, 26)
        body = site.get("/courses").json()
        assert [c["id"] for c in body["items"]] == ids[:25]
        assert body["meta"]["pagination"] == pagination(1, 25, 26, 25)

    def test_limit_above_250_is_clamped(self, site: SiteClient) -> None:
        ids = bulk_courses(site, 251)
        response = site.get("/courses", params={"limit": 1000})
        assert response.status_code == 200
        body = response.json()
        assert [c["id"] for c in body["items"]] == ids[:250]
        assert body["meta"]["pagination"] == pagination(1, 250, 251, 250)

    @pytest.mark.parametrize("limit", ["0", "-5", "many"])
    def test_unusable_limit_means_25(self, site: SiteClient, limit: str) -> None:
        bulk_courses(site, 26)
        body = site.get("/courses", params={"limit": limit}).json()
        assert body["meta"]["pagination"] == pagination(1, 25, 26, 25)

    def test_other_sites_courses_are_invisible(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_course(other_site)
        mine = make_course(site)
        body = site.get("/courses").json()
        assert [c["id"] for c in body["items"]] == [mine]
        assert body["meta"]["pagination"]["total_items"] == 1

    def test_a_page_costs_the_same_number_of_queries_whatever_its_size(
        self, site: SiteClient
    ) -> None:
        def populate(count: int) -> None:
            for _ in range(count):
                course = make_course(site)
                for _ in range(2):
                    make_chapter(site, course)
                add_course_admin(site, course, make_user(site))

        populate(1)
        with count_statements(site) as one:
            small = site.get("/courses")
        populate(6)
        with count_statements(site) as seven:
            large = site.get("/courses")
        assert len(small.json()["items"]) == 1
        assert len(large.json()["items"]) == 7
        assert all(len(c["chapter_ids"]) == 2 for c in large.json()["items"])
        assert all(len(c["administrator_user_ids"]) == 1 for c in large.json()["items"])
        assert len(seven) == len(one)


class TestListCourseChapters:
    def test_whole_chapters_by_position_then_id(self, site: SiteClient) -> None:
        course = make_course(site)
        late = make_chapter(
            site, course, name="Wrap up", position=5, description="Bye", duration_in_seconds=90
        )
        early = make_chapter(site, course, name="Intro", position=1)
        tied_a = make_chapter(site, course, name="Middle A", position=3)
        tied_b = make_chapter(site, course, name="Middle B", position=3)
        lesson_2 = make_content(site, early, course, position=2)
        lesson_1 = make_content(site, early, course, position=1)

        response = site.get(f"/courses/{course}/chapters")

        assert response.status_code == 200
        assert response.json() == {
            "items": [
                chapter_body(early, "Intro", 1, content_ids=[lesson_1, lesson_2]),
                chapter_body(tied_a, "Middle A", 3),
                chapter_body(tied_b, "Middle B", 3),
                chapter_body(late, "Wrap up", 5, description="Bye", duration_in_seconds=90),
            ],
            "meta": {"pagination": pagination(1, 25, 4, 4)},
        }

    def test_only_this_courses_chapters(self, site: SiteClient) -> None:
        course, other = make_course(site), make_course(site)
        mine = make_chapter(site, course)
        make_chapter(site, other)
        body = site.get(f"/courses/{course}/chapters").json()
        assert [c["id"] for c in body["items"]] == [mine]
        assert body["meta"]["pagination"] == pagination(1, 25, 1, 1)

    def test_course_without_chapters_is_an_empty_page(self, site: SiteClient) -> None:
        course = make_course(site)
        assert_answers(site.get(f"/courses/{course}/chapters"), 200, EMPTY_PAGE)

    def test_pages_and_beyond(self, site: SiteClient) -> None:
        course = make_course(site)
        ids = [make_chapter(site, course, position=p) for p in range(1, 6)]
        assert_five_by_two(site, f"/courses/{course}/chapters", ids)

    def test_limit_above_250_is_clamped(self, site: SiteClient) -> None:
        course = make_course(site)
        ids = [make_chapter(site, course, position=p) for p in range(3)]
        body = site.get(f"/courses/{course}/chapters", params={"limit": 999}).json()
        assert [c["id"] for c in body["items"]] == ids
        assert body["meta"]["pagination"] == pagination(1, 250, 3, 3)

    @pytest.mark.parametrize("course", ["0", "abc", "99999999999999999999999"])
    def test_missing_course_is_404(self, site: SiteClient, course: str) -> None:
        assert_answers(site.get(f"/courses/{course}/chapters"), 404, RECORD_NOT_FOUND)

    def test_another_sites_course_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_course(other_site)
        make_chapter(other_site, theirs)
        assert_answers(site.get(f"/courses/{theirs}/chapters"), 404, RECORD_NOT_FOUND)

    def test_a_page_costs_the_same_number_of_queries_whatever_its_size(
        self, site: SiteClient
    ) -> None:
        course = make_course(site)

        def populate(count: int) -> None:
            for _ in range(count):
                chapter = make_chapter(site, course)
                for _ in range(2):
                    make_content(site, chapter, course)

        populate(1)
        with count_statements(site) as one:
            small = site.get(f"/courses/{course}/chapters")
        populate(5)
        with count_statements(site) as six:
            large = site.get(f"/courses/{course}/chapters")
        assert len(small.json()["items"]) == 1
        assert [len(c["content_ids"]) for c in large.json()["items"]] == [2] * 6
        assert len(six) == len(one)


COURSE_PATHS = ["/courses", "/courses/{id}", "/courses/{id}/chapters"]


class TestAuthentication:
    @pytest.mark.parametrize("path", COURSE_PATHS)
    @pytest.mark.parametrize("headers", WRONG_KEYS)
    def test_bad_credentials_are_401(
        self, site: SiteClient, path: str, headers: dict[str, str]
    ) -> None:
        assert_rejected(site, path.format(id=make_course(site)), headers)

    @pytest.mark.parametrize("path", COURSE_PATHS)
    def test_another_sites_key_is_401(
        self, site: SiteClient, other_site: SiteClient, path: str
    ) -> None:
        course = make_course(site)
        assert_rejected(site, path.format(id=course), {"X-Auth-API-Key": other_site.key})


class TestOpenApi:
    def test_course_keys_follow_the_upstream_order(self, site: SiteClient) -> None:
        course = make_course(site)
        assert list(site.get(f"/courses/{course}").json()) == upstream_properties("CourseResponse")
