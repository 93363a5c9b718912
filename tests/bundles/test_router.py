"""HTTP tests for /bundles: https://developers.thinkific.com/api/api-documentation/#/Bundles

A bundle's id is its own, not its product's (FIDELITY §1); its enrollments are its courses'
enrollments, written through the one enroll primitive, so their events are enrollments' events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from syllabus.clock import clock
from syllabus.enrollments.service import EnrollmentService
from syllabus.models import Bundle, Course, User
from tests.bundles.helpers import (
    FIELD_ORDER,
    bundle_body,
    enroll_in_bundle,
    listed,
    listed_course,
    new_bundle,
    update_in_bundle,
)
from tests.enrollments.helpers import (
    FIXED_TEXT,
    NOW,
    NOW_TEXT,
    CourseRef,
    Learner,
    enrollment_body,
    event_payload,
    new_course,
    new_learner,
    recorded_events,
    stored_enrollments,
)
from tests.factories import (
    FIXED,
    add_course_admin,
    make_bundle,
    make_chapter,
    make_course,
    make_enrollment,
    make_user,
)
from tests.support import (
    AUTHENTICATION_ERROR,
    EMPTY_PAGE,
    PREFIX,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
    pagination,
)

USER_MISSING = {"errors": ["User could not be found."]}
NO_SUCH_ID = 2**62
MISSING_PATHS = ["0", "abc", "1.0", str(NO_SUCH_ID), "9" * 30]
FULLWIDTH_DIGITS = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))
JUNK_IDS: list[Callable[[int], Any]] = [
    lambda n: None,
    lambda n: "",
    lambda n: "abc",
    lambda n: f"{n}abc",
    lambda n: f"{n}.5",
    lambda n: -n,
    lambda n: str(n).translate(FULLWIDTH_DIGITS),
    lambda n: True,
    lambda n: 0,
    lambda n: 10**30,
    lambda n: [n],
]
INTERNAL_ERROR = {"error": "Internal Server Error"}


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    """Enrollment bodies hold the site's "now": freeze it, as the enrollment tests do."""
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


def bundle_with_a_learner(site: SiteClient, count: int = 2) -> tuple[int, list[CourseRef], Learner]:
    bundle, courses = new_bundle(site, count)
    return bundle, courses, new_learner(site)


