"""``groups``: by name, with their members and their analysts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from syllabus.kit.validation import Email, Required
from syllabus.models import Group, GroupMembership, User, group_analysts
from syllabus.models.group import new_group_token
from syllabus.models.user import email_key
from syllabus.seed.loader import (
    Load,
    NaturalKey,
    Problem,
    Reference,
    Section,
    Stamped,
    repeated,
    times_of,
)
from syllabus.seed.sections.users import roles_after

ANALYST = "group_analyst"


class GroupSpec(Stamped):
    name: Required
    members: list[Email] = []
    analysts: list[Email] = []


class Groups(Section[GroupSpec]):
    key = "groups"
    spec = GroupSpec
    natural = NaturalKey("name", Group.name, "group named")
    references = (Reference("members", "users"), Reference("analysts", "users"))
    after = ("users",)

    def check(self, entries: Sequence[GroupSpec]) -> Iterator[Problem]:
        for index, group in enumerate(entries):
            for field in ("members", "analysts"):
                yield from repeated(index, field, [email_key(e) for e in getattr(group, field)])

    def check_site(self, entries: Sequence[GroupSpec], load: Load) -> Iterator[Problem]:
        """An analyst is a user with the group_analyst role, as the file leaves the user."""
        for index, group in enumerate(entries):
            for position, email in enumerate(group.analysts):
                roles = roles_after(load, email)
                if roles is not None and ANALYST not in roles:
                    message = f"{email!r} is missing the {ANALYST} role"
                    yield Problem(index, message, ("analysts", position))

    def new(self, load: Load, spec: GroupSpec) -> Group:
        return Group(name=spec.name, token=_token(load))

    def upsert(self, load: Load, spec: GroupSpec, row: Group, creating: bool) -> bool:
        if creating:
            load.add(row)
            load.session.flush()
        changed = False
        if creating or "members" in spec.model_fields_set:
            changed = _members(load, row, spec.members)
        if creating or "analysts" in spec.model_fields_set:
            ids = sorted({load.referenced("users", email).id for email in spec.analysts})
            column = group_analysts.c
            changed = load.links(column.group_id, column.user_id, row.id, ids) or changed
        if changed and not creating:
            row.updated_at = load.now
        return changed

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        emails = dict(
            session.execute(select(User.id, User.email).where(User.site_id == site_id)).all()
        )
        members: defaultdict[int, list[str]] = defaultdict(list)
        for group_id, user_id in session.execute(
            select(GroupMembership.group_id, GroupMembership.user_id)
            .where(GroupMembership.site_id == site_id)
            .order_by(GroupMembership.group_id, GroupMembership.user_id)
        ):
            members[group_id].append(emails[user_id])
        analysts: defaultdict[int, list[str]] = defaultdict(list)
        for group_id, user_id in session.execute(
            select(group_analysts.c.group_id, group_analysts.c.user_id)
            .join(Group, Group.id == group_analysts.c.group_id)
            .where(Group.site_id == site_id)
            .order_by(group_analysts.c.group_id, group_analysts.c.user_id)
        ):
            analysts[group_id].append(emails[user_id])
        return [
            {
                "name": group.name,
                "members": members.get(group.id, []),
                "analysts": analysts.get(group.id, []),
                **times_of(group),
            }
            for group in session.scalars(
                select(Group).where(Group.site_id == site_id).order_by(Group.id)
            )
        ]


def _token(load: Load) -> str:
    """A new group's token, which no group of any site has."""
    while True:
        token = new_group_token()
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
