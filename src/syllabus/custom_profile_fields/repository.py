from __future__ import annotations

from syllabus.custom_profile_fields.schemas import CustomProfileFieldDefinitionRead
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Wire
from syllabus.models import CustomProfileFieldDefinition

DEFINITION = Wire(CustomProfileFieldDefinitionRead, CustomProfileFieldDefinition)


class CustomProfileFieldDefinitionRepository(Repository[CustomProfileFieldDefinition]):
    model = CustomProfileFieldDefinition
    wire = DEFINITION
