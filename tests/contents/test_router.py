"""HTTP tests for /contents: https://developers.thinkific.com/api/api-documentation/#/Contents"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from syllabus.models import CONTENTABLE_TYPES
from tests.factories import make_chapter, make_content, make_course
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_only_theirs,
)

BASE_DOMAIN = "school.example.test"

# The course player's path segment per contentable type, as Thinkific's take URLs spell it.
PLAYER_SEGMENTS = {
    "Lesson": "lessons",
    "Quiz": "quizzes",
    "Survey": "surveys",
    "Assignment": "assignments",
    "Download": "downloads",
    "Pdf": "pdfs",
    "Presentation": "presentations",
    "Audio": "audio",
    "HtmlItem": "texts",
    "Iframe": "multimedia",
    "Disqus": "discussions",
    "BrilliumExam": "exams",
    "LiveLesson": "live_lessons",
}


@pytest.fixture
def base_domain(http: TestClient) -> Iterator[str]:
    """Serve under a non-default base domain (``SYLLABUS_BASE_DOMAIN``) for one test."""
    state = http.app.state  # type: ignore[attr-defined]
    original = state.settings
    state.settings = original.model_copy(update={"base_domain": BASE_DOMAIN})
    try:
        yield BASE_DOMAIN
    finally:
        state.settings = original


class TestGetContent:
    def test_returns_every_field(self, site: SiteClient, base_domain: str) -> None:
        course = make_course(site, slug="corporate-course")
        chapter = make_chapter(site, course)
        content = make_content(
            site,
            chapter,
            course,
            name="Video Lesson",
            position=7,
            contentable_type="Lesson",
            free=True,
        )

        response = site.get(f"/contents/{content}")

        assert response.status_code == 200
        body = response.json()
        assert body == {
            "id": content,
            "name": "Video Lesson",
            "position": 7,
            "chapter_id": chapter,
            "contentable_type": "Lesson",
            "free": True,
            "take_url": (
                f"https://{site.subdomain}.{BASE_DOMAIN}/courses/take/corporate-course"
                f"/lessons/{content}-video-lesson"
            ),
        }
        # The spec's ContentResponse order.
        assert list(body) == [
            "id",
            "name",
            "position",
            "chapter_id",
            "contentable_type",
            "free",
            "take_url",
        ]

    def test_every_type_is_covered(self) -> None:
        assert set(PLAYER_SEGMENTS) == set(CONTENTABLE_TYPES)

    @pytest.mark.parametrize(("contentable_type", "segment"), sorted(PLAYER_SEGMENTS.items()))
    def test_take_url_segment_per_type(
        self, site: SiteClient, base_domain: str, contentable_type: str, segment: str
    ) -> None:
        course = make_course(site, slug="my-course")
        content = make_content(
            site, make_chapter(site, course), course, name="Item", contentable_type=contentable_type
        )
        body = site.get(f"/contents/{content}").json()
        assert body["contentable_type"] == contentable_type
        assert body["free"] is False
        assert body["take_url"] == (
            f"https://{site.subdomain}.{BASE_DOMAIN}/courses/take/my-course/{segment}/{content}-item"
        )

    @pytest.mark.parametrize(
        ("name", "slug"),
        [
            ("Welcome! Ça va? 2nd_part  -- intro", "welcome-ca-va-2nd_part-intro"),
            ("  Lesson   One  ", "lesson-one"),
            ("ÀÉÎ õü", "aei-ou"),
            ("100% Done", "100-done"),
        ],
    )
    def test_take_url_slugs_the_name(
        self, site: SiteClient, base_domain: str, name: str, slug: str
    ) -> None:
        course = make_course(site, slug="c")
        content = make_content(site, make_chapter(site, course), course, name=name)
        body = site.get(f"/contents/{content}").json()
        assert body["name"] == name
        assert body["take_url"] == (
            f"https://{site.subdomain}.{BASE_DOMAIN}/courses/take/c/lessons/{content}-{slug}"
        )

    def test_a_name_with_nothing_to_slug_leaves_the_bare_id(
        self, site: SiteClient, base_domain: str
    ) -> None:
        course = make_course(site, slug="c")
        content = make_content(site, make_chapter(site, course), course, name="!!! ???")
        body = site.get(f"/contents/{content}").json()
        assert body["take_url"] == (
            f"https://{site.subdomain}.{BASE_DOMAIN}/courses/take/c/lessons/{content}"
        )

    def test_take_url_names_the_contents_own_course(
        self, site: SiteClient, base_domain: str
    ) -> None:
        make_course(site, slug="decoy")
        course = make_course(site, slug="the-real-one")
        content = make_content(site, make_chapter(site, course), course, name="A")
        body = site.get(f"/contents/{content}").json()
        assert body["take_url"] == (
            f"https://{site.subdomain}.{BASE_DOMAIN}/courses/take/the-real-one/lessons/{content}-a"
        )

    def test_default_base_domain(self, site: SiteClient) -> None:
        course = make_course(site, slug="c")
        content = make_content(site, make_chapter(site, course), course, name="A")
        body = site.get(f"/contents/{content}").json()
        assert body["take_url"] == (
            f"https://{site.subdomain}.localhost/courses/take/c/lessons/{content}-a"
        )

    @pytest.mark.parametrize(
        "path",
        ["/contents/0", "/contents/-2", "/contents/abc", "/contents/3e2", "/contents/" + "1" * 30],
    )
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_another_sites_content_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        course = make_course(other_site)
        theirs = make_content(other_site, make_chapter(other_site, course), course)
        assert_only_theirs(site, other_site, f"/contents/{theirs}")


class TestAuthentication:
    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        course = make_course(site)
        content = make_content(site, make_chapter(site, course), course)
        response = site.http.get(f"/api/public/v1/contents/{content}", headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
