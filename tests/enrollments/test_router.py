"""HTTP tests for /enrollments create, get and update.

https://developers.thinkific.com/api/api-documentation/#/Enrollments. Listing and its filters
are in test_list.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from syllabus.enrollments.repository import EnrollmentRepository
from tests.enrollments.helpers import (
    FIELD_ORDER,
    FIXED_TEXT,
    NOW,
    NOW_TEXT,
    enroll,
    enrollment_body,
    event_payload,
    new_course,
    new_learner,
    recorded_events,
    stored_enrollments,
)
from tests.factories import FIXED, make_enrollment
from tests.support import (
    AUTHENTICATION_ERROR,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_only_theirs,
)

BOTH_MISSING = {"errors": ["Course could not be found.", "User could not be found."]}
COURSE_MISSING = {"errors": ["Course could not be found."]}
USER_MISSING = {"errors": ["User could not be found."]}
ALREADY_ENROLLED = {"errors": {"user_id": ["is already enrolled in this course"]}}
NO_SUCH_ID = 2**62
FULLWIDTH_DIGITS = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))
# What an enrollment is stored with: expiring tomorrow or yesterday, or a trial.
TOMORROW = {"expiry_date": NOW + timedelta(days=1)}
YESTERDAY = {"expiry_date": NOW - timedelta(days=1)}
TRIAL = {"activated_at": None, "is_free_trial": True}


class TestCreateEnrollment:
    @pytest.mark.parametrize(
        ("sent", "expected"),
        [
            pytest.param(
                {
                    "activated_at": "2025-01-10T09:00:00Z",
                    "expiry_date": "2026-01-10T11:30:00.5+02:00",
                },
                {
                    "activated_at": "2025-01-10T09:00:00.000Z",
                    "expiry_date": "2026-01-10T09:30:00.500Z",
                },
                id="with-activated-at-is-a-full-enrollment",
            ),
            pytest.param(
                {},
                {"activated_at": None, "is_free_trial": True},
                id="without-activated-at-is-a-free-trial",
            ),
            pytest.param(
                {"activated_at": None},
                {"activated_at": None, "is_free_trial": True},
                id="null-activated-at-is-a-free-trial",
            ),
            pytest.param(
                {"activated_at": " 2025-01-10T09:00:00+01:00 ", "expiry_date": "  "},
                {"activated_at": "2025-01-10T08:00:00.000Z", "expiry_date": None},
                id="dates-may-be-padded-or-blank",
            ),
            pytest.param(
                {"activated_at": "2024-01-01T00:00:00Z", "expiry_date": "2025-01-09T00:00:00Z"},
                {
                    "activated_at": "2024-01-01T00:00:00.000Z",
                    "expiry_date": "2025-01-09T00:00:00.000Z",
                    "expired": True,
                },
                id="expiry-in-the-past-is-expired-at-once",
            ),
        ],
    )
    def test_creates_the_enrollment(
        self, site: SiteClient, sent: dict[str, Any], expected: dict[str, Any]
    ) -> None:
        user, course = new_learner(site), new_course(site)
        response = enroll(site, user.id, course.id, **sent)
        assert response.status_code == 201
        body = response.json()
        assert body == enrollment_body(
            body["id"], user, course, created_at=NOW_TEXT, updated_at=NOW_TEXT, **expected
        )
        assert list(body) == FIELD_ORDER
        assert stored_enrollments(site) == [(body["id"], user.id, course.id)]

    def test_can_be_read_back(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        created = enroll(site, user.id, course.id, activated_at="2025-01-01").json()
        assert created["activated_at"] == "2025-01-01T00:00:00.000Z"
        fetched = site.get(f"/enrollments/{created['id']}")
        assert fetched.status_code == 200
        assert fetched.json() == created

    @pytest.mark.parametrize(
        "spell",
        [str, float, lambda n: f" {n} ", lambda n: f"{n}.0", lambda n: f"{n}.00 "],
        ids=["string", "float", "padded", "point-zero", "point-zeros"],
    )
    def test_ids_are_parsed_leniently(self, site: SiteClient, spell: Callable[[int], Any]) -> None:
        user, course = new_learner(site), new_course(site)
        response = enroll(site, spell(user.id), spell(course.id))
        assert response.status_code == 201
        assert (response.json()["course_id"], response.json()["user_id"]) == (course.id, user.id)

    def test_form_encoded(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        response = site.post(
            "/enrollments",
            content=(
                f"course_id={course.id}&user_id={user.id}"
                "&activated_at=2025-01-10T09%3A00%3A00Z&expiry_date="
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["activated_at"], body["expiry_date"], body["is_free_trial"]) == (
            "2025-01-10T09:00:00.000Z",
            None,
            False,
        )

    def test_fields_in_the_query_string(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        response = site.post(f"/enrollments?course_id={course.id}&user_id={user.id}")
        assert response.status_code == 201
        assert (response.json()["course_id"], response.json()["user_id"]) == (course.id, user.id)

    @pytest.mark.parametrize(
        "sent",
        [{}, {"course_id": NO_SUCH_ID, "user_id": NO_SUCH_ID}],
        ids=["missing", "unknown"],
    )
    def test_no_course_and_user_is_a_list_422(self, site: SiteClient, sent: dict[str, int]) -> None:
        assert_answers(site.post("/enrollments", json=sent), 422, BOTH_MISSING)

    def test_only_the_missing_one_is_reported(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        no_user = site.post("/enrollments", json={"course_id": course.id})
        assert (no_user.status_code, no_user.json()) == (422, USER_MISSING)
        no_course = site.post("/enrollments", json={"user_id": user.id, "course_id": NO_SUCH_ID})
        assert (no_course.status_code, no_course.json()) == (422, COURSE_MISSING)

    @pytest.mark.parametrize(
        "junk",
        [
            lambda n: None,
            lambda n: "",
            lambda n: "abc",
            lambda n: f"{n}abc",
            lambda n: f"{n}.5",
            lambda n: n + 0.5,
            lambda n: -n,
            lambda n: str(n).translate(FULLWIDTH_DIGITS),
            lambda n: True,
            lambda n: 0,
            lambda n: 10**30,
            lambda n: [n],
            lambda n: {"id": n},
        ],
    )
    def test_unparseable_ids_could_not_be_found(
        self, site: SiteClient, junk: Callable[[int], Any]
    ) -> None:
        user, course = new_learner(site), new_course(site)
        bad_course = enroll(site, user.id, junk(course.id))
        assert (bad_course.status_code, bad_course.json()) == (422, COURSE_MISSING)
        bad_user = enroll(site, junk(user.id), course.id)
        assert (bad_user.status_code, bad_user.json()) == (422, USER_MISSING)
        assert stored_enrollments(site) == []

    def test_another_sites_user_or_course_could_not_be_found(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        user, course = new_learner(site), new_course(site)
        their_user, their_course = new_learner(other_site), new_course(other_site)
        with_their_user = enroll(site, their_user.id, course.id)
        assert (with_their_user.status_code, with_their_user.json()) == (422, USER_MISSING)
        with_their_course = enroll(site, user.id, their_course.id)
        assert (with_their_course.status_code, with_their_course.json()) == (422, COURSE_MISSING)
        assert stored_enrollments(site) == []
        assert stored_enrollments(other_site) == []

    @pytest.mark.parametrize("field", ["activated_at", "expiry_date"])
    @pytest.mark.parametrize("value", ["tomorrow", "2025-13-01T00:00:00Z", "2025-01-10T25:00", []])
    def test_bad_dates_are_a_field_map_422(self, site: SiteClient, field: str, value: Any) -> None:
        user, course = new_learner(site), new_course(site)
        response = enroll(site, user.id, course.id, **{field: value})
        assert response.status_code == 422
        assert response.json() == {"errors": {field: ["is invalid"]}}
        assert stored_enrollments(site) == []

    def test_both_bad_dates_are_reported(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        response = enroll(
            site, user.id, course.id, activated_at="soon", expiry_date="0001-01-01T00:00:00+01:00"
        )
        assert response.status_code == 422
        assert response.json() == {
            "errors": {"activated_at": ["is invalid"], "expiry_date": ["is invalid"]}
        }

    def test_duplicate_is_a_field_map_422_and_changes_nothing(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        existing = make_enrollment(site, user.id, course.id, expiry_date=NOW + timedelta(days=1))
        response = enroll(site, user.id, course.id, activated_at="2025-01-10")
        assert response.status_code == 422
        assert response.json() == ALREADY_ENROLLED
        assert site.get(f"/enrollments/{existing}").json() == enrollment_body(
            existing, user, course, expiry_date="2025-01-11T09:15:30.250Z"
        )
        assert stored_enrollments(site) == [(existing, user.id, course.id)]
        assert recorded_events(site) == []

    def test_duplicate_of_an_enrollment_without_expiry_is_422(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        make_enrollment(site, user.id, course.id, is_free_trial=True, activated_at=None)
        response = enroll(site, user.id, course.id)
        assert (response.status_code, response.json()) == (422, ALREADY_ENROLLED)

    def test_concurrent_duplicate_insert_is_the_same_422(
        self, site: SiteClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Another request inserted the same pair after our lookup: the unique constraint decides.
        user, course = new_learner(site), new_course(site)
        existing = make_enrollment(site, user.id, course.id)
        monkeypatch.setattr(EnrollmentRepository, "for_pair", lambda *_: None)
        response = enroll(site, user.id, course.id)
        assert response.status_code == 422
        assert response.json() == ALREADY_ENROLLED
        assert stored_enrollments(site) == [(existing, user.id, course.id)]
        assert recorded_events(site) == []

    def test_expired_enrollment_is_reactivated(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        existing = make_enrollment(
            site, user.id, course.id, **TRIAL, expiry_date=FIXED, percentage_completed=0.5
        )
        response = enroll(
            site,
            user.id,
            course.id,
            activated_at="2025-01-10T09:15:30Z",
            expiry_date="2026-01-10T09:15:30Z",
        )
        assert response.status_code == 201
        # The same values on the enrollment and in the event's payload.
        reactivated = {
            "activated_at": "2025-01-10T09:15:30.000Z",
            "expiry_date": "2026-01-10T09:15:30.000Z",
            "percentage_completed": "0.5",
            "updated_at": NOW_TEXT,
        }
        expected = enrollment_body(existing, user, course, **reactivated)
        assert response.json() == expected
        assert site.get(f"/enrollments/{existing}").json() == expected
        assert stored_enrollments(site) == [(existing, user.id, course.id)]
        assert recorded_events(site) == [
            ("enrollment", "created", event_payload(existing, user, course, **reactivated))
        ]

    def test_reactivation_without_activated_at_is_a_trial_without_expiry(
        self, site: SiteClient
    ) -> None:
        user, course = new_learner(site), new_course(site)
        # Expiring exactly now counts as expired.
        existing = make_enrollment(site, user.id, course.id, expiry_date=NOW)
        response = enroll(site, user.id, course.id)
        assert response.status_code == 201
        assert response.json() == enrollment_body(
            existing, user, course, activated_at=None, is_free_trial=True, updated_at=NOW_TEXT
        )
        assert [action for _, action, _ in recorded_events(site)] == ["trial"]

    @pytest.mark.parametrize(
        ("sent", "action", "expected"),
        [
            pytest.param(
                {"activated_at": "2025-01-10T09:00:00Z", "expiry_date": "2026-01-10T09:00:00Z"},
                "created",
                {
                    "activated_at": "2025-01-10T09:00:00.000Z",
                    "expiry_date": "2026-01-10T09:00:00.000Z",
                },
                id="created",
            ),
            pytest.param({}, "trial", {"activated_at": None, "free_trial": True}, id="trial"),
        ],
    )
    def test_records_an_event(
        self, site: SiteClient, sent: dict[str, Any], action: str, expected: dict[str, Any]
    ) -> None:
        user, course = new_learner(site), new_course(site)
        body = enroll(site, user.id, course.id, **sent).json()
        events = recorded_events(site)
        assert events == [
            (
                "enrollment",
                action,
                event_payload(
                    body["id"], user, course, created_at=NOW_TEXT, updated_at=NOW_TEXT, **expected
                ),
            )
        ]
        assert list(events[0][2]) == sorted(events[0][2])

    def test_failed_create_records_no_event(self, site: SiteClient) -> None:
        user = new_learner(site)
        response = enroll(site, user.id, NO_SUCH_ID)
        assert response.status_code == 422
        assert recorded_events(site) == []

    def test_unauthenticated_create_writes_nothing(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        response = site.http.post(
            "/api/public/v1/enrollments",
            json={"course_id": course.id, "user_id": user.id},
            headers={"X-Auth-API-Key": "f" * 32, "X-Auth-Subdomain": site.subdomain},
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert stored_enrollments(site) == []


class TestGetEnrollment:
    def test_returns_the_whole_enrollment(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        enrollment = make_enrollment(
            site,
            user.id,
            course.id,
            expiry_date=NOW + timedelta(days=30),
            started_at=FIXED + timedelta(minutes=5),
            completed_at=FIXED + timedelta(days=2),
            percentage_completed=1.0,
            updated_at=FIXED + timedelta(days=2),
        )
        response = site.get(f"/enrollments/{enrollment}")
        assert response.status_code == 200
        body = response.json()
        assert body == enrollment_body(
            enrollment,
            user,
            course,
            expiry_date="2025-02-09T09:15:30.250Z",
            started_at="2024-02-22T20:37:52.726Z",
            completed_at="2024-02-24T20:32:52.726Z",
            completed=True,
            percentage_completed="1.0",
            updated_at="2024-02-24T20:32:52.726Z",
        )
        assert list(body) == FIELD_ORDER

    @pytest.mark.parametrize(
        ("stored", "wire"),
        [(0.0, "0.0"), (0.25, "0.25"), (1.0, "1.0"), (0.11392405063291139, "0.11392405063291139")],
    )
    def test_percentage_completed_is_a_string_fraction(
        self, site: SiteClient, stored: float, wire: str
    ) -> None:
        user, course = new_learner(site), new_course(site)
        enrollment = make_enrollment(site, user.id, course.id, percentage_completed=stored)
        assert site.get(f"/enrollments/{enrollment}").json()["percentage_completed"] == wire

    @pytest.mark.parametrize(
        ("expiry", "expired"),
        [
            (None, False),
            (NOW - timedelta(days=1), True),
            (NOW, True),
            (NOW + timedelta(milliseconds=1), False),
        ],
    )
    def test_expired_is_computed_from_the_clock(
        self, site: SiteClient, expiry: Any, expired: bool
    ) -> None:
        user, course = new_learner(site), new_course(site)
        enrollment = make_enrollment(site, user.id, course.id, expiry_date=expiry)
        assert site.get(f"/enrollments/{enrollment}").json()["expired"] is expired

    @pytest.mark.parametrize("path", ["0", "-1", "abc", "1.0", str(NO_SUCH_ID), "9" * 30])
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(f"/enrollments/{path}"), 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize(
        "spell",
        [lambda n: f"{n}.0", lambda n: f"{n}abc", lambda n: str(n).translate(FULLWIDTH_DIGITS)],
        ids=["point-zero", "suffix", "full-width"],
    )
    def test_an_existing_id_spelled_loosely_is_404(
        self, site: SiteClient, spell: Callable[[int], str]
    ) -> None:
        enrollment = make_enrollment(site, new_learner(site).id, new_course(site).id)
        assert site.get(f"/enrollments/{enrollment}").status_code == 200
        assert_answers(site.get(f"/enrollments/{spell(enrollment)}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_enrollment_is_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_enrollment(other_site, new_learner(other_site).id, new_course(other_site).id)
        assert_only_theirs(site, other_site, f"/enrollments/{theirs}")


class TestUpdateEnrollment:
    @pytest.mark.parametrize(
        ("stored", "sent", "expected", "event"),
        [
            pytest.param(
                TOMORROW,
                {"expiry_date": "2026-06-01T12:00:00-04:00"},
                {"expiry_date": "2026-06-01T16:00:00.000Z"},
                {"expiry_date": "2026-06-01T16:00:00.000Z"},
                id="changes-only-the-sent-field",
            ),
            pytest.param(
                TOMORROW,
                {"activated_at": "2025-01-01"},
                {
                    "activated_at": "2025-01-01T00:00:00.000Z",
                    "expiry_date": "2025-01-11T09:15:30.250Z",
                },
                {
                    "activated_at": "2025-01-01T00:00:00.000Z",
                    "expiry_date": "2025-01-11T09:15:30.250Z",
                },
                id="absent-expiry-is-kept",
            ),
            pytest.param(YESTERDAY, {"expiry_date": None}, {}, {}, id="null-clears-the-expiry"),
            pytest.param(YESTERDAY, {"expiry_date": ""}, {}, {}, id="blank-clears-the-expiry"),
            pytest.param(
                TRIAL,
                {"activated_at": "2025-01-10T09:15:30Z"},
                {"activated_at": "2025-01-10T09:15:30.000Z", "is_free_trial": False},
                {"activated_at": "2025-01-10T09:15:30.000Z", "free_trial": False},
                id="activating-a-trial-makes-it-full",
            ),
            pytest.param(
                TRIAL,
                {"activated_at": "2025-01-10T09:00:00Z", "expiry_date": "2025-01-01T00:00:00Z"},
                {
                    "activated_at": "2025-01-10T09:00:00.000Z",
                    "expiry_date": "2025-01-01T00:00:00.000Z",
                    "expired": True,
                },
                {
                    "activated_at": "2025-01-10T09:00:00.000Z",
                    "expiry_date": "2025-01-01T00:00:00.000Z",
                },
                id="activating-a-trial-with-a-past-expiry",
            ),
            pytest.param(
                TRIAL,
                {"activated_at": None},
                TRIAL,
                {"activated_at": None, "free_trial": True},
                id="null-activated-at-changes-nothing",
            ),
            pytest.param({}, {}, {}, {}, id="an-empty-body-only-touches"),
        ],
    )
    def test_answers_204_changes_what_it_should_and_records_it(
        self,
        site: SiteClient,
        stored: dict[str, Any],
        sent: dict[str, Any],
        expected: dict[str, Any],
        event: dict[str, Any],
    ) -> None:
        user, course = new_learner(site), new_course(site)
        enrollment = make_enrollment(site, user.id, course.id, **stored)
        response = site.put(f"/enrollments/{enrollment}", json=sent)
        assert response.status_code == 204
        assert response.content == b""
        assert site.get(f"/enrollments/{enrollment}").json() == enrollment_body(
            enrollment, user, course, updated_at=NOW_TEXT, **expected
        )
        assert recorded_events(site) == [
            (
                "enrollment",
                "updated",
                event_payload(enrollment, user, course, updated_at=NOW_TEXT, **event),
            )
        ]

    def test_past_expiry_unenrolls_but_keeps_the_enrollment_listed(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        enrollment = make_enrollment(site, user.id, course.id)
        response = site.put(
            f"/enrollments/{enrollment}", json={"expiry_date": "2025-01-09T23:59:59Z"}
        )
        assert response.status_code == 204
        expected = enrollment_body(
            enrollment,
            user,
            course,
            expiry_date="2025-01-09T23:59:59.000Z",
            expired=True,
            updated_at=NOW_TEXT,
        )
        assert site.get(f"/enrollments/{enrollment}").json() == expected
        for query in (
            {"query[user_id]": user.id},
            {"query[course_id]": course.id},
            {"query[expired]": "true"},
        ):
            assert site.get("/enrollments", params=query).json()["items"] == [expected]
        assert site.get("/enrollments", params={"query[expired]": "0"}).json()["items"] == []

    def test_course_user_and_other_keys_are_ignored(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        other_user, other_course = new_learner(site), new_course(site)
        enrollment = make_enrollment(site, user.id, course.id)
        response = site.put(
            f"/enrollments/{enrollment}",
            json={
                "course_id": other_course.id,
                "user_id": other_user.id,
                "percentage_completed": "1.0",
                "is_free_trial": True,
                "expiry_date": "2026-01-01T00:00:00Z",
            },
        )
        assert response.status_code == 204
        assert site.get(f"/enrollments/{enrollment}").json() == enrollment_body(
            enrollment, user, course, expiry_date="2026-01-01T00:00:00.000Z", updated_at=NOW_TEXT
        )

    @pytest.mark.parametrize("field", ["activated_at", "expiry_date"])
    @pytest.mark.parametrize(
        "value", ["yesterday", "2025-02-30", "2025-01-01T10:61:00Z", {"at": "now"}]
    )
    def test_bad_dates_are_a_field_map_422_and_change_nothing(
        self, site: SiteClient, field: str, value: Any
    ) -> None:
        user, course = new_learner(site), new_course(site)
        enrollment = make_enrollment(site, user.id, course.id)
        response = site.put(f"/enrollments/{enrollment}", json={field: value})
        assert response.status_code == 422
        assert response.json() == {"errors": {field: ["is invalid"]}}
        assert site.get(f"/enrollments/{enrollment}").json() == enrollment_body(
            enrollment, user, course
        )
        assert recorded_events(site) == []

    @pytest.mark.parametrize("path", ["0", "abc", str(NO_SUCH_ID), "9" * 30])
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        response = site.put(f"/enrollments/{path}", json={"expiry_date": None})
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert recorded_events(site) == []

    def test_another_sites_enrollment_is_404_and_unchanged(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        user, course = new_learner(other_site), new_course(other_site)
        theirs = make_enrollment(other_site, user.id, course.id)
        response = site.put(f"/enrollments/{theirs}", json={"expiry_date": "2020-01-01"})
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/enrollments/{theirs}").json() == enrollment_body(
            theirs, user, course
        )
        assert recorded_events(other_site) == []


def test_fixed_and_now_render_as_the_helpers_say() -> None:
    assert (FIXED.isoformat(), NOW.isoformat()) == (
        "2024-02-22T20:32:52.726000+00:00",
        "2025-01-10T09:15:30.250000+00:00",
    )
    assert FIXED_TEXT.startswith(FIXED.strftime("%Y-%m-%dT%H:%M:%S"))
