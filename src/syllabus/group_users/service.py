from __future__ import annotations

from syllabus.context import Scope
from syllabus.enrollments.service import USER_NOT_FOUND
from syllabus.errors import Unprocessable
from syllabus.events.recorder import record
from syllabus.group_users.repository import MembershipRepository
from syllabus.group_users.schemas import CreateGroupUsersRequest
from syllabus.groups.repository import GroupRepository
from syllabus.users.repository import UserRepository

INVALID_GROUP_NAMES = "Invalid group_names"


class GroupUserService:
    """Adding a user to groups by name. Idempotent: a group the user is in already stays as it
    is. A missing or unknown user, and any name that is not one of the site's groups, is a
    list-form 422 (``{"errors": ["Invalid group_names"]}``, the spec's), and then nothing is
    written. No Thinkific webhook topic is about groups: each group named records an internal
    ``group_user.created``, the membership (``created_at``, ``group_id``, ``user_id``) as it is,
    in the order the names are given (one the user was in already keeps its ``created_at``)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.users = UserRepository(scope)
        self.groups = GroupRepository(scope)
        self.memberships = MembershipRepository(scope)

    def add(self, data: CreateGroupUsersRequest) -> None:
        problems = []
        user_id = data.user_id
        if user_id is None or not self.users.exists(user_id):
            problems.append(USER_NOT_FOUND)
        names = data.group_names or []
        groups = self.groups.ids_by_names(names) if names else {}
        if not names or len(groups) < len(names):
            problems.append(INVALID_GROUP_NAMES)
        if problems or user_id is None:
            raise Unprocessable(problems)
        group_ids = [groups[name] for name in names]
        self.memberships.add(user_id, group_ids)
        payloads = self.memberships.payloads(user_id, group_ids)
        for group_id in group_ids:
            record(self.scope, "group_user.created", payloads[group_id])
