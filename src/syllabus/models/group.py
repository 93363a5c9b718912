from __future__ import annotations

import secrets

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, Id, SiteRecord, table_args

# Which users analyze which groups (users with the group_analyst role): a group's
# `group_analysts`.
group_analysts = Table(
    "group_analysts",
    Base.metadata,
    Column("group_id", Id, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_group_analysts_user_id", "user_id"),
)


def new_group_token() -> str:
    """A group's token: eight lowercase hex characters (``c2395613``), random."""
    return secrets.token_hex(4)


class Group(SiteRecord):
    __tablename__ = "groups"
    __table_args__ = table_args(
        UniqueConstraint("site_id", "name"),
        Index("ix_groups_site_id_id", "site_id", "id"),
    )

    name: Mapped[str] = mapped_column(String(255))
    token: Mapped[str] = mapped_column(String(8), unique=True)


class GroupMembership(SiteRecord):
    """A user in a group. `GET /users?query[group_id]=` lists a group's members."""

    __tablename__ = "group_memberships"
    __table_args__ = table_args(
        UniqueConstraint("group_id", "user_id"),
        Index("ix_group_memberships_user_id", "user_id"),
    )

    group_id: Mapped[int] = mapped_column(Id, ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"))
