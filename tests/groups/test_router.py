"""HTTP tests for /groups: https://developers.thinkific.com/api/api-documentation/#/Groups

A group's analysts (``/groups/{group_id}/analysts``) are tested in tests/group_analysts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from syllabus.clock import clock
from syllabus.groups.repository import GroupRepository
from tests.events.helpers import alphabetical, assert_recorded, recorded
from tests.factories import add_analyst, add_member, make_group, make_user
from tests.groups.helpers import (
    NOW,
    NOW_TEXT,
    TAKEN,
    MadeGroup,
    analyst_pairs,
    group_body,
    group_count,
    is_token,
    member_pairs,
    new_analyst,
    new_group,
    new_token,
    race,
    wrapped,
)
from tests.products.helpers import one_page
from tests.support import (
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
)

NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}
BLANK = {"errors": {"name": ["can't be blank"]}}


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    """Groups created through the API are created at NOW."""
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


class TestListGroups:
    def test_pages_in_ascending_id_order(self, site: SiteClient) -> None:
        assert_five_by_two(site, "/groups", [make_group(site) for _ in range(5)])

    def test_items_are_whole_unwrapped_groups_and_only_the_sites(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        first, second = new_group(site, "New Group 1"), new_group(site, "New Group 2")
        new_group(other_site, "New Group 1")
        response = site.get("/groups")
        assert_answers(response, 200, one_page(group_body(first), group_body(second)))
        assert [list(item) for item in response.json()["items"]] == [
            ["id", "name", "token", "created_at"]
        ] * 2

    def test_a_site_without_groups_has_an_empty_page(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        make_group(other_site)
        assert_answers(site.get("/groups"), 200, EMPTY_PAGE)


class TestCreateGroup:
    def test_answers_200_with_the_wrapped_group(self, site: SiteClient) -> None:
        response = site.post("/groups", json={"name": "New Group 1"})
        assert response.status_code == 200
        created = response.json()
        token = created["group"]["token"]
        assert is_token(token)
        expected = wrapped(
            group_body(MadeGroup(created["group"]["id"], "New Group 1", token), created_at=NOW_TEXT)
        )
        assert created == expected
        assert list(created["group"]) == ["id", "name", "token", "created_at"]
        assert_answers(site.get(f"/groups/{created['group']['id']}"), 200, expected)
        assert group_count(site) == 1
        # No Thinkific topic covers groups: an internal event, the (unwrapped) group
        # alphabetically.
        assert_recorded(site, ("group.created", alphabetical(expected["group"])))

    def test_each_group_gets_its_own_token(self, site: SiteClient, other_site: SiteClient) -> None:
        tokens = [
            client.post("/groups", json={"name": f"Group {n}"}).json()["group"]["token"]
            for n in range(4)
            for client in (site, other_site)
        ]
        assert all(is_token(token) for token in tokens)
        assert len(set(tokens)) == len(tokens)

    def test_a_token_any_group_has_is_drawn_again(
        self, site: SiteClient, other_site: SiteClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Tokens are unique across sites: another site's group's token is taken too.
        mine, theirs, fresh = new_group(site), new_group(other_site), new_token()
        drawn = iter([mine.token, theirs.token, fresh])
        monkeypatch.setattr("syllabus.groups.repository.new_group_token", lambda: next(drawn))
        created = site.post("/groups", json={"name": "Lucky"}).json()["group"]
        assert created["token"] == fresh

    def test_id_token_and_created_at_in_the_body_are_ignored(self, site: SiteClient) -> None:
        body = {"name": "Mine", "id": 1, "token": "aaaaaaaa", "created_at": "2020-01-01T00:00:00Z"}
        created = site.post("/groups", json=body).json()["group"]
        assert created["id"] != 1
        assert created["token"] != "aaaaaaaa"
        assert created["created_at"] == NOW_TEXT

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({}, BLANK),
            ({"name": None}, BLANK),
            ({"name": ""}, BLANK),
            ({"name": "   "}, BLANK),
            (
                {"name": "n" * 256},
                {"errors": {"name": ["is too long (maximum is 255 characters)"]}},
            ),
            ({"name": 5}, {"errors": {"name": ["is invalid"]}}),
            ({"name": ["A"]}, {"errors": {"name": ["is invalid"]}}),
        ],
    )
    def test_invalid_names_write_nothing(
        self, site: SiteClient, body: dict[str, Any], errors: dict[str, Any]
    ) -> None:
        assert_answers(site.post("/groups", json=body), 422, errors)
        assert group_count(site) == 0
        assert recorded(site) == []

    def test_a_name_of_255_characters_is_fine(self, site: SiteClient) -> None:
        response = site.post("/groups", json={"name": "n" * 255})
        assert response.json()["group"]["name"] == "n" * 255

    def test_the_name_is_unique_on_the_site(self, site: SiteClient) -> None:
        existing = new_group(site, "Sales")
        assert_answers(site.post("/groups", json={"name": "Sales"}), 422, TAKEN)
        assert_answers(site.get("/groups"), 200, one_page(group_body(existing)))

    def test_names_differing_in_case_are_different_groups(self, site: SiteClient) -> None:
        new_group(site, "Sales")
        assert site.post("/groups", json={"name": "sales"}).status_code == 200
        assert group_count(site) == 2

    def test_the_same_name_on_another_site_is_fine(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        new_group(other_site, "Sales")
        assert site.post("/groups", json={"name": "Sales"}).status_code == 200

    def test_a_concurrent_create_with_the_name_is_the_same_422(
        self, site: SiteClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Another request created the name after our lookup: the unique constraint decides.
        existing = new_group(site, "Sales")
        monkeypatch.setattr(GroupRepository, "id_by_name", lambda *_: None)
        assert_answers(site.post("/groups", json={"name": "Sales"}), 422, TAKEN)
        assert_answers(site.get("/groups"), 200, one_page(group_body(existing)))
        assert recorded(site) == []

    def test_form_encoded(self, site: SiteClient) -> None:
        response = site.post("/groups", data={"name": "Form Group"})
        assert response.status_code == 200
        assert response.json()["group"]["name"] == "Form Group"

    def test_json_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        assert_answers(site.post("/groups", json=["Sales"]), 400, NOT_AN_OBJECT)
        assert group_count(site) == 0


class TestGetGroup:
    def test_returns_the_wrapped_group(self, site: SiteClient) -> None:
        group = new_group(site, "New Group 1")
        new_group(site)
        response = site.get(f"/groups/{group.id}")
        assert_answers(response, 200, wrapped(group_body(group)))
        assert list(response.json()["group"]) == ["id", "name", "token", "created_at"]

    @pytest.mark.parametrize("id", ["0", "-1", "abc", "1.5", "987654321", "99999999999999999999"])
    def test_missing_is_404(self, site: SiteClient, id: str) -> None:
        assert_answers(site.get(f"/groups/{id}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_group_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/groups/{make_group(other_site)}")


class TestDeleteGroup:
    def test_deletes_the_group_with_its_memberships_and_analysts_but_not_its_users(
        self, site: SiteClient
    ) -> None:
        made, kept = new_group(site), make_group(site)
        group = made.id
        member, analyst = make_user(site), new_analyst(site)
        for each in (group, kept):
            add_member(site, each, member)
            add_analyst(site, each, analyst)
        response = site.delete(f"/groups/{group}")
        assert response.status_code == 204
        assert response.content == b""
        assert_answers(site.get(f"/groups/{group}"), 404, RECORD_NOT_FOUND)
        assert member_pairs(site) == [(kept, member)]
        assert analyst_pairs(site) == [(kept, analyst)]
        # The group as it was; its memberships and assignments record nothing of their own.
        assert_recorded(site, ("group.deleted", alphabetical(group_body(made))))
        assert site.get("/users", params={"query[group_id]": group}).json()["items"] == []
        assert site.get(f"/users/{member}").status_code == 200
        assert site.get(f"/users/{analyst}").status_code == 200

    def test_deleting_twice_is_404(self, site: SiteClient) -> None:
        group = make_group(site)
        assert site.delete(f"/groups/{group}").status_code == 204
        assert_answers(site.delete(f"/groups/{group}"), 404, RECORD_NOT_FOUND)

    def test_its_name_is_free_again(self, site: SiteClient) -> None:
        group = new_group(site, "Sales")
        assert site.delete(f"/groups/{group.id}").status_code == 204
        assert site.post("/groups", json={"name": "Sales"}).status_code == 200

    @pytest.mark.parametrize("id", ["0", "abc", "987654321"])
    def test_missing_is_404(self, site: SiteClient, id: str) -> None:
        assert_answers(site.delete(f"/groups/{id}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_group_is_404_and_kept(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_group(other_site)
        add_member(other_site, theirs, make_user(other_site))
        assert_answers(site.delete(f"/groups/{theirs}"), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/groups/{theirs}").status_code == 200
        assert len(member_pairs(other_site)) == 1
        assert recorded(site) == recorded(other_site) == []


def test_concurrent_creates_with_one_name_make_one_group(site: SiteClient) -> None:
    """The losers' inserts hit the unique constraint: the same 422 as the service's own check."""

    def create() -> tuple[int, Any]:
        response = site.post("/groups", json={"name": "Race"})
        return response.status_code, response.json()

    results = race(create)
    assert sorted(status for status, _ in results) == [200] + [422] * (len(results) - 1)
    assert all(body == TAKEN for status, body in results if status == 422)
    assert group_count(site) == 1
    created = next(body for status, body in results if status == 200)
    assert recorded(site) == [("group.created", alphabetical(created["group"]))]
