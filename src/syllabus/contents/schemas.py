from __future__ import annotations

from pydantic import Field

from syllabus.kit.schemas import ResponseSchema
from syllabus.models import CONTENTABLE_TYPES


class ContentRead(ResponseSchema):
    id: int
    name: str
    position: int
    chapter_id: int
    contentable_type: str = Field(json_schema_extra={"enum": list(CONTENTABLE_TYPES)})
    free: bool
    take_url: str
