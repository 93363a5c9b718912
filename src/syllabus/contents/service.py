from __future__ import annotations

from syllabus.contents.repository import ContentRepository
from syllabus.context import Scope
from syllabus.errors import found
from syllabus.kit.wire import JSONObject


class ContentService:
    def __init__(self, scope: Scope) -> None:
        self.contents = ContentRepository(scope)

    def read(self, id: int) -> JSONObject:
        return found(self.contents.read(id))
