"""Contract exercises for group analysts, from both sides: ``/groups/{group_id}/analysts`` and
``/group_analysts`` (see tests/contract/harness.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.contract.harness import NO_SUCH_ID, NOT_AN_OBJECT, Contract, exercise
from tests.factories import add_analyst, make_group, make_user
from tests.groups.helpers import analyst_pairs, new_analyst

Pair = tuple[int, int]


@exercise("GET /groups/{group_id}/analysts")
def get_group_analysts(c: Contract) -> None:
    group = make_group(c.site)
    users = [new_analyst(c.site) for _ in range(2)]
    for user in reversed(users):
        add_analyst(c.site, group, user)
    c.call(200, f"/groups/{group}/analysts", expect={"group_analysts": users})
    c.call(200, f"/groups/{make_group(c.site)}/analysts", expect={"group_analysts": []})
    c.call(404, f"/groups/{NO_SUCH_ID}/analysts")
    c.call(404, f"/groups/{make_group(c.other_site)}/analysts")
    c.unauthorized(f"/groups/{group}/analysts")


def _assigns_idempotently(c: Contract, path: str, body: dict[str, Any], pair: Pair) -> None:
    """The 401s, then two 201s with no body that make one assignment."""
    c.unauthorized(path, json=body)
    assert analyst_pairs(c.site) == []
    for _ in range(2):
        assert c.call(201, path, json=body).content == b""
    assert analyst_pairs(c.site) == [pair]


def _removes(c: Contract, path: Callable[[object, object], str]) -> None:
    """``path(group, user)``: the 401s, a 204 with no body, then 404s for what is not assigned
    (any more), for a missing id, and for another site's assignment (kept)."""
    group, user = make_group(c.site), new_analyst(c.site)
    add_analyst(c.site, group, user)
    c.unauthorized(path(group, user))
    assert c.call(204, path(group, user)).content == b""
    assert analyst_pairs(c.site) == []
    c.call(404, path(group, user))
    c.call(404, path(NO_SUCH_ID, user))
    c.call(404, path(group, "abc"))
    theirs, their_user = make_group(c.other_site), new_analyst(c.other_site)
    add_analyst(c.other_site, theirs, their_user)
    c.call(404, path(theirs, their_user))
    assert analyst_pairs(c.other_site) == [(theirs, their_user)]


@exercise("POST /groups/{group_id}/analysts")
def post_group_analysts(c: Contract) -> None:
    group, user = make_group(c.site), new_analyst(c.site)
    body = {"user_ids": [user]}
    _assigns_idempotently(c, f"/groups/{group}/analysts", body, (group, user))
    plain = make_user(c.site)
    c.call(
        422,
        f"/groups/{group}/analysts",
        json={"user_ids": [plain, NO_SUCH_ID]},
        expect={
            "errors": {
                "user_ids": [
                    f"user {plain} is not a group analyst",
                    f"user {NO_SUCH_ID} does not exist",
                ]
            }
        },
    )
    blank = {"errors": {"user_ids": ["can't be blank"]}}
    c.call(422, f"/groups/{group}/analysts", json={"user_ids": []}, expect=blank)
    c.call(400, f"/groups/{group}/analysts", json=[user], expect=NOT_AN_OBJECT)
    c.call(404, f"/groups/{NO_SUCH_ID}/analysts", json=body)
    c.call(404, f"/groups/{make_group(c.other_site)}/analysts", json=body)
    assert analyst_pairs(c.site) == [(group, user)]


@exercise("DELETE /groups/{group_id}/analysts/{user_id}")
def remove_analyst_from_group(c: Contract) -> None:
    _removes(c, lambda group, user: f"/groups/{group}/analysts/{user}")


@exercise("POST /group_analysts/{user_id}/groups")
def add_group_to_analyst(c: Contract) -> None:
    group, user = make_group(c.site), new_analyst(c.site)
    body = {"group_ids": [group]}
    _assigns_idempotently(c, f"/group_analysts/{user}/groups", body, (group, user))
    theirs = make_group(c.other_site)
    c.call(
        422,
        f"/group_analysts/{user}/groups",
        json={"group_ids": [theirs]},
        expect={"errors": {"group_ids": [f"group {theirs} does not exist"]}},
    )
    plain = make_user(c.site)
    c.call(
        422,
        f"/group_analysts/{plain}/groups",
        json=body,
        expect={"errors": {"user_id": [f"user {plain} is not a group analyst"]}},
    )
    blank = {"errors": {"group_ids": ["can't be blank"]}}
    c.call(422, f"/group_analysts/{user}/groups", json={}, expect=blank)
    c.call(400, f"/group_analysts/{user}/groups", json=[group], expect=NOT_AN_OBJECT)
    c.call(404, f"/group_analysts/{NO_SUCH_ID}/groups", json=body)
    c.call(404, f"/group_analysts/{new_analyst(c.other_site)}/groups", json=body)
    assert analyst_pairs(c.site) == [(group, user)]


@exercise("DELETE /group_analysts/{user_id}/groups/{group_id}")
def remove_group_from_analyst(c: Contract) -> None:
    _removes(c, lambda group, user: f"/group_analysts/{user}/groups/{group}")
