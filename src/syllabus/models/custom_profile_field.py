from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from syllabus.models.base import Id, SiteRecord, table_args


class CustomProfileFieldDefinition(SiteRecord):
    """A site's custom profile field: created through `syllabus load`, listed by the API."""

    __tablename__ = "custom_profile_field_definitions"
    __table_args__ = table_args(
        UniqueConstraint("site_id", "label"),
        Index("ix_custom_profile_field_definitions_site_id_id", "site_id", "id"),
    )

    label: Mapped[str] = mapped_column(String(255))
    field_type: Mapped[str] = mapped_column(String(32), default="text")
    required: Mapped[bool] = mapped_column(default=False)


class CustomProfileField(SiteRecord):
    """One user's value for one definition."""

    __tablename__ = "custom_profile_fields"
    __table_args__ = table_args(
        UniqueConstraint("user_id", "custom_profile_field_definition_id"),
        Index("ix_custom_profile_fields_definition_id", "custom_profile_field_definition_id"),
    )

    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"))
    custom_profile_field_definition_id: Mapped[int] = mapped_column(
        Id, ForeignKey("custom_profile_field_definitions.id", ondelete="CASCADE")
    )
    value: Mapped[str | None] = mapped_column(Text)

    definition: Mapped[CustomProfileFieldDefinition] = relationship(lazy="joined", innerjoin=True)

    @property
    def label(self) -> str:
        return self.definition.label
