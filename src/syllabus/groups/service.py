from __future__ import annotations

from syllabus.context import Scope
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import read_recorded, record_read
from syllabus.groups.repository import GROUP_PAYLOAD, GroupRepository
from syllabus.groups.schemas import GroupCreate
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.models import Group
from syllabus.pagination import PageParams

TAKEN = "has already been taken"


class GroupService:
    """Groups. No Thinkific webhook topic is about groups: creating or deleting one records an
    internal ``group.created`` or ``group.deleted``, the group with alphabetical keys."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.groups = GroupRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.groups.page(Criteria(), params)

    def read(self, id: int) -> JSONObject:
        return {"group": found(self.groups.read(id))}

    def create(self, data: GroupCreate) -> JSONObject:
        """A name another group of the site has is a 422, also when a concurrent request took
        it after this check (the unique constraint decides)."""
        if self.groups.id_by_name(data.name) is not None:
            raise Unprocessable.field("name", TAKEN)
        group = self.groups.add(Group(name=data.name, token=self.groups.free_token()))
        self.groups.flush(on_conflict=Unprocessable.field("name", TAKEN))
        body = read_recorded(self.scope, "group.created", self.groups, group.id, GROUP_PAYLOAD)
        return {"group": body}

    def delete(self, id: int) -> None:
        """Delete a group; its memberships and analyst assignments go with it (the foreign keys
        cascade), its users stay. Only the group's event is recorded."""
        group = found(self.groups.get(id))
        record_read(self.scope, "group.deleted", self.groups, group.id, GROUP_PAYLOAD)
        self.groups.delete(group)
        self.groups.flush()
