"""HTTP tests for POST /group_users:
https://developers.thinkific.com/api/api-documentation/#/Group%20Users"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from syllabus.clock import clock
from tests.events.helpers import assert_recorded, recorded, topics
from tests.factories import add_member, make_user
from tests.groups.helpers import FIXED_TEXT, NOW, NOW_TEXT, member_pairs, new_group, race
from tests.support import SiteClient, assert_answers

INVALID_NAMES = {"errors": ["Invalid group_names"]}
NO_USER = {"errors": ["User could not be found."]}
NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}


def add(site: SiteClient, body: Any, **kwargs: Any) -> Any:
    return site.post("/group_users", json=body, **kwargs)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    """Memberships added in these tests are added at NOW."""
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


def joined(group_id: int, user_id: int, created_at: str = NOW_TEXT) -> tuple[str, dict[str, Any]]:
    """The internal group_user.created event: the membership, alphabetically."""
    return (
        "group_user.created",
        {"created_at": created_at, "group_id": group_id, "user_id": user_id},
    )


def members_listed(site: SiteClient, group_id: int) -> list[int]:
    """The ids ``GET /users?query[group_id]=`` lists."""
    response = site.get("/users", params={"query[group_id]": group_id})
    return [user["id"] for user in response.json()["items"]]


class TestAddUserToGroups:
    def test_adds_the_user_to_each_named_group_and_answers_201_with_no_body(
        self, site: SiteClient
    ) -> None:
        sales, support, other = (new_group(site, name) for name in ("Sales", "Support", "Other"))
        user = make_user(site)
        response = add(site, {"user_id": user, "group_names": ["Sales", "Support"]})
        assert response.status_code == 201
        assert response.content == b""
        assert member_pairs(site) == [(sales.id, user), (support.id, user)]
        assert members_listed(site, sales.id) == [user]
        assert members_listed(site, support.id) == [user]
        assert members_listed(site, other.id) == []
        # No Thinkific topic covers groups: one internal event per group named, in their order.
        assert_recorded(site, joined(sales.id, user), joined(support.id, user))

    def test_events_follow_the_order_of_the_names(self, site: SiteClient) -> None:
        sales, support = new_group(site, "Sales"), new_group(site, "Support")
        user = make_user(site)
        assert add(site, {"user_id": user, "group_names": ["Support", "Sales"]}).status_code == 201
        assert_recorded(site, joined(support.id, user), joined(sales.id, user))

    def test_is_idempotent_and_keeps_other_members(self, site: SiteClient) -> None:
        sales, support = new_group(site, "Sales"), new_group(site, "Support")
        user, colleague = make_user(site), make_user(site)
        add_member(site, sales.id, colleague)
        add_member(site, sales.id, user)
        for _ in range(2):
            response = add(site, {"user_id": user, "group_names": ["Sales", "Support"]})
            assert response.status_code == 201
        assert member_pairs(site) == sorted(
            [(sales.id, colleague), (sales.id, user), (support.id, user)]
        )
        # Every request records each group it names: a membership the user had already is
        # recorded as it is, with the time it was made.
        kept, new = joined(sales.id, user, FIXED_TEXT), joined(support.id, user)
        assert_recorded(site, kept, new, kept, new)

    def test_a_name_given_twice_is_one_membership(self, site: SiteClient) -> None:
        sales = new_group(site, "Sales")
        user = make_user(site)
        assert add(site, {"user_id": user, "group_names": ["Sales", "Sales"]}).status_code == 201
        assert member_pairs(site) == [(sales.id, user)]
        assert_recorded(site, joined(sales.id, user))

    def test_a_numeric_string_user_id_is_accepted(self, site: SiteClient) -> None:
        sales = new_group(site, "Sales")
        user = make_user(site)
        assert add(site, {"user_id": str(user), "group_names": ["Sales"]}).status_code == 201
        assert member_pairs(site) == [(sales.id, user)]

    def test_form_encoded_with_bracketed_names(self, site: SiteClient) -> None:
        sales, support = new_group(site, "Sales"), new_group(site, "Support")
        user = make_user(site)
        response = site.post(
            "/group_users",
            content=f"user_id={user}&group_names[]=Sales&group_names[]=Support".encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 201, response.text
        assert member_pairs(site) == [(sales.id, user), (support.id, user)]


class TestInvalidGroupNames:
    @pytest.mark.parametrize(
        "names",
        [
            ["Sales", "Nope"],
            ["sales"],  # names are exact
            ["Sales "],
            [],
            None,
            "Sales",
            ["Sales", 5],
            [["Sales"]],
        ],
    )
    def test_writes_nothing(self, site: SiteClient, names: Any) -> None:
        new_group(site, "Sales")
        user = make_user(site)
        assert_answers(add(site, {"user_id": user, "group_names": names}), 422, INVALID_NAMES)
        assert member_pairs(site) == []
        assert recorded(site) == []

    def test_missing_names_are_invalid(self, site: SiteClient) -> None:
        assert_answers(add(site, {"user_id": make_user(site)}), 422, INVALID_NAMES)

    def test_another_sites_group_is_invalid(self, site: SiteClient, other_site: SiteClient) -> None:
        new_group(site, "Sales")
        new_group(other_site, "Theirs")
        body = {"user_id": make_user(site), "group_names": ["Sales", "Theirs"]}
        assert_answers(add(site, body), 422, INVALID_NAMES)
        assert member_pairs(site) == []
        assert member_pairs(other_site) == []
        assert recorded(site) == recorded(other_site) == []


class TestUnknownUser:
    @pytest.mark.parametrize("user_id", [None, 987654321, "abc", 1.5, True, -1, 0, 2**64])
    def test_is_a_list_form_422(self, site: SiteClient, user_id: Any) -> None:
        new_group(site, "Sales")
        assert_answers(add(site, {"user_id": user_id, "group_names": ["Sales"]}), 422, NO_USER)
        assert member_pairs(site) == []
        assert recorded(site) == []

    def test_missing_user_id(self, site: SiteClient) -> None:
        new_group(site, "Sales")
        assert_answers(add(site, {"group_names": ["Sales"]}), 422, NO_USER)

    def test_another_sites_user(self, site: SiteClient, other_site: SiteClient) -> None:
        new_group(site, "Sales")
        theirs = make_user(other_site)
        assert_answers(add(site, {"user_id": theirs, "group_names": ["Sales"]}), 422, NO_USER)
        assert member_pairs(site) == []

    def test_with_invalid_names_too_both_are_listed(self, site: SiteClient) -> None:
        expected = {"errors": ["User could not be found.", "Invalid group_names"]}
        assert_answers(add(site, {"user_id": 987654321, "group_names": ["Nope"]}), 422, expected)
        assert_answers(add(site, {}), 422, expected)


def test_json_that_is_not_an_object_is_400(site: SiteClient) -> None:
    assert_answers(add(site, ["Sales"]), 400, NOT_AN_OBJECT)


def test_concurrent_adds_make_one_membership_each(site: SiteClient) -> None:
    sales, support = new_group(site, "Sales"), new_group(site, "Support")
    user = make_user(site)
    body = {"user_id": user, "group_names": ["Sales", "Support"]}
    statuses = race(lambda: add(site, body).status_code)
    assert set(statuses) == {201}
    assert member_pairs(site) == [(sales.id, user), (support.id, user)]
    assert topics(site) == ["group_user.created"] * 2 * len(statuses)
