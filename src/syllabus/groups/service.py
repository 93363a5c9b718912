from __future__ import annotations

from syllabus.context import Scope
from syllabus.errors import Unprocessable, found
from syllabus.groups.repository import GroupRepository
from syllabus.groups.schemas import GroupCreate
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.models import Group
from syllabus.pagination import PageParams

TAKEN = "has already been taken"


class GroupService:
    """Groups. No Thinkific webhook topic is about groups, so creating or deleting one records
    no event."""

    def __init__(self, scope: Scope) -> None:
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
        return {"group": found(self.groups.read(group.id))}

    def delete(self, id: int) -> None:
        """Delete a group; its memberships and analyst assignments go with it (the foreign keys
        cascade), its users stay."""
        self.groups.delete(found(self.groups.get(id)))
        self.groups.flush()
