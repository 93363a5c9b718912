from __future__ import annotations

from syllabus.kit.repository import Repository
from syllabus.models import CustomProfileFieldDefinition


class CustomProfileFieldDefinitionRepository(Repository[CustomProfileFieldDefinition]):
    model = CustomProfileFieldDefinition
