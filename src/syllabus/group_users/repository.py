"""Group memberships as ``POST /group_users`` writes them: Core inserts only."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite

from syllabus.context import Scope
from syllabus.models import GroupMembership
from syllabus.models.base import stamped

# Adding a member who is one (or whom a concurrent request just added) is no change.
_ADD = {
    "postgresql": postgresql.insert(GroupMembership).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(GroupMembership).on_conflict_do_nothing(),
}


class MembershipRepository:
    """Memberships of the site's groups: callers check that the user and groups are the site's."""

    def __init__(self, scope: Scope) -> None:
        self.session = scope.session
        self.site_id = scope.site.id
        self.now = scope.now

    def add(self, user_id: int, group_ids: Iterable[int]) -> None:
        connection = self.session.connection()
        rows = [
            stamped(self.site_id, self.now, group_id=group_id, user_id=user_id)
            for group_id in group_ids
        ]
        connection.execute(_ADD[connection.dialect.name], rows)
