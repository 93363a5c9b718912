from __future__ import annotations

from syllabus.context import Scope
from syllabus.errors import RecordNotFound, Unprocessable, found
from syllabus.events.recorder import record
from syllabus.events.topics import InternalTopic
from syllabus.group_analysts.repository import GROUP_ANALYSTS, AnalystRepository
from syllabus.groups.repository import GroupRepository
from syllabus.kit.wire import JSONObject


def _problem(user_id: int, analyst: bool | None) -> str | None:
    """What is wrong with making ``user_id`` an analyst (``analyst``: None for no such user)."""
    if analyst is None:
        return f"user {user_id} does not exist"
    return None if analyst else f"user {user_id} is not a group analyst"


class AnalystService:
    """Which users (with the ``group_analyst`` role) analyze which groups, from either side.

    Assigning is idempotent. Every id is checked before anything is written: an unknown user or
    group (or another site's), or a user without the role, is a 422 naming each, and then
    nothing is written. No Thinkific webhook topic is about group analysts: each assignment
    named records an internal ``group_analyst.created`` and an unassignment a
    ``group_analyst.deleted``, whose payload is the link, ``{"group_id": ..., "user_id": ...}``
    (it has no other field, and no row of its own to read).
    """

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.groups = GroupRepository(scope)
        self.analysts = AnalystRepository(scope)

    def of_group(self, group_id: int) -> JSONObject:
        return found(self.groups.read(group_id, GROUP_ANALYSTS))

    def assign_users(self, group_id: int, user_ids: list[int]) -> None:
        self.groups.require(group_id)
        analysts = self.analysts.analysts(user_ids)
        problems = [_problem(id, analysts.get(id)) for id in user_ids]
        if any(problems):
            raise Unprocessable({"user_ids": [problem for problem in problems if problem]})
        self._assign([(group_id, user_id) for user_id in user_ids])

    def assign_groups(self, user_id: int, group_ids: list[int]) -> None:
        analyst = self.analysts.analysts([user_id]).get(user_id)
        if analyst is None:
            raise RecordNotFound()
        errors: dict[str, list[str]] = {}
        problem = _problem(user_id, analyst)
        if problem:
            errors["user_id"] = [problem]
        existing = self.groups.existing(group_ids)
        missing = [f"group {id} does not exist" for id in group_ids if id not in existing]
        if missing:
            errors["group_ids"] = missing
        if errors:
            raise Unprocessable(errors)
        self._assign([(group_id, user_id) for group_id in group_ids])

    def unassign(self, group_id: int, user_id: int) -> None:
        """A 404 unless the user is an analyst of the site's group."""
        if not self.analysts.remove(group_id, user_id):
            raise RecordNotFound()
        self._record("group_analyst.deleted", group_id, user_id)

    def _assign(self, pairs: list[tuple[int, int]]) -> None:
        """Assign each ``(group_id, user_id)``, recording each in this order."""
        self.analysts.add(pairs)
        for group_id, user_id in pairs:
            self._record("group_analyst.created", group_id, user_id)

    def _record(self, topic: InternalTopic, group_id: int, user_id: int) -> None:
        record(self.scope, topic, {"group_id": group_id, "user_id": user_id})
