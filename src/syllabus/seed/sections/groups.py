"""``groups``: by name, with their members."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from syllabus.kit.validation import Email, Required
from syllabus.models import Group, GroupMembership
from syllabus.seed.loader import Load, NaturalKey, Reference, Section, Spec


class GroupSpec(Spec):
    name: Required
    members: list[Email] = []


class Groups(Section[GroupSpec]):
    key = "groups"
    spec = GroupSpec
    natural = NaturalKey("name", Group.name, "group named")
    references = (Reference("members", "users"),)
    after = ("users",)

    def new(self, load: Load, spec: GroupSpec) -> Group:
        return Group(name=spec.name, token=_token(load))

    def upsert(self, load: Load, spec: GroupSpec, row: Group, creating: bool) -> bool:
        if creating:
            load.add(row)
            load.session.flush()
        changed = False
        if creating or "members" in spec.model_fields_set:
            changed = _members(load, row, spec.members)
        if changed and not creating:
            row.updated_at = load.now
        return changed


def _token(load: Load) -> str:
    while True:
        token = secrets.token_hex(4)
        if not load.session.scalar(select(func.count()).where(Group.token == token)):
            return token


def _members(load: Load, group: Group, emails: list[str]) -> bool:
    wanted = {load.referenced("users", email).id for email in emails}
    stored = {
        membership.user_id: membership
        for membership in load.session.scalars(
            select(GroupMembership).where(GroupMembership.group_id == group.id)
        )
    }
    for user_id in sorted(wanted - set(stored)):
        load.add(GroupMembership(group_id=group.id, user_id=user_id))
    for user_id in set(stored) - wanted:
        load.session.delete(stored[user_id])
    return wanted != set(stored)


SECTION = Groups()
