from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from syllabus.models.base import DecimalText, Record, site_fk, table_args
from syllabus.models.custom_profile_field import CustomProfileField

ROLES = ("affiliate", "course_admin", "group_analyst", "site_admin")


def roles_of(roles_text: str) -> list[str]:
    return [role for role in roles_text.split(",") if role]


def full_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


class User(Record):
    __tablename__ = "users"
    __table_args__ = table_args(
        # Email is unique per site, case-insensitively: email_key is the lower-cased email.
        UniqueConstraint("site_id", "email_key"),
        Index("ix_users_site_id_id", "site_id", "id"),
        Index("ix_users_site_id_provider_external_id", "site_id", "provider", "external_id"),
        Index("ix_users_site_id_external_source", "site_id", "external_source"),
    )

    site_id: Mapped[int] = site_fk()
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
    def roles(self, roles: list[str]) -> None:
        ordered = [role for role in ROLES if role in set(roles)]
        self.roles_text = f",{','.join(ordered)}," if ordered else ""

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)
