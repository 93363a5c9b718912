from __future__ import annotations

from syllabus.context import Scope
from syllabus.custom_profile_fields.repository import CustomProfileFieldDefinitionRepository
from syllabus.custom_profile_fields.schemas import CustomProfileFieldDefinitionRead
from syllabus.pagination import Page, PageParams, build_page


class CustomProfileFieldService:
    def list(self, scope: Scope, params: PageParams) -> Page[CustomProfileFieldDefinitionRead]:
        definitions, total = CustomProfileFieldDefinitionRepository(scope).page([], params)
        items = [CustomProfileFieldDefinitionRead.model_validate(d) for d in definitions]
        return build_page(items, total, params)


custom_profile_field_service = CustomProfileFieldService()
