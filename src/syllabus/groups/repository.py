from __future__ import annotations

from sqlalchemy import bindparam, select

from syllabus.groups.schemas import GroupRead
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Wire
from syllabus.models import Group
from syllabus.models.group import new_group_token

GROUP = Wire(GroupRead, Group)
# group.created and group.deleted: internal topics.
GROUP_PAYLOAD = GROUP.alphabetical()

_IN_SITE = Group.site_id == bindparam("site_id")
_ID_BY_NAME = select(Group.id).where(_IN_SITE, Group.name == bindparam("name"))
_IDS_BY_NAMES = select(Group.name, Group.id).where(
    _IN_SITE, Group.name.in_(bindparam("names", expanding=True))
)
_EXISTING = select(Group.id).where(_IN_SITE, Group.id.in_(bindparam("ids", expanding=True)))
# Tokens are unique across every site: the lookup is not the site's.
_TOKEN_TAKEN = select(Group.id).where(Group.token == bindparam("token"))


class GroupRepository(Repository[Group]):
    model = Group
    wire = GROUP

    def id_by_name(self, name: str) -> int | None:
        found: int | None = self.value(_ID_BY_NAME, name=name)
        return found

    def ids_by_names(self, names: list[str]) -> dict[str, int]:
        """The site's groups named by ``names`` (exactly), by name."""
        values = {"site_id": self.site_id, "names": names}
        rows = self.scope.connection.execute(_IDS_BY_NAMES, values)
        return {name: id for name, id in rows}

    def existing(self, ids: list[int]) -> set[int]:
        """Which of ``ids`` are the site's groups."""
        values = {"site_id": self.site_id, "ids": ids}
        return set(self.scope.connection.scalars(_EXISTING, values))

    def free_token(self) -> str:
        """A new token no group has (``new_group_token``, drawn again on a clash)."""
        connection = self.scope.connection
        while True:
            token = new_group_token()
            if connection.execute(_TOKEN_TAKEN, {"token": token}).first() is None:
                return token
