"""Groups as Thinkific sends them (the spec's GroupResponse), and what the database holds."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select

from syllabus.models import Group, GroupMembership, group_analysts
from tests.factories import make_group, make_user
from tests.support import SiteClient, overridden

T = TypeVar("T")
NOW = datetime(2025, 1, 10, 9, 15, 30, 250000, tzinfo=UTC)
NOW_TEXT = "2025-01-10T09:15:30.250Z"
FIXED_TEXT = "2024-02-22T20:32:52.726Z"
GROUP_FIELDS = ["id", "name", "token", "created_at"]
TAKEN = {"errors": {"name": ["has already been taken"]}}


@dataclass(frozen=True)
class MadeGroup:
    id: int
    name: str
    token: str


def new_token() -> str:
    """A token no other test's group has: eight lowercase hex characters, random."""
    return secrets.token_hex(4)


def new_group(site: SiteClient, name: str | None = None) -> MadeGroup:
    """A group made by the factory, with a name and token the test knows."""
    name = name or f"Group {new_token()}"
    token = new_token()
    return MadeGroup(make_group(site, name=name, token=token), name, token)


def group_body(group: MadeGroup, **overrides: Any) -> dict[str, Any]:
    """A group in GroupResponse order; ``created_at`` defaults to the factory's time."""
    body: dict[str, Any] = {
        "id": group.id,
        "name": group.name,
        "token": group.token,
        "created_at": FIXED_TEXT,
    }
    assert list(body) == GROUP_FIELDS
    return overridden(body, overrides)


def wrapped(body: dict[str, Any]) -> dict[str, Any]:
    """POST /groups and GET /groups/{id} wrap the group (FIDELITY §6.7)."""
    return {"group": body}


def is_token(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) == 8 and all(c in "0123456789abcdef" for c in value)
    )


def new_analyst(site: SiteClient, **overrides: Any) -> int:
    """A user with the group_analyst role."""
    return make_user(site, roles=["group_analyst"], **overrides)


def group_count(site: SiteClient) -> int:
    statement = select(func.count()).where(Group.site_id == site.id)
    return int(site.db(lambda s: s.scalar(statement)))


def _pairs(site: SiteClient, statement: Select[int, int]) -> list[tuple[int, int]]:
    return site.db(lambda s: [(row[0], row[1]) for row in s.execute(statement)])


def member_pairs(site: SiteClient) -> list[tuple[int, int]]:
    """Every ``(group, user)`` membership of the site, sorted."""
    return _pairs(
        site,
        select(GroupMembership.group_id, GroupMembership.user_id)
        .where(GroupMembership.site_id == site.id)
        .order_by(GroupMembership.group_id, GroupMembership.user_id),
    )


def analyst_pairs(site: SiteClient) -> list[tuple[int, int]]:
    """Every ``(group, user)`` analyst assignment of the site's groups, sorted."""
    return _pairs(
        site,
        select(group_analysts.c.group_id, group_analysts.c.user_id)
        .join(Group, Group.id == group_analysts.c.group_id)
        .where(Group.site_id == site.id)
        .order_by(group_analysts.c.group_id, group_analysts.c.user_id),
    )


def race(send: Callable[[], T], writers: int = 16) -> list[T]:
    """``send`` from ``writers`` threads at once: on PostgreSQL the requests really overlap."""
    with ThreadPoolExecutor(max_workers=writers) as pool:
        return list(pool.map(lambda _: send(), range(writers)))
