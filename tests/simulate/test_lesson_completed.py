"""POST /_syllabus/sites/{subdomain}/simulate/lesson_completed: a student completes a lesson,
which Thinkific's Admin API cannot cause. The enrollment's progress moves (the Admin API shows
it), and lesson.completed, enrollment.progress and, at 100%, enrollment.completed are recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from syllabus.models import Content
from tests.events.helpers import assert_recorded, topics
from tests.orders.helpers import NOW, NOW_TEXT, frozen_clock
from tests.simulate.helpers import (
    CONTENT_MISSING,
    UNKNOWN_USER_OR_CONTENT,
    USER_MISSING,
    Classroom,
    add_lesson,
    advance,
    complete,
    completions,
    lesson_payload,
    new_classroom,
    simulate,
    stored_enrollment,
)
from tests.support import AUTHENTICATION_ERROR, RECORD_NOT_FOUND, SiteClient, assert_answers

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)

# The site's clock after `advance(site, 60 * n)`, as the wire renders it.
MINUTE_LATER = "2025-01-10T09:16:30.250Z"
TWO_MINUTES_LATER = "2025-01-10T09:17:30.250Z"
THREE_MINUTES_LATER = "2025-01-10T09:18:30.250Z"
NOT_ENROLLED = {"errors": {"user_id": ["is not enrolled in this course"]}}


def progressed(classroom: Classroom, **fields: Any) -> dict[str, Any]:
    """The enrollment's body after progress at ``NOW`` (started then), with ``fields``."""
    return classroom.body(**{"started_at": NOW_TEXT, "updated_at": NOW_TEXT, **fields})


def progressed_payload(classroom: Classroom, **fields: Any) -> dict[str, Any]:
    return classroom.payload(**{"started_at": NOW_TEXT, "updated_at": NOW_TEXT, **fields})