class TestGetBundle:
    def test_returns_every_field_with_course_ids_in_the_bundles_order(
        self, site: SiteClient
    ) -> None:
        first, second, third = (make_course(site) for _ in range(3))
        stored = {
            "description": "<p>Three courses</p>",
            "banner_image_url": "/assets/tenant/default-course-banner.jpg",
            "bundle_card_image_url": "/assets/defaults/default-product-card.png",
            "tagline": "All of it",
        }
        bundle = make_bundle(
            site, [third, first, second], name="Demo Bundle", slug="demo-bundle", **stored
        )
        response = site.get(f"/bundles/{bundle}")
        assert response.status_code == 200
        body = response.json()
        assert body == bundle_body(
            bundle, "Demo Bundle", "demo-bundle", course_ids=[third, first, second], **stored
        )
        assert list(body) == FIELD_ORDER

    def test_empty_values_are_null_and_an_empty_list(self, site: SiteClient) -> None:
        bundle = make_bundle(site, name="Empty", slug="empty")
        assert_answers(site.get(f"/bundles/{bundle}"), 200, bundle_body(bundle, "Empty", "empty"))

    def test_other_bundles_courses_are_not_included(self, site: SiteClient) -> None:
        mine, theirs = make_course(site), make_course(site)
        bundle = make_bundle(site, [mine], name="Mine", slug="mine")
        make_bundle(site, [theirs, mine])
        assert site.get(f"/bundles/{bundle}").json() == bundle_body(
            bundle, "Mine", "mine", course_ids=[mine]
        )

    def test_the_id_is_the_bundles_not_its_products(self, site: SiteClient) -> None:
        bundle = make_bundle(site)
        product = site.db(lambda s: s.get_one(Bundle, bundle).product_id)
        assert product != bundle
        assert site.get(f"/bundles/{bundle}").status_code == 200
        assert_answers(site.get(f"/bundles/{product}"), 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize("path", MISSING_PATHS)
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(f"/bundles/{path}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_bundle_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/bundles/{make_bundle(other_site)}")

    def test_unauthenticated_is_401(self, site: SiteClient) -> None:
        response = site.http.get(f"{PREFIX}/bundles/{make_bundle(site)}")
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestGetBundleCourses:
    def test_items_are_whole_courses_in_the_bundles_order(self, site: SiteClient) -> None:
        bundle, courses = new_bundle(site, 2)
        # Child lists are the course's own, as on GET /courses/{id}.
        chapter = make_chapter(site, courses[1].id)
        admin = make_user(site)
        add_course_admin(site, courses[1].id, admin)
        outside = new_course(site)
        make_bundle(site, [outside.id])
        expected = [listed_course(site, course) for course in courses]
        expected[1].update(chapter_ids=[chapter], administrator_user_ids=[admin])
        assert site.get(f"/bundles/{bundle}/courses").json() == {
            "items": expected,
            "meta": {"pagination": pagination(1, 25, 2, 2)},
        }

    def test_pages_in_the_bundles_order(self, site: SiteClient) -> None:
        ids = [make_course(site) for _ in range(5)]
        shuffled = [ids[3], ids[0], ids[4], ids[2], ids[1]]
        bundle = make_bundle(site, shuffled)
        assert_five_by_two(site, f"/bundles/{bundle}/courses", shuffled)

    def test_a_course_in_several_bundles_is_listed_once_in_each(self, site: SiteClient) -> None:
        shared, first, last = (make_course(site) for _ in range(3))
        bundle = make_bundle(site, [first, shared, last])
        other = make_bundle(site, [shared, first])
        assert listed(site, f"/bundles/{bundle}/courses") == [first, shared, last]
        assert listed(site, f"/bundles/{other}/courses") == [shared, first]
        page = site.get(f"/bundles/{bundle}/courses", params={"limit": 2, "page": 2}).json()
        assert ([item["id"] for item in page["items"]], page["meta"]["pagination"]) == (
            [last],
            pagination(2, 2, 3, 1),
        )

    def test_an_empty_bundle_has_no_courses(self, site: SiteClient) -> None:
        make_bundle(site, [make_course(site)])
        assert_answers(site.get(f"/bundles/{make_bundle(site)}/courses"), 200, EMPTY_PAGE)

    @pytest.mark.parametrize("path", MISSING_PATHS)
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(f"/bundles/{path}/courses"), 404, RECORD_NOT_FOUND)

    def test_another_sites_bundle_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_bundle(other_site, [make_course(other_site)])
        assert_only_theirs(site, other_site, f"/bundles/{theirs}/courses")

    def test_unauthenticated_is_401(self, site: SiteClient) -> None:
        response = site.http.get(f"{PREFIX}/bundles/{make_bundle(site)}/courses")
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestGetBundleEnrollments:
    def test_items_are_the_enrollments_of_the_bundles_courses_by_id(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        bundle, (one, two), user = bundle_with_a_learner(site)
        other = new_learner(site)
        a = make_enrollment(site, user.id, two.id)
        outside = new_course(site)
        make_enrollment(site, user.id, outside.id)
        b = make_enrollment(site, other.id, one.id, expiry_date=FIXED, percentage_completed=0.5)
        c = make_enrollment(site, user.id, one.id, activated_at=None, is_free_trial=True)
        make_enrollment(other_site, new_learner(other_site).id, new_course(other_site).id)
        assert site.get(f"/bundles/{bundle}/enrollments").json() == {
            "items": [
                enrollment_body(a, user, two),
                enrollment_body(
                    b, other, one, expiry_date=FIXED_TEXT, expired=True, percentage_completed="0.5"
                ),
                enrollment_body(c, user, one, activated_at=None, is_free_trial=True),
            ],
            "meta": {"pagination": pagination(1, 25, 3, 3)},
        }

    def test_pages_in_ascending_id_order(self, site: SiteClient) -> None:
        bundle, courses = new_bundle(site, 2)
        ids = [make_enrollment(site, new_learner(site).id, courses[n % 2].id) for n in range(5)]
        assert_five_by_two(site, f"/bundles/{bundle}/enrollments", ids)

    @pytest.mark.parametrize(
        ("query", "wanted"),
        [
            pytest.param({"query[completed]": "true"}, ["done"], id="completed"),
            pytest.param(
                {"query[completed]": "0"}, ["current", "lapsed", "fresh"], id="incomplete"
            ),
            pytest.param({"query[expired]": "yes"}, ["lapsed"], id="expired"),
            pytest.param({"query[expired]": "false"}, ["done", "current", "fresh"], id="current"),
            # The spec types them date-time (FIDELITY §9.2 #15): a date is no boolean, so ignored.
            pytest.param(
                {"query[completed]": "2021-04-27", "query[expired]": "2021-04-27"},
                ["done", "current", "lapsed", "fresh"],
                id="dates-are-ignored",
            ),
            pytest.param({"query[created_after]": "2024-02-22"}, ["fresh"], id="created-after"),
            pytest.param(
                {"query[created_before]": "2024-02-23"},
                ["done", "current", "lapsed"],
                id="created-before",
            ),
            pytest.param({"query[created_on]": "2025-01-10"}, ["fresh"], id="created-on"),
            pytest.param(
                {"query[created_on_or_after]": "2024-02-22T20:32:52.726Z"},
                ["done", "current", "lapsed", "fresh"],
                id="created-on-or-after",
            ),
            pytest.param(
                {"query[created_on_or_before]": "2024-02-22"},
                ["done", "current", "lapsed"],
                id="created-on-or-before",
            ),
            pytest.param({"query[updated_on]": "2024-03-01"}, ["done"], id="updated-on"),
            pytest.param(
                {"query[updated_after]": "2024-02-22"}, ["done", "fresh"], id="updated-after"
            ),
            pytest.param(
                {"query[updated_before]": "2024-02-23"},
                ["current", "lapsed"],
                id="updated-before",
            ),
            pytest.param(
                {"query[updated_on_or_after]": "2024-03-01"},
                ["done", "fresh"],
                id="updated-on-or-after",
            ),
            pytest.param(
                {"query[updated_on_or_before]": "2024-03-01"},
                ["done", "current", "lapsed"],
                id="updated-on-or-before",
            ),
            # Filters of /enrollments that the bundle list does not have are ignored.
            pytest.param(
                {"query[course_id]": "1", "query[free_trial]": "true", "query[full]": "false"},
                ["done", "current", "lapsed", "fresh"],
                id="course-and-trial-are-no-filters-here",
            ),
        ],
    )
    def test_filters(self, site: SiteClient, query: dict[str, str], wanted: list[str]) -> None:
        bundle, courses, user = bundle_with_a_learner(site)
        later = FIXED + timedelta(days=8)
        stored: dict[str, dict[str, Any]] = {
            "done": {"completed_at": later, "updated_at": later},
            "current": {"expiry_date": NOW + timedelta(days=1)},
            "lapsed": {"expiry_date": NOW},
            "fresh": {"created_at": NOW, "updated_at": NOW},
        }
        ids = {
            name: make_enrollment(site, new_learner(site).id, courses[0].id, **values)
            for name, values in stored.items()
        }
        make_enrollment(site, user.id, new_course(site).id, completed_at=later, expiry_date=NOW)
        assert listed(site, f"/bundles/{bundle}/enrollments", **query) == [
            ids[name] for name in wanted
        ]

    def test_user_id_and_email(self, site: SiteClient) -> None:
        bundle, courses, user = bundle_with_a_learner(site)
        other = new_learner(site)
        mine = [make_enrollment(site, user.id, course.id) for course in courses]
        make_enrollment(site, other.id, courses[0].id)
        make_enrollment(site, user.id, new_course(site).id)
        path = f"/bundles/{bundle}/enrollments"
        assert listed(site, path, **{"query[user_id]": user.id}) == mine
        assert listed(site, path, **{"query[user_id]": "abc"}) == []
        assert listed(site, path, **{"query[email]": user.email.upper()}) == mine
        assert listed(site, path, **{"query[email]": "nobody@example.com"}) == []
        # Literal brackets work as well as %-encoded ones.
        response = site.get(f"{path}?query[user_id]={user.id}&limit=100")
        assert [item["id"] for item in response.json()["items"]] == mine

    def test_a_bundle_without_enrollments_lists_none(self, site: SiteClient) -> None:
        bundle, _ = new_bundle(site, 1)
        make_enrollment(site, new_learner(site).id, new_course(site).id)
        assert_answers(site.get(f"/bundles/{bundle}/enrollments"), 200, EMPTY_PAGE)

    @pytest.mark.parametrize("path", MISSING_PATHS)
    def test_missing_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(f"/bundles/{path}/enrollments"), 404, RECORD_NOT_FOUND)

    def test_another_sites_bundle_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs, courses = new_bundle(other_site, 1)
        make_enrollment(other_site, new_learner(other_site).id, courses[0].id)
        assert_only_theirs(site, other_site, f"/bundles/{theirs}/enrollments")

    def test_unauthenticated_is_401(self, site: SiteClient) -> None:
        response = site.http.get(f"{PREFIX}/bundles/{make_bundle(site)}/enrollments")
        assert_answers(response, 401, AUTHENTICATION_ERROR)


