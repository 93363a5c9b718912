"""Group memberships as ``POST /group_users`` writes them: Core inserts only."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite

from syllabus.context import Scope
from syllabus.group_users.schemas import GroupUserPayload
from syllabus.kit.wire import JSONObject, Wire
from syllabus.models import GroupMembership
from syllabus.models.base import stamped

GROUP_USER_PAYLOAD = Wire(GroupUserPayload, GroupMembership, sort_keys=True)

# Adding a member who is one (or whom a concurrent request just added) is no change.
_ADD = {
    "postgresql": postgresql.insert(GroupMembership).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(GroupMembership).on_conflict_do_nothing(),
}
# The user's memberships of the groups :ids, as payloads.
_PAYLOADS = GROUP_USER_PAYLOAD.select.where(
    GroupMembership.site_id == bindparam("site_id"),
    GroupMembership.user_id == bindparam("user_id"),
    GroupMembership.group_id.in_(bindparam("ids", expanding=True)),
)


class MembershipRepository:
    """Memberships of the site's groups: callers check that the user and groups are the site's."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.site_id = scope.site.id

    def add(self, user_id: int, group_ids: Iterable[int]) -> None:
        connection = self.scope.connection
        rows = [
            stamped(self.site_id, self.scope.now, group_id=group_id, user_id=user_id)
            for group_id in group_ids
        ]
        connection.execute(_ADD[connection.dialect.name], rows)

    def payloads(self, user_id: int, group_ids: list[int]) -> dict[int, JSONObject]:
        """The user's memberships of ``group_ids`` as ``group_user.created`` payloads, by group."""
        values = {"site_id": self.site_id, "user_id": user_id, "ids": group_ids}
        rows = self.scope.connection.execute(_PAYLOADS, values)
        return {row.group_id: GROUP_USER_PAYLOAD.render(row, self.scope, ()) for row in rows}
