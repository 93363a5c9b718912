from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, SiteRecord, table_args


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
