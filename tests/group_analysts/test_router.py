"""HTTP tests for group analysts, from both sides: ``/groups/{group_id}/analysts``
(https://developers.thinkific.com/api/api-documentation/#/Groups) and ``/group_analysts``
(https://developers.thinkific.com/api/api-documentation/#/Group%20Analysts)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.events.helpers import assert_recorded, recorded
from tests.factories import add_analyst, make_group, make_user
from tests.groups.helpers import analyst_pairs, new_analyst
from tests.support import RECORD_NOT_FOUND, SiteClient, assert_answers

NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}
REMOVE_PATHS = ["/groups/{group}/analysts/{user}", "/group_analysts/{user}/groups/{group}"]


def analysts(ids: list[int]) -> dict[str, Any]:
    return {"group_analysts": ids}


def assigned(group_id: int, user_id: int) -> tuple[str, dict[str, Any]]:
    """The internal group_analyst.created event: the link, its two ids alphabetically."""
    return ("group_analyst.created", {"group_id": group_id, "user_id": user_id})


def unassigned(group_id: int, user_id: int) -> tuple[str, dict[str, Any]]:
    return ("group_analyst.deleted", {"group_id": group_id, "user_id": user_id})


def not_an_analyst(user_id: int) -> str:
    return f"user {user_id} is not a group analyst"


def no_user(user_id: int) -> str:
    return f"user {user_id} does not exist"


def no_group(group_id: int) -> str:
    return f"group {group_id} does not exist"


class TestGetGroupAnalysts:
    def test_lists_the_groups_analysts_ascending(self, site: SiteClient) -> None:
        group, other = make_group(site), make_group(site)
        users = sorted(new_analyst(site) for _ in range(3))
        for user in (users[2], users[0], users[1]):
            add_analyst(site, group, user)
        add_analyst(site, other, new_analyst(site))
        response = site.get(f"/groups/{group}/analysts")
        assert_answers(response, 200, analysts(users))

    def test_is_not_paginated(self, site: SiteClient) -> None:
        group = make_group(site)
        users = sorted(new_analyst(site) for _ in range(3))
        for user in users:
            add_analyst(site, group, user)
        response = site.get(f"/groups/{group}/analysts", params={"limit": 1, "page": 2})
        assert_answers(response, 200, analysts(users))

    def test_a_group_without_analysts_has_an_empty_list(self, site: SiteClient) -> None:
        assert_answers(site.get(f"/groups/{make_group(site)}/analysts"), 200, analysts([]))

    def test_a_deleted_user_is_no_longer_listed(self, site: SiteClient) -> None:
        group, kept, gone = make_group(site), new_analyst(site), new_analyst(site)
        add_analyst(site, group, kept)
        add_analyst(site, group, gone)
        assert site.delete(f"/users/{gone}").status_code == 204
        assert_answers(site.get(f"/groups/{group}/analysts"), 200, analysts([kept]))

    @pytest.mark.parametrize("id", ["0", "abc", "987654321"])
    def test_missing_group_is_404(self, site: SiteClient, id: str) -> None:
        assert_answers(site.get(f"/groups/{id}/analysts"), 404, RECORD_NOT_FOUND)

    def test_another_sites_group_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_group(other_site)
        add_analyst(other_site, theirs, new_analyst(other_site))
        assert_answers(site.get(f"/groups/{theirs}/analysts"), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/groups/{theirs}/analysts").status_code == 200


class TestAssignAnalystsToGroup:
    def test_assigns_and_answers_201_with_no_body(self, site: SiteClient) -> None:
        group = make_group(site)
        first, second = new_analyst(site), new_analyst(site)
        response = site.post(f"/groups/{group}/analysts", json={"user_ids": [second, first]})
        assert response.status_code == 201
        assert response.content == b""
        assert analyst_pairs(site) == sorted([(group, first), (group, second)])
        expected = analysts(sorted([first, second]))
        assert_answers(site.get(f"/groups/{group}/analysts"), 200, expected)
        # No Thinkific topic covers analysts: one internal event per user, in the body's order.
        assert_recorded(site, assigned(group, second), assigned(group, first))

    def test_is_idempotent_and_keeps_other_analysts(self, site: SiteClient) -> None:
        group = make_group(site)
        kept, user = new_analyst(site), new_analyst(site)
        add_analyst(site, group, kept)
        for _ in range(2):
            response = site.post(f"/groups/{group}/analysts", json={"user_ids": [user, user]})
            assert response.status_code == 201
        assert analyst_pairs(site) == sorted([(group, kept), (group, user)])
        # Each request records the assignment it names, once.
        assert_recorded(site, assigned(group, user), assigned(group, user))

    def test_numeric_strings_are_accepted(self, site: SiteClient) -> None:
        group, user = make_group(site), new_analyst(site)
        response = site.post(f"/groups/{group}/analysts", json={"user_ids": [str(user)]})
        assert response.status_code == 201
        assert analyst_pairs(site) == [(group, user)]

    def test_users_without_the_role_or_unknown_are_named_and_nothing_is_written(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        group = make_group(site)
        analyst = new_analyst(site)
        admin = make_user(site, roles=["site_admin", "course_admin"])
        plain = make_user(site)
        theirs = new_analyst(other_site)
        body = {"user_ids": [analyst, admin, 987654321, plain, theirs]}
        expected = {
            "errors": {
                "user_ids": [
                    not_an_analyst(admin),
                    no_user(987654321),
                    not_an_analyst(plain),
                    no_user(theirs),
                ]
            }
        }
        assert_answers(site.post(f"/groups/{group}/analysts", json=body), 422, expected)
        assert analyst_pairs(site) == []
        assert recorded(site) == []

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "can't be blank"),
            ({"user_ids": []}, "can't be blank"),
            ({"user_ids": None}, "can't be blank"),
            ({"user_ids": ["abc"]}, "is not a number"),
            ({"user_ids": [1.5]}, "must be an integer"),
            ({"user_ids": [2**64]}, "must be less than or equal to 9223372036854775807"),
            ({"user_ids": 5}, "is invalid"),
        ],
    )
    def test_invalid_user_ids(self, site: SiteClient, body: dict[str, Any], message: str) -> None:
        group = make_group(site)
        response = site.post(f"/groups/{group}/analysts", json=body)
        assert_answers(response, 422, {"errors": {"user_ids": [message]}})
        assert analyst_pairs(site) == []

    def test_missing_group_is_404(self, site: SiteClient) -> None:
        body = {"user_ids": [new_analyst(site)]}
        for id in ("0", "abc", "987654321"):
            assert_answers(site.post(f"/groups/{id}/analysts", json=body), 404, RECORD_NOT_FOUND)

    def test_another_sites_group_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_group(other_site)
        body = {"user_ids": [new_analyst(site)]}
        assert_answers(site.post(f"/groups/{theirs}/analysts", json=body), 404, RECORD_NOT_FOUND)
        assert analyst_pairs(other_site) == []
        assert recorded(site) == recorded(other_site) == []

    def test_json_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        response = site.post(f"/groups/{make_group(site)}/analysts", json=[new_analyst(site)])
        assert_answers(response, 400, NOT_AN_OBJECT)


class TestAddGroupsToAnalyst:
    def test_assigns_and_answers_201_with_no_body(self, site: SiteClient) -> None:
        first, second, other = make_group(site), make_group(site), make_group(site)
        user = new_analyst(site)
        response = site.post(f"/group_analysts/{user}/groups", json={"group_ids": [second, first]})
        assert response.status_code == 201
        assert response.content == b""
        assert analyst_pairs(site) == sorted([(first, user), (second, user)])
        assert_answers(site.get(f"/groups/{first}/analysts"), 200, analysts([user]))
        assert_answers(site.get(f"/groups/{other}/analysts"), 200, analysts([]))
        assert_recorded(site, assigned(second, user), assigned(first, user))

    def test_is_idempotent_and_keeps_other_groups(self, site: SiteClient) -> None:
        kept, group = make_group(site), make_group(site)
        user = new_analyst(site)
        add_analyst(site, kept, user)
        for _ in range(2):
            body = {"group_ids": [group, str(group)]}
            assert site.post(f"/group_analysts/{user}/groups", json=body).status_code == 201
        assert analyst_pairs(site) == sorted([(kept, user), (group, user)])

    def test_a_user_without_the_role_is_422(self, site: SiteClient) -> None:
        group, user = make_group(site), make_user(site, roles=["affiliate"])
        response = site.post(f"/group_analysts/{user}/groups", json={"group_ids": [group]})
        assert_answers(response, 422, {"errors": {"user_id": [not_an_analyst(user)]}})
        assert analyst_pairs(site) == []

    def test_unknown_groups_are_named_and_nothing_is_written(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        group, theirs, user = make_group(site), make_group(other_site), new_analyst(site)
        body = {"group_ids": [group, 987654321, theirs]}
        expected = {"errors": {"group_ids": [no_group(987654321), no_group(theirs)]}}
        response = site.post(f"/group_analysts/{user}/groups", json=body)
        assert_answers(response, 422, expected)
        assert analyst_pairs(site) == []
        assert analyst_pairs(other_site) == []
        assert recorded(site) == recorded(other_site) == []

    def test_both_problems_are_named(self, site: SiteClient) -> None:
        user = make_user(site)
        response = site.post(f"/group_analysts/{user}/groups", json={"group_ids": [987654321]})
        expected = {
            "errors": {"user_id": [not_an_analyst(user)], "group_ids": [no_group(987654321)]}
        }
        assert_answers(response, 422, expected)

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "can't be blank"),
            ({"group_ids": []}, "can't be blank"),
            ({"group_ids": ["abc"]}, "is not a number"),
        ],
    )
    def test_invalid_group_ids(self, site: SiteClient, body: dict[str, Any], message: str) -> None:
        response = site.post(f"/group_analysts/{new_analyst(site)}/groups", json=body)
        assert_answers(response, 422, {"errors": {"group_ids": [message]}})

    @pytest.mark.parametrize("id", ["0", "abc", "987654321"])
    def test_missing_user_is_404(self, site: SiteClient, id: str) -> None:
        body = {"group_ids": [make_group(site)]}
        response = site.post(f"/group_analysts/{id}/groups", json=body)
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert analyst_pairs(site) == []

    def test_another_sites_user_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = new_analyst(other_site)
        body = {"group_ids": [make_group(site)]}
        response = site.post(f"/group_analysts/{theirs}/groups", json=body)
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert analyst_pairs(site) == []

    def test_json_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        response = site.post(f"/group_analysts/{new_analyst(site)}/groups", json="x")
        assert_answers(response, 400, NOT_AN_OBJECT)


@pytest.mark.parametrize("path", REMOVE_PATHS)
class TestRemoveAnalyst:
    """The same removal from either side: ``DELETE /groups/{group_id}/analysts/{user_id}``
    and ``DELETE /group_analysts/{user_id}/groups/{group_id}``."""

    def test_removes_only_that_assignment(self, site: SiteClient, path: str) -> None:
        group, other = make_group(site), make_group(site)
        user, kept = new_analyst(site), new_analyst(site)
        for each in (group, other):
            add_analyst(site, each, user)
        add_analyst(site, group, kept)
        response = site.delete(path.format(group=group, user=user))
        assert response.status_code == 204
        assert response.content == b""
        assert analyst_pairs(site) == sorted([(group, kept), (other, user)])
        assert_answers(site.get(f"/groups/{group}/analysts"), 200, analysts([kept]))
        assert site.get(f"/users/{user}").json()["roles"] == ["group_analyst"]
        # The link as it was.
        assert_recorded(site, unassigned(group, user))

    def test_a_user_who_is_not_its_analyst_is_404(self, site: SiteClient, path: str) -> None:
        group, user = make_group(site), new_analyst(site)
        add_analyst(site, make_group(site), user)
        response = site.delete(path.format(group=group, user=user))
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert len(analyst_pairs(site)) == 1
        assert recorded(site) == []

    def test_removing_twice_is_404(self, site: SiteClient, path: str) -> None:
        group, user = make_group(site), new_analyst(site)
        add_analyst(site, group, user)
        assert site.delete(path.format(group=group, user=user)).status_code == 204
        assert_answers(site.delete(path.format(group=group, user=user)), 404, RECORD_NOT_FOUND)
        assert_recorded(site, unassigned(group, user))

    @pytest.mark.parametrize("missing", ["group", "user"])
    @pytest.mark.parametrize("id", ["0", "abc", "987654321"])
    def test_missing_ids_are_404(self, site: SiteClient, path: str, missing: str, id: str) -> None:
        group, user = make_group(site), new_analyst(site)
        add_analyst(site, group, user)
        response = site.delete(path.format(**{"group": group, "user": user, missing: id}))
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert analyst_pairs(site) == [(group, user)]

    def test_another_sites_assignment_is_404_and_kept(
        self, site: SiteClient, other_site: SiteClient, path: str
    ) -> None:
        theirs, user = make_group(other_site), new_analyst(other_site)
        add_analyst(other_site, theirs, user)
        assert_answers(site.delete(path.format(group=theirs, user=user)), 404, RECORD_NOT_FOUND)
        assert analyst_pairs(other_site) == [(theirs, user)]
        assert recorded(site) == recorded(other_site) == []