def bundle_enrollments(site: SiteClient, bundle: int) -> list[dict[str, Any]]:
    response = site.get(f"/bundles/{bundle}/enrollments")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


class TestCreateEnrollmentInBundle:
    @pytest.mark.parametrize(
        ("sent", "expected", "action"),
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
                "created",
                id="with-activated-at-full-enrollments",
            ),
            pytest.param(
                {}, {"activated_at": None, "is_free_trial": True}, "trial", id="free-trials"
            ),
            pytest.param(
                {"activated_at": " 2025-01-10T09:00:00+01:00 ", "expiry_date": "  "},
                {"activated_at": "2025-01-10T08:00:00.000Z"},
                "created",
                id="dates-may-be-padded-or-blank",
            ),
        ],
    )
    def test_enrolls_in_every_course_and_answers_201_without_a_body(
        self, site: SiteClient, sent: dict[str, Any], expected: dict[str, Any], action: str
    ) -> None:
        bundle, courses, user = bundle_with_a_learner(site)
        response = enroll_in_bundle(site, bundle, user.id, **sent)
        assert response.status_code == 201
        assert response.content == b""
        # Enrolled in the bundle's order, one enrollment and one event per course.
        stored = stored_enrollments(site)
        assert [(user_id, course_id) for _, user_id, course_id in stored] == [
            (user.id, course.id) for course in courses
        ]
        bodies = [
            enrollment_body(id, user, course, created_at=NOW_TEXT, updated_at=NOW_TEXT, **expected)
            for (id, _, _), course in zip(stored, courses, strict=True)
        ]
        assert bundle_enrollments(site, bundle) == bodies
        payload = {"activated_at": expected["activated_at"], "created_at": NOW_TEXT}
        if expected.get("is_free_trial"):
            payload["free_trial"] = True
        if "expiry_date" in expected:
            payload["expiry_date"] = expected["expiry_date"]
        assert recorded_events(site) == [
            (
                "enrollment",
                action,
                event_payload(id, user, course, updated_at=NOW_TEXT, **payload),
            )
            for (id, _, _), course in zip(stored, courses, strict=True)
        ]

    def test_an_existing_enrollment_is_updated_not_duplicated(self, site: SiteClient) -> None:
        bundle, (one, two), user = bundle_with_a_learner(site)
        existing = make_enrollment(
            site, user.id, two.id, expiry_date=NOW + timedelta(days=1), percentage_completed=0.5
        )
        response = enroll_in_bundle(site, bundle, user.id, activated_at="2025-01-10T09:15:30Z")
        assert response.status_code == 201
        stored = stored_enrollments(site)
        assert stored[0] == (existing, user.id, two.id)
        assert [row[1:] for row in stored] == [(user.id, two.id), (user.id, one.id)]
        added = stored[1][0]
        # The bundle's dates replace the existing ones (no expiry given: none), progress stays.
        activated = "2025-01-10T09:15:30.000Z"
        assert bundle_enrollments(site, bundle) == [
            enrollment_body(
                existing,
                user,
                two,
                activated_at=activated,
                percentage_completed="0.5",
                updated_at=NOW_TEXT,
            ),
            enrollment_body(
                added, user, one, activated_at=activated, created_at=NOW_TEXT, updated_at=NOW_TEXT
            ),
        ]
        assert [(action, payload["id"]) for _, action, payload in recorded_events(site)] == [
            ("created", added),
            ("created", existing),
        ]

    @pytest.mark.parametrize(
        "spell",
        [str, float, lambda n: f" {n} ", lambda n: f"{n}.0"],
        ids=["string", "float", "padded", "point-zero"],
    )
    def test_the_user_id_is_parsed_leniently(
        self, site: SiteClient, spell: Callable[[int], Any]
    ) -> None:
        bundle, courses, user = bundle_with_a_learner(site, 1)
        assert enroll_in_bundle(site, bundle, spell(user.id)).status_code == 201
        assert [row[1:] for row in stored_enrollments(site)] == [(user.id, courses[0].id)]

    def test_form_encoded(self, site: SiteClient) -> None:
        bundle, courses, user = bundle_with_a_learner(site, 1)
        response = site.post(
            f"/bundles/{bundle}/enrollments",
            content=f"user_id={user.id}&activated_at=2025-01-10T09%3A00%3A00Z&expiry_date=",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 201
        (body,) = bundle_enrollments(site, bundle)
        assert (body["course_id"], body["activated_at"], body["expiry_date"]) == (
            courses[0].id,
            "2025-01-10T09:00:00.000Z",
            None,
        )

    @pytest.mark.parametrize("junk", [*JUNK_IDS, lambda n: NO_SUCH_ID])
    def test_an_unknown_user_is_a_list_422_and_writes_nothing(
        self, site: SiteClient, junk: Callable[[int], Any]
    ) -> None:
        bundle, _, user = bundle_with_a_learner(site)
        assert_answers(enroll_in_bundle(site, bundle, junk(user.id)), 422, USER_MISSING)
        assert stored_enrollments(site) == []
        assert recorded_events(site) == []

    def test_a_missing_user_id_is_the_same_422(self, site: SiteClient) -> None:
        bundle, _ = new_bundle(site, 1)
        response = site.post(f"/bundles/{bundle}/enrollments", json={"activated_at": "2025-01-10"})
        assert_answers(response, 422, USER_MISSING)

    def test_another_sites_user_could_not_be_found(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        bundle, _ = new_bundle(site, 1)
        theirs = new_learner(other_site)
        assert_answers(enroll_in_bundle(site, bundle, theirs.id), 422, USER_MISSING)
        assert stored_enrollments(site) == stored_enrollments(other_site) == []

    @pytest.mark.parametrize("field", ["activated_at", "expiry_date"])
    @pytest.mark.parametrize("value", ["tomorrow", "2025-13-01T00:00:00Z", []])
    def test_bad_dates_are_a_field_map_422(self, site: SiteClient, field: str, value: Any) -> None:
        bundle, _, user = bundle_with_a_learner(site)
        response = enroll_in_bundle(site, bundle, user.id, **{field: value})
        assert_answers(response, 422, {"errors": {field: ["is invalid"]}})
        assert stored_enrollments(site) == []

    @pytest.mark.parametrize("path", MISSING_PATHS)
    def test_a_missing_bundle_is_404_before_the_user(self, site: SiteClient, path: str) -> None:
        user = new_learner(site)
        assert_answers(enroll_in_bundle(site, path, user.id), 404, RECORD_NOT_FOUND)
        assert_answers(enroll_in_bundle(site, path, NO_SUCH_ID), 404, RECORD_NOT_FOUND)
        assert stored_enrollments(site) == []

    def test_another_sites_bundle_is_404_and_writes_nothing(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs, _ = new_bundle(other_site, 2)
        user = new_learner(site)
        assert_answers(enroll_in_bundle(site, theirs, user.id), 404, RECORD_NOT_FOUND)
        assert stored_enrollments(site) == stored_enrollments(other_site) == []
        assert recorded_events(other_site) == []

    def test_an_empty_bundle_enrolls_in_nothing(self, site: SiteClient) -> None:
        user = new_learner(site)
        assert enroll_in_bundle(site, make_bundle(site), user.id).status_code == 201
        assert stored_enrollments(site) == []
        assert recorded_events(site) == []

    def test_a_failure_half_way_writes_nothing(
        self, site: SiteClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        bundle, courses, user = bundle_with_a_learner(site, 3)
        enroll = EnrollmentService.enroll
        done: list[int] = []

        def enroll_then_fail(
            service: EnrollmentService, learner: User, course: Course, *args: Any, **kwargs: Any
        ) -> Any:
            if done:
                raise RuntimeError("the second course fails")
            done.append(course.id)
            return enroll(service, learner, course, *args, **kwargs)

        monkeypatch.setattr(EnrollmentService, "enroll", enroll_then_fail)
        response = enroll_in_bundle(site, bundle, user.id, activated_at="2025-01-10")
        assert_answers(response, 500, INTERNAL_ERROR)
        # The first course's enrollment was written (and flushed) before the failure.
        assert done == [courses[0].id]
        assert stored_enrollments(site) == []
        assert recorded_events(site) == []

    def test_unauthenticated_writes_nothing(self, site: SiteClient) -> None:
        bundle, _, user = bundle_with_a_learner(site)
        response = site.http.post(
            f"{PREFIX}/bundles/{bundle}/enrollments",
            json={"user_id": user.id},
            headers={"X-Auth-API-Key": "f" * 32, "X-Auth-Subdomain": site.subdomain},
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert stored_enrollments(site) == []


class TestUpdateEnrollmentsInBundle:
    @pytest.mark.parametrize(
        ("stored", "sent", "changed"),
        [
            pytest.param(
                {"expiry_date": NOW + timedelta(days=1)},
                {"expiry_date": "2026-06-01T12:00:00-04:00"},
                {"expiry_date": "2026-06-01T16:00:00.000Z"},
                id="changes-only-the-sent-field",
            ),
            pytest.param(
                {"expiry_date": NOW + timedelta(days=1)},
                {"activated_at": "2025-01-01"},
                {
                    "activated_at": "2025-01-01T00:00:00.000Z",
                    "expiry_date": "2025-01-11T09:15:30.250Z",
                },
                id="absent-expiry-is-kept",
            ),
            pytest.param(
                {"expiry_date": NOW - timedelta(days=1)},
                {"expiry_date": None},
                {},
                id="null-clears-the-expiry",
            ),
            pytest.param(
                {"activated_at": None, "is_free_trial": True},
                {"activated_at": "2025-01-10T09:15:30Z"},
                {"activated_at": "2025-01-10T09:15:30.000Z"},
                id="activating-trials-makes-them-full",
            ),
            pytest.param({}, {}, {}, id="only-a-user-id-only-touches"),
        ],
    )
    def test_changes_every_enrollment_in_the_bundle_and_answers_204(
        self,
        site: SiteClient,
        stored: dict[str, Any],
        sent: dict[str, Any],
        changed: dict[str, Any],
    ) -> None:
        bundle, courses, user = bundle_with_a_learner(site)
        # Enrolled in the bundle's courses last to first: ids descend in the bundle's order.
        ids = [make_enrollment(site, user.id, course.id, **stored) for course in courses[::-1]]
        ids.reverse()
        response = update_in_bundle(site, bundle, user.id, **sent)
        assert response.status_code == 204
        assert response.content == b""
        assert bundle_enrollments(site, bundle) == [
            enrollment_body(id, user, course, updated_at=NOW_TEXT, **changed)
            for id, course in sorted(zip(ids, courses, strict=True))
        ]
        # One internal event per enrollment, in the bundle's order.
        assert recorded_events(site) == [
            (
                "enrollment",
                "updated",
                event_payload(id, user, course, updated_at=NOW_TEXT, **changed),
            )
            for id, course in zip(ids, courses, strict=True)
        ]

    def test_a_past_expiry_unenrolls_from_the_whole_bundle(self, site: SiteClient) -> None:
        bundle, courses, user = bundle_with_a_learner(site)
        ids = [make_enrollment(site, user.id, course.id) for course in courses]
        response = update_in_bundle(site, bundle, user.id, expiry_date="2025-01-09T23:59:59Z")
        assert response.status_code == 204
        for id in ids:
            body = site.get(f"/enrollments/{id}").json()
            assert (body["expiry_date"], body["expired"]) == ("2025-01-09T23:59:59.000Z", True)
        path = f"/bundles/{bundle}/enrollments"
        assert listed(site, path, **{"query[expired]": "true"}) == ids
        assert listed(site, path, **{"query[expired]": "false"}) == []

    def test_only_this_users_enrollments_in_this_bundle_change(self, site: SiteClient) -> None:
        bundle, (one, two), user = bundle_with_a_learner(site)
        other = new_learner(site)
        outside = new_course(site)
        make_bundle(site, [outside.id])
        theirs = make_enrollment(site, other.id, one.id)
        elsewhere = make_enrollment(site, user.id, outside.id)
        # Enrolled in one of the bundle's two courses: that one changes, none is created.
        mine = make_enrollment(site, user.id, two.id)
        response = update_in_bundle(site, bundle, user.id, expiry_date="2026-01-01T00:00:00Z")
        assert response.status_code == 204
        assert site.get(f"/enrollments/{mine}").json() == enrollment_body(
            mine, user, two, expiry_date="2026-01-01T00:00:00.000Z", updated_at=NOW_TEXT
        )
        assert site.get(f"/enrollments/{theirs}").json() == enrollment_body(theirs, other, one)
        assert site.get(f"/enrollments/{elsewhere}").json() == enrollment_body(
            elsewhere, user, outside
        )
        assert [row[0] for row in stored_enrollments(site)] == [theirs, elsewhere, mine]
        assert [payload["id"] for _, _, payload in recorded_events(site)] == [mine]

    def test_a_user_with_none_of_the_bundles_enrollments_is_404(self, site: SiteClient) -> None:
        bundle, courses, user = bundle_with_a_learner(site)
        make_enrollment(site, user.id, new_course(site).id)
        make_enrollment(site, new_learner(site).id, courses[0].id)
        before = stored_enrollments(site)
        response = update_in_bundle(site, bundle, user.id, expiry_date="2020-01-01")
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert stored_enrollments(site) == before
        assert recorded_events(site) == []

    @pytest.mark.parametrize("junk", [*JUNK_IDS, lambda n: NO_SUCH_ID])
    def test_an_unknown_user_is_a_list_422(
        self, site: SiteClient, junk: Callable[[int], Any]
    ) -> None:
        bundle, courses, user = bundle_with_a_learner(site, 1)
        make_enrollment(site, user.id, courses[0].id)
        response = update_in_bundle(site, bundle, junk(user.id), expiry_date="2020-01-01")
        assert_answers(response, 422, USER_MISSING)
        assert recorded_events(site) == []

    @pytest.mark.parametrize("field", ["activated_at", "expiry_date"])
    @pytest.mark.parametrize("value", ["yesterday", "2025-02-30", {"at": "now"}])
    def test_bad_dates_are_a_field_map_422_and_change_nothing(
        self, site: SiteClient, field: str, value: Any
    ) -> None:
        bundle, courses, user = bundle_with_a_learner(site, 1)
        enrollment = make_enrollment(site, user.id, courses[0].id)
        response = update_in_bundle(site, bundle, user.id, **{field: value})
        assert_answers(response, 422, {"errors": {field: ["is invalid"]}})
        assert site.get(f"/enrollments/{enrollment}").json() == enrollment_body(
            enrollment, user, courses[0]
        )
        assert recorded_events(site) == []

    @pytest.mark.parametrize("path", MISSING_PATHS)
    def test_a_missing_bundle_is_404(self, site: SiteClient, path: str) -> None:
        user = new_learner(site)
        response = update_in_bundle(site, path, user.id, expiry_date="2020-01-01")
        assert_answers(response, 404, RECORD_NOT_FOUND)

    def test_another_sites_bundle_is_404_and_unchanged(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs, courses = new_bundle(other_site, 1)
        user = new_learner(other_site)
        enrollment = make_enrollment(other_site, user.id, courses[0].id)
        response = update_in_bundle(site, theirs, user.id, expiry_date="2020-01-01")
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/enrollments/{enrollment}").json() == enrollment_body(
            enrollment, user, courses[0]
        )
        assert recorded_events(other_site) == []

    def test_unauthenticated_changes_nothing(self, site: SiteClient) -> None:
        bundle, courses, user = bundle_with_a_learner(site, 1)
        enrollment = make_enrollment(site, user.id, courses[0].id)
        response = site.http.put(
            f"{PREFIX}/bundles/{bundle}/enrollments",
            json={"user_id": user.id, "expiry_date": "2020-01-01"},
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert site.get(f"/enrollments/{enrollment}").json() == enrollment_body(
            enrollment, user, courses[0]
        )


@pytest.mark.parametrize(
    ("method", "path", "operation_id"),
    [
        ("get", "/bundles/{id}", "getBundleByID"),
        # The spec gives this one no operationId: ours, after its summary.
        ("get", "/bundles/{id}/courses", "getCoursesByBundleID"),
        ("get", "/bundles/{id}/enrollments", "getBundleEnrollments"),
        ("post", "/bundles/{id}/enrollments", "createEnrollmentInBundle"),
        ("put", "/bundles/{id}/enrollments", "updateEnrollmentsInBundle"),
    ],
)
def test_operations_are_documented_with_the_specs_ids(
    site: SiteClient, method: str, path: str, operation_id: str
) -> None:
    openapi = site.http.get("/openapi.json").json()
    assert openapi["paths"][PREFIX + path][method]["operationId"] == operation_id
