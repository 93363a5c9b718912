from __future__ import annotations

from syllabus.kit.schemas import ResponseSchema


class CustomProfileFieldDefinitionRead(ResponseSchema):
    id: int
    label: str
    field_type: str
    required: bool