class TestLessonCompleted:
    def test_completes_a_lesson_and_records_its_events(self, site: SiteClient) -> None:
        classroom = new_classroom(site)
        lesson = classroom.lessons[2]

        response = complete(site, classroom.student.id, lesson.id)

        expected = progressed(classroom, percentage_completed="0.25")
        assert_answers(response, 200, expected)
        assert_answers(site.get(f"/enrollments/{classroom.enrollment}"), 200, expected)
        assert_recorded(
            site,
            ("lesson.completed", lesson_payload(classroom, lesson)),
            ("enrollment.progress", progressed_payload(classroom, percentage_completed="0.25")),
        )
        assert completions(site) == [(classroom.enrollment, lesson.id, NOW)]

    def test_progress_across_the_course_to_completion(self, site: SiteClient) -> None:
        classroom = new_classroom(site)
        student = classroom.student.id
        steps = [("0.25", NOW_TEXT), ("0.5", MINUTE_LATER), ("0.75", TWO_MINUTES_LATER)]

        for lesson, (percentage, now) in zip(classroom.lessons, steps, strict=False):
            body = complete(site, student, lesson.id).json()
            assert body == progressed(classroom, percentage_completed=percentage, updated_at=now)
            advance(site, 60)
        last = complete(site, student, classroom.lessons[3].id)

        done = {
            "percentage_completed": "1.0",
            "completed_at": THREE_MINUTES_LATER,
            "updated_at": THREE_MINUTES_LATER,
        }
        assert_answers(last, 200, progressed(classroom, completed=True, **done))
        assert site.get(f"/enrollments/{classroom.enrollment}").json() == last.json()
        assert topics(site) == [
            *["lesson.completed", "enrollment.progress"] * 4,
            "enrollment.completed",
        ]
        payload = progressed_payload(classroom, **done)
        assert_recorded(
            site,
            *[
                event
                for lesson, (percentage, now) in zip(classroom.lessons, steps, strict=False)
                for event in (
                    ("lesson.completed", lesson_payload(classroom, lesson)),
                    (
                        "enrollment.progress",
                        progressed_payload(
                            classroom, percentage_completed=percentage, updated_at=now
                        ),
                    ),
                )
            ],
            ("lesson.completed", lesson_payload(classroom, classroom.lessons[3])),
            ("enrollment.progress", payload),
            ("enrollment.completed", payload),
        )

    def test_the_share_is_a_fraction_of_every_content(self, site: SiteClient) -> None:
        # A quiz and a download count as much as a lesson.
        classroom = new_classroom(site, ("Lesson", "Quiz", "Download"))
        student = classroom.student.id
        first = complete(site, student, classroom.lessons[1].id).json()
        second = complete(site, student, classroom.lessons[2].id).json()
        assert first["percentage_completed"] == "0.3333333333333333"
        assert second["percentage_completed"] == "0.6666666666666666"
        assert second["completed"] is False
        assert topics(site) == ["lesson.completed", "enrollment.progress"] * 2

    def test_a_lesson_payload_names_the_contents_own_type(self, site: SiteClient) -> None:
        classroom = new_classroom(site, ("Quiz",))
        quiz = classroom.lessons[0]
        complete(site, classroom.student.id, quiz.id)
        payload = progressed_payload(classroom, percentage_completed="1.0", completed_at=NOW_TEXT)
        assert_recorded(
            site,
            ("lesson.completed", lesson_payload(classroom, quiz)),
            ("enrollment.progress", payload),
            ("enrollment.completed", payload),
        )
        assert lesson_payload(classroom, quiz)["lesson"]["type"] == "Quiz"

    def test_completing_a_lesson_again_changes_and_records_nothing(self, site: SiteClient) -> None:
        classroom = new_classroom(site)
        lesson = classroom.lessons[0]
        first = complete(site, classroom.student.id, lesson.id).json()
        before = (topics(site), stored_enrollment(site, classroom.enrollment))
        advance(site, 60)

        again = complete(site, classroom.student.id, lesson.id)

        assert_answers(again, 200, first)
        assert (topics(site), stored_enrollment(site, classroom.enrollment)) == before
        assert completions(site) == [(classroom.enrollment, lesson.id, NOW)]

    def test_started_at_is_kept_from_the_first_lesson(self, site: SiteClient) -> None:
        classroom = new_classroom(site, started_at=NOW - timedelta(days=1))
        body = complete(site, classroom.student.id, classroom.lessons[0].id).json()
        assert body["started_at"] == "2025-01-09T09:15:30.250Z"

    def test_a_completed_course_is_completed_once(self, site: SiteClient) -> None:
        classroom = new_classroom(site, ("Lesson",))
        complete(site, classroom.student.id, classroom.lessons[0].id)
        # A lesson added later is counted at the next completion; completed_at stays.
        chapter = (classroom.lessons[0].chapter_id, classroom.lessons[0].chapter_name)
        added = add_lesson(site, classroom.course, chapter, 1)
        advance(site, 60)

        body = complete(site, classroom.student.id, added.id).json()

        assert body == progressed(
            classroom,
            percentage_completed="1.0",
            completed=True,
            completed_at=NOW_TEXT,
            updated_at=MINUTE_LATER,
        )
        assert topics(site).count("enrollment.completed") == 1
        assert topics(site)[-2:] == ["lesson.completed", "enrollment.progress"]

    def test_a_free_trial_completes_a_free_preview(self, site: SiteClient) -> None:
        classroom = new_classroom(
            site, ("Lesson", "Lesson"), free=True, activated_at=None, is_free_trial=True
        )
        response = complete(site, classroom.student.id, classroom.lessons[0].id)
        trial = {"is_free_trial": True, "activated_at": None}
        assert_answers(response, 200, progressed(classroom, percentage_completed="0.5", **trial))
        event = progressed_payload(
            classroom, percentage_completed="0.5", free_trial=True, activated_at=None
        )
        assert_recorded(
            site,
            ("lesson.completed", lesson_payload(classroom, classroom.lessons[0])),
            ("enrollment.progress", event),
        )


