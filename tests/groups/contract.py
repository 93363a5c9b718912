"""Contract exercises for /groups (see tests/contract/harness.py); a group's analysts are in
tests/group_analysts/contract.py."""

from __future__ import annotations

from tests.contract.harness import NO_SUCH_ID, NOT_AN_OBJECT, Contract, exercise
from tests.factories import add_analyst, add_member, make_group, make_user
from tests.groups.helpers import (
    TAKEN,
    analyst_pairs,
    group_body,
    group_count,
    is_token,
    member_pairs,
    new_analyst,
    new_group,
    wrapped,
)


@exercise("GET /groups")
def list_groups(c: Contract) -> None:
    ids = [make_group(c.site) for _ in range(3)]
    make_group(c.other_site)
    c.page_through("/groups", ids)
    c.unauthorized("/groups")


@exercise("POST /groups")
def create_group(c: Contract) -> None:
    c.unauthorized("/groups", json={"name": "New Group 1"})
    created = c.call(200, "/groups", json={"name": "New Group 1"}).json()
    assert list(created) == ["group"]
    assert (created["group"]["name"], is_token(created["group"]["token"])) == ("New Group 1", True)
    assert c.site.get(f"/groups/{created['group']['id']}").json() == created
    c.call(422, "/groups", json={"name": "New Group 1"}, expect=TAKEN)
    c.call(422, "/groups", json={}, expect={"errors": {"name": ["can't be blank"]}})
    c.call(400, "/groups", json=["New Group 1"], expect=NOT_AN_OBJECT)
    assert group_count(c.site) == 1


@exercise("GET /groups/{id}")
def get_group(c: Contract) -> None:
    group = new_group(c.site, "New Group 1")
    c.call(200, f"/groups/{group.id}", expect=wrapped(group_body(group)))
    c.call(404, f"/groups/{NO_SUCH_ID}")
    c.call(404, "/groups/abc")
    c.call(404, f"/groups/{make_group(c.other_site)}")
    c.unauthorized(f"/groups/{group.id}")


@exercise("DELETE /groups/{id}")
def delete_group(c: Contract) -> None:
    group, user = make_group(c.site), new_analyst(c.site)
    add_member(c.site, group, user)
    add_analyst(c.site, group, user)
    c.unauthorized(f"/groups/{group}")
    assert c.call(204, f"/groups/{group}").content == b""
    assert (member_pairs(c.site), analyst_pairs(c.site)) == ([], [])
    c.call(404, f"/groups/{group}")
    theirs = make_group(c.other_site)
    add_member(c.other_site, theirs, make_user(c.other_site))
    c.call(404, f"/groups/{theirs}")
    assert group_count(c.other_site) == 1
    assert len(member_pairs(c.other_site)) == 1
