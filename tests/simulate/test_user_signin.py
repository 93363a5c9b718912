"""POST /_syllabus/sites/{subdomain}/simulate/user_signin: a user signs in, which Thinkific's
Admin API cannot cause. ``user.signin`` is recorded with ``user.signup``'s payload."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.events.helpers import alphabetical, assert_recorded, topics
from tests.factories import add_course_admin, make_course, make_user
from tests.orders.helpers import NO_SUCH_ID, frozen_clock
from tests.simulate.helpers import simulate
from tests.support import RECORD_NOT_FOUND, SiteClient, assert_answers
from tests.users.helpers import user_body

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)

FIXED_TEXT = "2024-02-22T20:32:52.726Z"
USER_MISSING = {"errors": {"user_id": ["User could not be found."]}}


def sign_in(site: SiteClient, user_id: Any) -> Any:
    return simulate(site.http, site.subdomain, "user_signin", user_id=user_id)


def test_records_user_signin_with_the_user(site: SiteClient) -> None:
    user = make_user(
        site, first_name="Bob", last_name="Smith", email="bob@example.com", roles=["affiliate"]
    )
    course = make_course(site)
    add_course_admin(site, course, user)
    expected = user_body(user, FIXED_TEXT, roles=["affiliate"], administered_course_ids=[course])

    response = sign_in(site, user)

    assert_answers(response, 200, expected)
    assert_answers(site.get(f"/users/{user}"), 200, expected)
    assert_recorded(site, ("user.signin", alphabetical(expected)))


def test_signing_in_again_records_again_and_changes_nothing(site: SiteClient) -> None:
    user = make_user(site, first_name="Bob", last_name="Smith", email="bob@example.com")
    first, second = sign_in(site, user).json(), sign_in(site, user).json()
    assert first == second == user_body(user, FIXED_TEXT)
    assert topics(site) == ["user.signin", "user.signin"]


def test_an_unknown_user_is_422(site: SiteClient) -> None:
    assert_answers(sign_in(site, NO_SUCH_ID), 422, USER_MISSING)
    assert topics(site) == []


def test_another_sites_user_is_unknown(site: SiteClient, other_site: SiteClient) -> None:
    theirs = make_user(other_site)
    assert_answers(sign_in(site, theirs), 422, USER_MISSING)
    assert topics(site) == []
    assert topics(other_site) == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"user_id": ["can't be blank"]}),
        ({"user_id": "x"}, {"user_id": ["is not a number"]}),
        ({"user_id": 2**63}, {"user_id": ["must be less than or equal to 9223372036854775807"]}),
    ],
    ids=["no-user", "not-a-number", "beyond-64-bits"],
)
def test_invalid_bodies_are_422(
    site: SiteClient, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    response = simulate(site.http, site.subdomain, "user_signin", **body)
    assert_answers(response, 422, {"errors": errors})


def test_an_unknown_site_is_404(http: TestClient) -> None:
    response = simulate(http, "no-such-site", "user_signin", user_id=1)
    assert_answers(response, 404, RECORD_NOT_FOUND)