class TestRefused:
    """Every refusal is a 422 naming the field (404 for an unknown site), and writes nothing."""

    @staticmethod
    def assert_nothing_written(site: SiteClient, *classrooms: Classroom) -> None:
        assert completions(site) == []
        assert topics(site) == []
        for classroom in classrooms:
            assert site.get(f"/enrollments/{classroom.enrollment}").json() == classroom.body()

    @UNKNOWN_USER_OR_CONTENT
    def test_unknown_user_or_content(
        self, site: SiteClient, unknown: dict[str, int], errors: dict[str, list[str]]
    ) -> None:
        classroom = new_classroom(site)
        body = {"user_id": classroom.student.id, "content_id": classroom.lessons[0].id, **unknown}
        assert_answers(complete(site, **body), 422, {"errors": errors})
        self.assert_nothing_written(site, classroom)

    def test_another_sites_user_and_content_are_unknown(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = new_classroom(other_site)
        ours = new_classroom(site)
        lesson = theirs.lessons[0].id
        assert_answers(
            complete(site, theirs.student.id, lesson),
            422,
            {"errors": {**USER_MISSING, **CONTENT_MISSING}},
        )
        assert_answers(complete(site, ours.student.id, lesson), 422, {"errors": CONTENT_MISSING})
        assert_answers(
            complete(site, theirs.student.id, ours.lessons[0].id), 422, {"errors": USER_MISSING}
        )
        self.assert_nothing_written(site, ours)
        self.assert_nothing_written(other_site, theirs)

    def test_a_user_not_enrolled_in_the_course(self, site: SiteClient) -> None:
        classroom, elsewhere = new_classroom(site), new_classroom(site)
        response = complete(site, classroom.student.id, elsewhere.lessons[0].id)
        assert_answers(response, 422, NOT_ENROLLED)
        self.assert_nothing_written(site, classroom, elsewhere)

    @pytest.mark.parametrize("expired", [NOW, NOW - timedelta(days=1)], ids=["now", "yesterday"])
    def test_an_expired_enrollment(self, site: SiteClient, expired: Any) -> None:
        classroom = new_classroom(site, expiry_date=expired)
        response = complete(site, classroom.student.id, classroom.lessons[0].id)
        assert_answers(
            response,
            422,
            {"errors": {"user_id": ["has an expired enrollment in this course"]}},
        )
        assert completions(site) == []
        assert topics(site) == []

    def test_a_free_trial_and_a_lesson_that_is_not_a_preview(self, site: SiteClient) -> None:
        classroom = new_classroom(site, activated_at=None, is_free_trial=True)
        response = complete(site, classroom.student.id, classroom.lessons[0].id)
        message = "is not a free preview, which is all a free trial enrollment may take"
        assert_answers(response, 422, {"errors": {"content_id": [message]}})
        assert completions(site) == []
        assert topics(site) == []

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({"content_id": 1}, {"user_id": ["can't be blank"]}),
            ({"user_id": 1}, {"content_id": ["can't be blank"]}),
            ({"user_id": "x", "content_id": 1}, {"user_id": ["is not a number"]}),
        ],
        ids=["no-user", "no-content", "user-not-a-number"],
    )
    def test_invalid_bodies(
        self, site: SiteClient, body: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        response = simulate(site.http, site.subdomain, "lesson_completed", **body)
        assert_answers(response, 422, {"errors": errors})

    def test_an_unknown_site_is_404(self, http: TestClient) -> None:
        response = simulate(http, "no-such-site", "lesson_completed", user_id=1, content_id=1)
        assert_answers(response, 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize(
        "headers", [{}, {"Authorization": "Bearer wrong"}], ids=["none", "wrong"]
    )
    def test_needs_the_admin_token(self, site: SiteClient, headers: dict[str, str]) -> None:
        classroom = new_classroom(site)
        response = site.http.post(
            f"/_syllabus/sites/{site.subdomain}/simulate/lesson_completed",
            json={"user_id": classroom.student.id, "content_id": classroom.lessons[0].id},
            headers=headers,
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        self.assert_nothing_written(site, classroom)


class TestDeletes:
    """Completions go with their enrollment, user or content: nothing breaks."""

    def test_deleting_the_user(self, site: SiteClient) -> None:
        classroom = new_classroom(site)
        complete(site, classroom.student.id, classroom.lessons[0].id)
        assert site.delete(f"/users/{classroom.student.id}").status_code == 204
        assert completions(site) == []

    def test_deleting_a_completed_content(self, site: SiteClient) -> None:
        classroom = new_classroom(site)
        lessons = classroom.lessons
        for lesson in lessons[:2]:
            complete(site, classroom.student.id, lesson.id)
        site.db(lambda s: s.execute(delete(Content).where(Content.id == lessons[0].id)))
        assert completions(site) == [(classroom.enrollment, lessons[1].id, NOW)]
        # Progress is recounted over the contents left at the next completion: 2 of 3.
        body = complete(site, classroom.student.id, lessons[2].id).json()
        assert body["percentage_completed"] == "0.6666666666666666"

    def test_resetting_the_site(self, site: SiteClient) -> None:
        classroom = new_classroom(site)
        complete(site, classroom.student.id, classroom.lessons[0].id)
        reset = site.http.post(
            f"/_syllabus/sites/{site.subdomain}/reset",
            headers={"Authorization": "Bearer test-admin-token"},
        )
        assert reset.status_code == 204
        assert completions(site) == []
