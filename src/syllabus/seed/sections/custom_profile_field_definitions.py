"""``custom_profile_field_definitions``: the fields users fill in, by label."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.kit.validation import Required
from syllabus.models import CustomProfileFieldDefinition
from syllabus.seed.loader import Load, NaturalKey, Section, Stamped, times_of


class DefinitionSpec(Stamped):
    label: Required
    field_type: Annotated[Required, Field(max_length=32)] = "text"
    required: bool = False


class Definitions(Section[DefinitionSpec]):
    key = "custom_profile_field_definitions"
    spec = DefinitionSpec
    # Every definition of the site: users need the required ones, even those the file omits.
    natural = NaturalKey(
        "label",
        CustomProfileFieldDefinition.label,
        "custom profile field definition labelled",
        every_row=True,
    )
    fields = ("field_type", "required")

    def new(self, load: Load, spec: DefinitionSpec) -> CustomProfileFieldDefinition:
        return CustomProfileFieldDefinition(label=spec.label)

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        model = CustomProfileFieldDefinition
        rows = session.scalars(select(model).where(model.site_id == site_id).order_by(model.id))
        return [
            {
                "label": row.label,
                "field_type": row.field_type,
                "required": row.required,
                **times_of(row),
            }
            for row in rows
        ]


SECTION = Definitions()
