from __future__ import annotations

from syllabus.context import Scope
from syllabus.custom_profile_fields.repository import CustomProfileFieldDefinitionRepository
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.pagination import PageParams


class CustomProfileFieldService:
    def __init__(self, scope: Scope) -> None:
        self.definitions = CustomProfileFieldDefinitionRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.definitions.page(Criteria(), params)
