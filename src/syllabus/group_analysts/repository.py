"""Group analysts: the ``group_analysts`` link table (no ORM rows of its own) and the ``Wire``
of a group's analyst ids."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from syllabus.context import Scope
from syllabus.group_analysts.schemas import GroupAnalystsRead
from syllabus.kit.wire import Children, Wire
from syllabus.models import Group, User, group_analysts
from syllabus.models.user import roles_of

GROUP_ANALYST = "group_analyst"

# A group's analysts, read as the group's one list field: no group, no body (a 404).
GROUP_ANALYSTS = Wire(
    GroupAnalystsRead,
    Group,
    children={
        "group_analysts": Children.linked(group_analysts.c.group_id, group_analysts.c.user_id, User)
    },
)

# Assigning an analyst who is assigned (or whom a concurrent request just assigned) is no change.
_ADD = {
    "postgresql": postgresql.insert(group_analysts).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(group_analysts).on_conflict_do_nothing(),
}
_REMOVE = delete(group_analysts).where(
    group_analysts.c.group_id == bindparam("group_id"),
    group_analysts.c.user_id == bindparam("user_id"),
    group_analysts.c.group_id.in_(select(Group.id).where(Group.site_id == bindparam("site_id"))),
)
_ROLES = select(User.id, User.roles_text).where(
    User.site_id == bindparam("site_id"), User.id.in_(bindparam("ids", expanding=True))
)


class AnalystRepository:
    """Analyst assignments of the site's groups: callers check that both sides are the site's."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.site_id = scope.site.id

    def analysts(self, user_ids: list[int]) -> dict[int, bool]:
        """Which of ``user_ids`` are the site's users, and whether each is a group analyst."""
        values = {"site_id": self.site_id, "ids": user_ids}
        rows = self.scope.connection.execute(_ROLES, values)
        return {id: GROUP_ANALYST in roles_of(roles) for id, roles in rows}

    def add(self, pairs: list[tuple[int, int]]) -> None:
        """Assign each ``(group_id, user_id)``."""
        connection = self.scope.connection
        rows = [{"group_id": group_id, "user_id": user_id} for group_id, user_id in pairs]
        connection.execute(_ADD[connection.dialect.name], rows)

    def remove(self, group_id: int, user_id: int) -> bool:
        """Unassign the user from the site's group; whether they were assigned."""
        values = {"site_id": self.site_id, "group_id": group_id, "user_id": user_id}
        result = self.scope.connection.execute(_REMOVE, values)
        return bool(result.rowcount)
