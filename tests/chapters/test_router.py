"""HTTP tests for /chapters: https://developers.thinkific.com/api/api-documentation/#/Chapters"""

from __future__ import annotations

from typing import Any

import pytest

from syllabus.config import get_settings
from tests.courses.helpers import WRONG_KEYS, assert_rejected, chapter_body, count_statements
from tests.factories import make_chapter, make_content, make_course
from tests.support import (
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
    pagination,
)


def content_body(
    content_id: int, name: str, position: int, chapter_id: int, take_url: str, **extra: Any
) -> dict[str, Any]:
    return {
        "id": content_id,
        "name": name,
        "position": position,
        "chapter_id": chapter_id,
        "contentable_type": extra.pop("contentable_type", "Lesson"),
        "free": extra.pop("free", False),
        "take_url": take_url,
    }


class TestGetChapter:
    def test_returns_every_field_with_content_ids_in_order(self, site: SiteClient) -> None:
        course = make_course(site)
        chapter = make_chapter(
            site,
            course,
            name="Getting Started",
            position=2,
            description="Start here",
            duration_in_seconds=600,
        )
        third = make_content(site, chapter, course, position=3)
        first = make_content(site, chapter, course, position=1)
        tied_a = make_content(site, chapter, course, position=2)
        tied_b = make_content(site, chapter, course, position=2)
        make_content(site, make_chapter(site, course), course)

        response = site.get(f"/chapters/{chapter}")

        expected = chapter_body(
            chapter,
            "Getting Started",
            2,
            description="Start here",
            duration_in_seconds=600,
            content_ids=[first, tied_a, tied_b, third],
        )
        assert_answers(response, 200, expected)
        # The spec's ChapterResponse order.
        assert list(response.json()) == [
            "id",
            "name",
            "position",
            "description",
            "duration_in_seconds",
            "content_ids",
        ]

    def test_empty_values_are_null_and_empty_lists(self, site: SiteClient) -> None:
        chapter = make_chapter(site, make_course(site), name="Empty", position=0)
        assert_answers(site.get(f"/chapters/{chapter}"), 200, chapter_body(chapter, "Empty", 0))

    @pytest.mark.parametrize(
        "path",
        ["/chapters/0", "/chapters/-4", "/chapters/abc", "/chapters/2.0", "/chapters/" + "9" * 25],
    )
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_another_sites_chapter_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_chapter(other_site, make_course(other_site))
        assert_only_theirs(site, other_site, f"/chapters/{theirs}")


class TestListChapterContents:
    def test_whole_contents_by_position_then_id(self, site: SiteClient) -> None:
        course = make_course(site, slug="the-course")
        chapter = make_chapter(site, course)
        quiz = make_content(
            site, chapter, course, name="Check Yourself", position=4, contentable_type="Quiz"
        )
        intro = make_content(site, chapter, course, name="Welcome", position=1, free=True)
        tied_a = make_content(site, chapter, course, name="Part A", position=2)
        tied_b = make_content(site, chapter, course, name="Part B", position=2)
        make_content(site, make_chapter(site, course), course)
        base = f"https://{site.subdomain}.{get_settings().base_domain}/courses/take/the-course"

        response = site.get(f"/chapters/{chapter}/contents")

        assert response.status_code == 200
        assert response.json() == {
            "items": [
                content_body(
                    intro,
                    "Welcome",
                    1,
                    chapter,
                    free=True,
                    take_url=f"{base}/lessons/{intro}-welcome",
                ),
                content_body(
                    tied_a, "Part A", 2, chapter, take_url=f"{base}/lessons/{tied_a}-part-a"
                ),
                content_body(
                    tied_b, "Part B", 2, chapter, take_url=f"{base}/lessons/{tied_b}-part-b"
                ),
                content_body(
                    quiz,
                    "Check Yourself",
                    4,
                    chapter,
                    contentable_type="Quiz",
                    take_url=f"{base}/quizzes/{quiz}-check-yourself",
                ),
            ],
            "meta": {"pagination": pagination(1, 25, 4, 4)},
        }

    def test_chapter_without_contents_is_an_empty_page(self, site: SiteClient) -> None:
        chapter = make_chapter(site, make_course(site))
        response = site.get(f"/chapters/{chapter}/contents")
        assert response.status_code == 200
        assert response.json() == {"items": [], "meta": {"pagination": pagination(1, 25, 0, 0)}}
        assert response.json()["meta"]["pagination"]["entries_info"] == "0-0 of 0"

    def test_pages_and_beyond(self, site: SiteClient) -> None:
        course = make_course(site)
        chapter = make_chapter(site, course)
        ids = [make_content(site, chapter, course, position=p) for p in range(1, 6)]
        assert_five_by_two(site, f"/chapters/{chapter}/contents", ids)

    def test_limit_above_250_is_clamped(self, site: SiteClient) -> None:
        course = make_course(site)
        chapter = make_chapter(site, course)
        ids = [make_content(site, chapter, course, position=p) for p in range(3)]
        body = site.get(f"/chapters/{chapter}/contents", params={"limit": 100000}).json()
        assert [c["id"] for c in body["items"]] == ids
        assert body["meta"]["pagination"] == pagination(1, 250, 3, 3)

    @pytest.mark.parametrize("chapter", ["0", "abc", "9" * 25])
    def test_missing_chapter_is_404(self, site: SiteClient, chapter: str) -> None:
        assert_answers(site.get(f"/chapters/{chapter}/contents"), 404, RECORD_NOT_FOUND)

    def test_another_sites_chapter_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        course = make_course(other_site)
        theirs = make_chapter(other_site, course)
        make_content(other_site, theirs, course)
        assert_answers(site.get(f"/chapters/{theirs}/contents"), 404, RECORD_NOT_FOUND)

    def test_a_page_costs_the_same_number_of_queries_whatever_its_size(
        self, site: SiteClient
    ) -> None:
        course = make_course(site)
        chapter = make_chapter(site, course)
        make_content(site, chapter, course)
        with count_statements(site) as one:
            small = site.get(f"/chapters/{chapter}/contents")
        for _ in range(5):
            make_content(site, chapter, course)
        with count_statements(site) as six:
            large = site.get(f"/chapters/{chapter}/contents")
        assert len(small.json()["items"]) == 1
        assert len(large.json()["items"]) == 6
        assert len(six) == len(one)


class TestAuthentication:
    @pytest.mark.parametrize("path", ["/chapters/{id}", "/chapters/{id}/contents"])
    @pytest.mark.parametrize("headers", WRONG_KEYS)
    def test_bad_credentials_are_401(
        self, site: SiteClient, path: str, headers: dict[str, str]
    ) -> None:
        chapter = make_chapter(site, make_course(site))
        assert_rejected(site, path.format(id=chapter), headers)
