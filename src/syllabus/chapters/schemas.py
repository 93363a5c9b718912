from __future__ import annotations

from syllabus.kit.schemas import ResponseSchema


class ChapterRead(ResponseSchema):
    id: int
    name: str
    position: int
    description: str | None
    duration_in_seconds: int | None
    content_ids: list[int]
