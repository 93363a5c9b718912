from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from syllabus.models.base import DecimalText, SiteRecord, table_args
from syllabus.models.custom_profile_field import CustomProfileField

ROLES = ("affiliate", "course_admin", "group_analyst", "site_admin")


# The user rules every writer applies (the API, `syllabus load`, `syllabus seed`, test factories).


def email_key(email: str) -> str:
    """What makes an email unique on a site: Thinkific compares emails case-insensitively."""
    return email.strip().lower()


def encode_roles(roles: Iterable[str]) -> str:
    """Roles as ``,affiliate,site_admin,`` (in ``ROLES`` order), so ``query[role]`` is one LIKE."""
    chosen = set(roles)
    ordered = [role for role in ROLES if role in chosen]
    return f",{','.join(ordered)}," if ordered else ""


def roles_of(roles_text: str) -> list[str]:
    return [role for role in roles_text.split(",") if role]


def full_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


class User(SiteRecord):
    __tablename__ = "users"
    __table_args__ = table_args(
        # Email is unique per site, case-insensitively: email_key is the lower-cased email.
        UniqueConstraint("site_id", "email_key"),
        Index("ix_users_site_id_id", "site_id", "id"),
        Index("ix_users_site_id_provider_external_id", "site_id", "provider", "external_id"),
        Index("ix_users_site_id_external_source", "site_id", "external_source"),
    )

    email: Mapped[str] = mapped_column(String(255))
    email_key: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(255))
    last_name: Mapped[str] = mapped_column(String(255))
    company: Mapped[str | None] = mapped_column(String(255))
    # Roles as ",affiliate,site_admin," so that `query[role]` is one LIKE on both backends.
    roles_text: Mapped[str] = mapped_column(String(255), default="")
    avatar_url: Mapped[str | None] = mapped_column(String(2048))
    bio: Mapped[str | None] = mapped_column(Text)
    headline: Mapped[str | None] = mapped_column(String(255))
    affiliate_code: Mapped[str | None] = mapped_column(String(255))
    affiliate_commission: Mapped[Decimal | None] = mapped_column(DecimalText)
    affiliate_commission_type: Mapped[str | None] = mapped_column(String(8))
    affiliate_payout_email: Mapped[str | None] = mapped_column(String(255))
    external_source: Mapped[str | None] = mapped_column(String(255))
    external_id: Mapped[str | None] = mapped_column(String(255))
    provider: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))

    custom_profile_fields: Mapped[list[CustomProfileField]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=CustomProfileField.id,
    )

    @property
    def roles(self) -> list[str]:
        return roles_of(self.roles_text)

    @roles.setter
    def roles(self, roles: Iterable[str]) -> None:
        self.roles_text = encode_roles(roles)

    def set_email(self, email: str) -> None:
        self.email = email.strip()
        self.email_key = email_key(email)

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)
