"""Contract exercises for /group_users (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import NOT_AN_OBJECT, Contract, exercise
from tests.factories import make_user
from tests.groups.helpers import member_pairs, new_group


@exercise("POST /group_users")
def create_group_users(c: Contract) -> None:
    group, user = new_group(c.site, "Sales"), make_user(c.site)
    body = {"user_id": user, "group_names": ["Sales"]}
    c.unauthorized("/group_users", json=body)
    assert member_pairs(c.site) == []
    assert c.call(201, "/group_users", json=body).content == b""
    assert c.call(201, "/group_users", json=body).content == b""
    assert member_pairs(c.site) == [(group.id, user)]
    new_group(c.other_site, "Theirs")
    invalid = {"errors": ["Invalid group_names"]}
    c.call(422, "/group_users", json={**body, "group_names": ["Theirs"]}, expect=invalid)
    c.call(422, "/group_users", json={**body, "group_names": []}, expect=invalid)
    theirs = make_user(c.other_site)
    c.call(
        422,
        "/group_users",
        json={**body, "user_id": theirs},
        expect={"errors": ["User could not be found."]},
    )
    c.call(400, "/group_users", json=[body], expect=NOT_AN_OBJECT)
    assert member_pairs(c.site) == [(group.id, user)]
    assert member_pairs(c.other_site) == []
