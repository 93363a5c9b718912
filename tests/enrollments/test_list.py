"""HTTP tests for GET /enrollments: paging and all seventeen ``query[...]`` filters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from syllabus.auth import forget_credentials
from syllabus.clock import clock
from tests.enrollments.helpers import (
    FIXED_TEXT,
    NOW,
    CourseRef,
    enrollment_body,
    new_course,
    new_learner,
)
from tests.factories import FIXED, make_enrollment
from tests.support import SiteClient, pagination


def listed(site: SiteClient, **params: Any) -> list[int]:
    response = site.get("/enrollments", params={"limit": 250, **params})
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


def enroll_many(site: SiteClient, count: int, **overrides: Any) -> tuple[CourseRef, list[int]]:
    """``count`` enrollments in one new course, one learner each, in ascending id order."""
    course = new_course(site)
    return course, [
        make_enrollment(site, new_learner(site).id, course.id, **overrides) for _ in range(count)
    ]


class TestListEnrollments:
    def test_empty(self, site: SiteClient) -> None:
        response = site.get("/enrollments")
        assert response.status_code == 200
        assert response.json() == {"items": [], "meta": {"pagination": pagination(1, 25, 0, 0)}}
        assert response.json()["meta"]["pagination"]["entries_info"] == "0-0 of 0"

    def test_items_are_whole_enrollments(self, site: SiteClient) -> None:
        user, course = new_learner(site), new_course(site)
        trial = make_enrollment(site, user.id, course.id, activated_at=None, is_free_trial=True)
        other_course = new_course(site)
        full = make_enrollment(
            site, user.id, other_course.id, expiry_date=FIXED, percentage_completed=0.25
        )
        assert site.get("/enrollments").json() == {
            "items": [
                enrollment_body(trial, user, course, activated_at=None, is_free_trial=True),
                enrollment_body(
                    full,
                    user,
                    other_course,
                    expiry_date=FIXED_TEXT,
                    expired=True,
                    percentage_completed="0.25",
                ),
            ],
            "meta": {"pagination": pagination(1, 25, 2, 2)},
        }

    def test_pages_in_ascending_id_order(self, site: SiteClient) -> None:
        _, ids = enroll_many(site, 5)
        first = site.get("/enrollments", params={"limit": 2}).json()
        assert [e["id"] for e in first["items"]] == ids[:2]
        assert first["meta"]["pagination"] == {
            "current_page": 1,
            "next_page": 2,
            "prev_page": None,
            "total_pages": 3,
            "total_items": 5,
            "entries_info": "1-2 of 5",
        }
        middle = site.get("/enrollments", params={"limit": 2, "page": 2}).json()
        assert [e["id"] for e in middle["items"]] == ids[2:4]
        assert middle["meta"]["pagination"] == pagination(2, 2, 5, 2)
        last = site.get("/enrollments", params={"limit": 2, "page": 3}).json()
        assert [e["id"] for e in last["items"]] == ids[4:]
        assert last["meta"]["pagination"] == {
            "current_page": 3,
            "next_page": None,
            "prev_page": 2,
            "total_pages": 3,
            "total_items": 5,
            "entries_info": "5-5 of 5",
        }
        beyond = site.get("/enrollments", params={"limit": 2, "page": 4}).json()
        assert beyond == {"items": [], "meta": {"pagination": pagination(4, 2, 5, 0)}}
        assert beyond["meta"]["pagination"]["prev_page"] is None

    def test_exact_multiple_of_the_limit(self, site: SiteClient) -> None:
        _, ids = enroll_many(site, 4)
        last = site.get("/enrollments", params={"limit": 2, "page": 2}).json()
        assert [e["id"] for e in last["items"]] == ids[2:]
        assert last["meta"]["pagination"]["next_page"] is None

    def test_default_limit_is_25_and_bad_paging_falls_back(self, site: SiteClient) -> None:
        _, ids = enroll_many(site, 26)
        body = site.get("/enrollments", params={"limit": "zero", "page": "-2"}).json()
        assert [e["id"] for e in body["items"]] == ids[:25]
        assert body["meta"]["pagination"] == pagination(1, 25, 26, 25)

    def test_expired_enrollments_are_listed(self, site: SiteClient) -> None:
        course = new_course(site)
        current = make_enrollment(site, new_learner(site).id, course.id)
        expired = make_enrollment(site, new_learner(site).id, course.id, expiry_date=FIXED)
        assert listed(site) == [current, expired]

    def test_other_sites_enrollments_are_invisible(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        their_user = new_learner(other_site)
        theirs = make_enrollment(other_site, their_user.id, new_course(other_site).id)
        mine = make_enrollment(site, new_learner(site).id, new_course(site).id)
        assert listed(site) == [mine]
        assert listed(site, **{"query[user_id]": their_user.id}) == []
        assert listed(other_site) == [theirs]

    def test_unauthenticated_is_401(self, site: SiteClient) -> None:
        response = site.http.get("/api/public/v1/enrollments")
        assert response.status_code == 401
        assert response.json() == {"error": "Authentication Error"}


class TestIdAndEmailFilters:
    def test_user_id(self, site: SiteClient) -> None:
        user, other = new_learner(site), new_learner(site)
        first, second = new_course(site), new_course(site)
        a = make_enrollment(site, user.id, first.id)
        make_enrollment(site, other.id, first.id)
        b = make_enrollment(site, user.id, second.id, expiry_date=FIXED)
        assert listed(site, **{"query[user_id]": user.id}) == [a, b]
        # Literal brackets work as well as %-encoded ones.
        response = site.get(f"/enrollments?query[user_id]={user.id}")
        assert [e["id"] for e in response.json()["items"]] == [a, b]

    def test_course_id(self, site: SiteClient) -> None:
        wanted, ids = enroll_many(site, 3)
        enroll_many(site, 2)
        assert listed(site, **{"query[course_id]": wanted.id}) == ids
        assert listed(site, **{"query[course_id]": f" {wanted.id} "}) == ids

    @pytest.mark.parametrize("name", ["user_id", "course_id"])
    @pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999999", str(2**62)])
    def test_unparseable_or_unknown_ids_match_nothing(
        self, site: SiteClient, name: str, value: str
    ) -> None:
        enroll_many(site, 2)
        response = site.get("/enrollments", params={f"query[{name}]": value})
        assert response.status_code == 200
        assert response.json() == {"items": [], "meta": {"pagination": pagination(1, 25, 0, 0)}}

    def test_email_is_exact_and_case_insensitive(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        alice = new_learner(site, email="Alice@Example.com")
        near = new_learner(site, email="alice@example.co")
        course = new_course(site)
        wanted = make_enrollment(site, alice.id, course.id)
        make_enrollment(site, near.id, course.id)
        theirs = new_learner(other_site, email="alice@example.com")
        make_enrollment(other_site, theirs.id, new_course(other_site).id)
        for email in ("alice@example.com", "ALICE@EXAMPLE.COM", " Alice@Example.com "):
            assert listed(site, **{"query[email]": email}) == [wanted]
        assert listed(site, **{"query[email]": "alice@example"}) == []
        assert listed(site, **{"query[email]": "' OR 1=1 --"}) == []

    def test_filters_combine(self, site: SiteClient) -> None:
        user, other = new_learner(site), new_learner(site)
        course, other_course = new_course(site), new_course(site)
        wanted = make_enrollment(site, user.id, course.id)
        make_enrollment(site, user.id, other_course.id)
        make_enrollment(site, other.id, course.id)
        query = {"query[user_id]": user.id, "query[course_id]": course.id}
        assert listed(site, **query) == [wanted]
        assert listed(site, **query, **{"query[email]": other.email}) == []

    def test_unknown_and_blank_filters_are_ignored(self, site: SiteClient) -> None:
        _, ids = enroll_many(site, 2)
        assert listed(site, **{"query[shoe_size]": "12", "query[user_id]": ""}) == ids


TRUE = ["true", "1", "True", "t", "YES"]
FALSE = ["false", "0", "False", "f", "no"]


@pytest.fixture
def states(site: SiteClient) -> dict[str, int]:
    """One enrollment per state, in one course."""
    course = new_course(site)

    def enroll(**overrides: Any) -> int:
        return make_enrollment(site, new_learner(site).id, course.id, **overrides)

    return {
        "trial": enroll(activated_at=None, is_free_trial=True),
        "full": enroll(),
        "completed": enroll(completed_at=FIXED, percentage_completed=1.0),
        "expired": enroll(expiry_date=NOW - timedelta(seconds=1)),
        "expiring_now": enroll(expiry_date=NOW),
        "expiring_later": enroll(expiry_date=NOW + timedelta(milliseconds=1)),
    }


class TestBooleanFilters:
    @pytest.mark.parametrize(
        ("name", "selected"),
        [
            ("free_trial", {"trial"}),
            ("full", {"full", "completed", "expired", "expiring_now", "expiring_later"}),
            ("completed", {"completed"}),
            ("expired", {"expired", "expiring_now"}),
        ],
    )
    def test_true_selects_and_false_selects_the_complement(
        self, site: SiteClient, states: dict[str, int], name: str, selected: set[str]
    ) -> None:
        wanted = sorted(states[state] for state in selected)
        complement = sorted(states[state] for state in set(states) - selected)
        for value in TRUE:
            assert listed(site, **{f"query[{name}]": value}) == wanted, value
        for value in FALSE:
            assert listed(site, **{f"query[{name}]": value}) == complement, value

    @pytest.mark.parametrize("name", ["free_trial", "full", "completed", "expired"])
    def test_unparseable_boolean_is_ignored(
        self, site: SiteClient, states: dict[str, int], name: str
    ) -> None:
        assert listed(site, **{f"query[{name}]": "maybe"}) == sorted(states.values())

    def test_expired_items_say_so(self, site: SiteClient, states: dict[str, int]) -> None:
        items = site.get("/enrollments", params={"query[expired]": "1"}).json()["items"]
        assert [(e["id"], e["expired"]) for e in items] == [
            (states["expired"], True),
            (states["expiring_now"], True),
        ]

    def test_expired_follows_the_clock(self, site: SiteClient, states: dict[str, int]) -> None:
        clock.set_source(lambda: NOW + timedelta(milliseconds=1))
        assert listed(site, **{"query[expired]": "true"}) == [
            states["expired"],
            states["expiring_now"],
            states["expiring_later"],
        ]
        assert site.get(f"/enrollments/{states['expiring_later']}").json()["expired"] is True

    def test_boolean_and_id_filters_combine(self, site: SiteClient, states: dict[str, int]) -> None:
        user = new_learner(site)
        other_course = new_course(site)
        mine = make_enrollment(site, user.id, other_course.id, expiry_date=FIXED)
        assert listed(site, **{"query[expired]": "true", "query[user_id]": user.id}) == [mine]
        assert listed(site, **{"query[expired]": "false", "query[user_id]": user.id}) == []


# Timestamps around the UTC day 2024-03-10, in ascending order.
MOMENTS = {
    "A": datetime(2024, 3, 9, 23, 59, 59, 999000, tzinfo=UTC),
    "B": datetime(2024, 3, 10, 0, 0, tzinfo=UTC),
    "C": datetime(2024, 3, 10, 12, 0, tzinfo=UTC),
    "D": datetime(2024, 3, 10, 23, 59, 59, 999000, tzinfo=UTC),
    "E": datetime(2024, 3, 11, 0, 0, tzinfo=UTC),
}

BARE_DATE = {
    "on": "BCD",
    "before": "A",
    "after": "E",
    "on_or_before": "ABCD",
    "on_or_after": "BCDE",
}
# The instant C, 2024-03-10T12:00:00Z; `on` still means its whole UTC day.
INSTANT = {
    "on": "BCD",
    "before": "AB",
    "after": "DE",
    "on_or_before": "ABC",
    "on_or_after": "CDE",
}
INSTANT_SPELLINGS = [
    "2024-03-10T12:00:00Z",
    "2024-03-10T12:00:00.000Z",
    "2024-03-10T14:00:00+02:00",
    "2024-03-10T07:00:00-05:00",
    "2024-03-10T12:00:00",
]


@pytest.fixture(params=["created", "updated"])
def dated(request: pytest.FixtureRequest, site: SiteClient) -> tuple[str, dict[str, int]]:
    """One enrollment at each moment, on the filtered column; the other column is constant."""
    field: str = request.param
    other = "updated" if field == "created" else "created"
    course = new_course(site)
    ids = {
        label: make_enrollment(
            site,
            new_learner(site).id,
            course.id,
            **{f"{field}_at": moment, f"{other}_at": datetime(2024, 3, 10, 12, 0, tzinfo=UTC)},
        )
        for label, moment in MOMENTS.items()
    }
    return field, ids


class TestDateFilters:
    @pytest.mark.parametrize("op", list(BARE_DATE))
    def test_bare_date_is_a_whole_utc_day(
        self, site: SiteClient, dated: tuple[str, dict[str, int]], op: str
    ) -> None:
        field, ids = dated
        expected = [ids[label] for label in BARE_DATE[op]]
        assert listed(site, **{f"query[{field}_{op}]": "2024-03-10"}) == expected

    @pytest.mark.parametrize("op", list(INSTANT))
    @pytest.mark.parametrize("spelling", INSTANT_SPELLINGS)
    def test_full_timestamp_is_an_instant(
        self, site: SiteClient, dated: tuple[str, dict[str, int]], op: str, spelling: str
    ) -> None:
        field, ids = dated
        expected = [ids[label] for label in INSTANT[op]]
        assert listed(site, **{f"query[{field}_{op}]": spelling}) == expected

    @pytest.mark.parametrize(
        "value", ["yesterday", "2024-13-01", "10/03/2024", "2024-03-10T25:00Z"]
    )
    def test_unparseable_date_is_ignored(
        self, site: SiteClient, dated: tuple[str, dict[str, int]], value: str
    ) -> None:
        field, ids = dated
        assert listed(site, **{f"query[{field}_after]": value}) == sorted(ids.values())

    @pytest.mark.parametrize(
        ("op", "value", "all_match"),
        [
            ("after", "9999-12-31", False),
            ("on", "9999-12-31", False),
            ("on_or_after", "9999-12-31T23:59:59.999999Z", False),
            ("on_or_before", "9999-12-31", True),
            ("before", "9999-12-31T23:59:59Z", True),
            ("before", "0001-01-01", False),
            ("on_or_after", "0001-01-01T00:00:00Z", True),
        ],
    )
    def test_the_ends_of_the_calendar_are_dates_like_any_other(
        self,
        site: SiteClient,
        dated: tuple[str, dict[str, int]],
        op: str,
        value: str,
        all_match: bool,
    ) -> None:
        field, ids = dated
        expected = sorted(ids.values()) if all_match else []
        assert listed(site, **{f"query[{field}_{op}]": value}) == expected

    @pytest.mark.parametrize(
        "value",
        # Times that exist in their own offset but not in UTC, the calendar's ends.
        ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00"],
    )
    def test_instants_beyond_the_calendar_in_utc_are_ignored(
        self, site: SiteClient, dated: tuple[str, dict[str, int]], value: str
    ) -> None:
        field, ids = dated
        assert listed(site, **{f"query[{field}_after]": value}) == sorted(ids.values())

    def test_bounds_combine_into_a_range(
        self, site: SiteClient, dated: tuple[str, dict[str, int]]
    ) -> None:
        field, ids = dated
        query = {
            f"query[{field}_after]": "2024-03-09T23:59:59.999Z",
            f"query[{field}_before]": "2024-03-10T23:59:59.999Z",
        }
        assert listed(site, **query) == [ids["B"], ids["C"]]


class TestQueryShape:
    """The list is benchmarked with 100k+ enrollments: a fixed number of statements per page."""

    def test_a_page_is_auth_count_and_one_select(self, site: SiteClient) -> None:
        for _ in range(3):
            enroll_many(site, 3)
        user = new_learner(site)
        make_enrollment(site, user.id, new_course(site).id)
        with captured_selects(site) as statements:
            body = site.get(
                "/enrollments", params={"query[email]": user.email.upper(), "limit": 250}
            ).json()
        assert body["meta"]["pagination"]["total_items"] == 1
        auth, count, page = statements
        assert "credentials" in auth
        assert "count(" in count.lower()
        assert "join" not in count.lower()
        assert "users" in count.lower()  # the email filter, as a subquery
        assert "join" in page.lower()

        with captured_selects(site) as statements:
            assert len(listed(site)) == 10
        assert len(statements) == 3


@contextmanager
def captured_selects(site: SiteClient) -> Iterator[list[str]]:
    """The SELECT statements the server runs inside the block, auth lookup included."""
    forget_credentials()
    statements: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(site.database.engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(site.database.engine, "before_cursor_execute", capture)
