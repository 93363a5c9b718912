"""``custom_profile_field_definitions``: the fields users fill in, by label."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from syllabus.kit.validation import Required
from syllabus.models import CustomProfileFieldDefinition
from syllabus.seed.loader import Load, NaturalKey, Section, Spec


class DefinitionSpec(Spec):
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


SECTION = Definitions()
