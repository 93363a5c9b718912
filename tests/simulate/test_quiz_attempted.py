"""POST /_syllabus/sites/{subdomain}/simulate/quiz_attempted: a student answers a quiz's last
question, which Thinkific's Admin API cannot cause. Each call is an attempt, recorded as
``quiz.attempted`` (an inferred payload); the enrollment does not change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.events.helpers import assert_recorded, topics
from tests.orders.helpers import NOW, frozen_clock
from tests.simulate.helpers import (
    CONTENT_MISSING,
    UNKNOWN_USER_OR_CONTENT,
    USER_MISSING,
    attempt,
    attempts,
    completions,
    new_classroom,
    quiz_payload,
    simulate,
)
from tests.support import RECORD_NOT_FOUND, SiteClient, assert_answers

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)


def test_records_an_attempt(site: SiteClient) -> None:
    classroom = new_classroom(site, ("Lesson", "Quiz"))
    quiz = classroom.lessons[1]

    response = attempt(site, classroom.student.id, quiz.id, correct_count=3, incorrect_count=1)

    ((result_id, *row),) = attempts(site)
    assert row == [classroom.enrollment, quiz.id, 3, 1]
    expected = quiz_payload(
        classroom, quiz, result_id, correct_count=3, incorrect_count=1, grade=75.0
    )
    assert_answers(response, 201, expected)
    assert_recorded(site, ("quiz.attempted", expected))
    # An attempt completes nothing: the enrollment is the factory's still.
    assert site.get(f"/enrollments/{classroom.enrollment}").json() == classroom.body()
    assert completions(site) == []


def test_attempts_are_counted_per_enrollment_and_quiz(site: SiteClient) -> None:
    classroom = new_classroom(site, ("Quiz", "Quiz"))
    first, second = classroom.lessons
    student = classroom.student.id
    other = new_classroom(site, ("Quiz",))

    answers = [
        attempt(site, student, first.id).json(),
        attempt(site, student, first.id, correct_count=0, incorrect_count=2).json(),
        attempt(site, student, second.id).json(),
        attempt(site, other.student.id, other.lessons[0].id).json(),
        attempt(site, student, first.id, correct_count=2, incorrect_count=1).json(),
    ]

    ids = [row[0] for row in attempts(site)]
    expected = [
        quiz_payload(classroom, first, ids[0]),
        quiz_payload(
            classroom, first, ids[1], attempts=2, correct_count=0, incorrect_count=2, grade=0.0
        ),
        quiz_payload(classroom, second, ids[2]),
        quiz_payload(other, other.lessons[0], ids[3]),
        quiz_payload(
            classroom, first, ids[4], attempts=3, correct_count=2, incorrect_count=1, grade=66.67
        ),
    ]
    assert answers == expected
    assert_recorded(site, *[("quiz.attempted", payload) for payload in expected])


def test_the_defaults_are_one_right_answer(site: SiteClient) -> None:
    classroom = new_classroom(site, ("Quiz",))
    body = attempt(site, classroom.student.id, classroom.lessons[0].id).json()
    assert (body["correct_count"], body["incorrect_count"], body["grade"]) == (1, 0, 100.0)


def test_a_free_trial_attempts_a_free_preview_quiz(site: SiteClient) -> None:
    classroom = new_classroom(site, ("Quiz",), free=True, activated_at=None, is_free_trial=True)
    quiz = classroom.lessons[0]
    response = attempt(site, classroom.student.id, quiz.id)
    assert_answers(response, 201, quiz_payload(classroom, quiz, attempts(site)[0][0]))


class TestRefused:
    """Every refusal is a 422 naming the field (404 for an unknown site), and writes nothing."""

    @UNKNOWN_USER_OR_CONTENT
    def test_unknown_user_or_content(
        self, site: SiteClient, unknown: dict[str, int], errors: dict[str, list[str]]
    ) -> None:
        classroom = new_classroom(site, ("Quiz",))
        body = {"user_id": classroom.student.id, "content_id": classroom.lessons[0].id, **unknown}
        assert_answers(attempt(site, **body), 422, {"errors": errors})
        assert (attempts(site), topics(site)) == ([], [])

    def test_another_sites_user_and_quiz_are_unknown(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs, ours = new_classroom(other_site, ("Quiz",)), new_classroom(site, ("Quiz",))
        assert_answers(
            attempt(site, ours.student.id, theirs.lessons[0].id), 422, {"errors": CONTENT_MISSING}
        )
        assert_answers(
            attempt(site, theirs.student.id, ours.lessons[0].id), 422, {"errors": USER_MISSING}
        )
        assert (attempts(site), topics(site)) == ([], [])
        assert (attempts(other_site), topics(other_site)) == ([], [])

    @pytest.mark.parametrize("kind", ["Lesson", "Survey", "BrilliumExam"])
    def test_a_content_that_is_not_a_quiz(self, site: SiteClient, kind: str) -> None:
        classroom = new_classroom(site, (kind,))
        response = attempt(site, classroom.student.id, classroom.lessons[0].id)
        assert_answers(response, 422, {"errors": {"content_id": ["is not a quiz"]}})
        assert (attempts(site), topics(site)) == ([], [])

    def test_a_user_not_enrolled_in_the_course(self, site: SiteClient) -> None:
        classroom, elsewhere = new_classroom(site, ("Quiz",)), new_classroom(site, ("Quiz",))
        response = attempt(site, classroom.student.id, elsewhere.lessons[0].id)
        assert_answers(response, 422, {"errors": {"user_id": ["is not enrolled in this course"]}})
        assert (attempts(site), topics(site)) == ([], [])

    def test_an_expired_enrollment(self, site: SiteClient) -> None:
        classroom = new_classroom(site, ("Quiz",), expiry_date=NOW - timedelta(seconds=1))
        response = attempt(site, classroom.student.id, classroom.lessons[0].id)
        errors = {"user_id": ["has an expired enrollment in this course"]}
        assert_answers(response, 422, {"errors": errors})
        assert (attempts(site), topics(site)) == ([], [])

    def test_a_free_trial_and_a_quiz_that_is_not_a_preview(self, site: SiteClient) -> None:
        classroom = new_classroom(site, ("Quiz",), activated_at=None, is_free_trial=True)
        response = attempt(site, classroom.student.id, classroom.lessons[0].id)
        message = "is not a free preview, which is all a free trial enrollment may take"
        assert_answers(response, 422, {"errors": {"content_id": [message]}})
        assert (attempts(site), topics(site)) == ([], [])

    def test_an_attempt_with_no_answers(self, site: SiteClient) -> None:
        classroom = new_classroom(site, ("Quiz",))
        response = attempt(
            site, classroom.student.id, classroom.lessons[0].id, correct_count=0, incorrect_count=0
        )
        message = "correct_count and incorrect_count are both 0: an attempt answers a question"
        assert_answers(response, 422, {"errors": {"base": [message]}})
        assert (attempts(site), topics(site)) == ([], [])

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({"content_id": 1}, {"user_id": ["can't be blank"]}),
            ({"user_id": 1}, {"content_id": ["can't be blank"]}),
            (
                {"user_id": 1, "content_id": 1, "correct_count": -1},
                {"correct_count": ["must be greater than or equal to 0"]},
            ),
            (
                {"user_id": 1, "content_id": 1, "incorrect_count": 10_001},
                {"incorrect_count": ["must be less than or equal to 10000"]},
            ),
            (
                {"user_id": 1, "content_id": 1, "correct_count": "x"},
                {"correct_count": ["is not a number"]},
            ),
        ],
        ids=["no-user", "no-content", "negative", "too-many", "not-a-number"],
    )
    def test_invalid_bodies(
        self, site: SiteClient, body: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        response = simulate(site.http, site.subdomain, "quiz_attempted", **body)
        assert_answers(response, 422, {"errors": errors})

    def test_an_unknown_site_is_404(self, http: TestClient) -> None:
        response = simulate(http, "no-such-site", "quiz_attempted", user_id=1, content_id=1)
        assert_answers(response, 404, RECORD_NOT_FOUND)
