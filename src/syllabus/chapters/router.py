"""Chapters: https://developers.thinkific.com/api/api-documentation/#/Chapters"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.chapters.schemas import ChapterRead
from syllabus.chapters.service import ChapterService
from syllabus.contents.schemas import ContentRead
from syllabus.context import ApiDep
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/chapters", tags=["Chapters"])


@router.get("/{id}", operation_id="getChapterByID", response_model=ChapterRead)
async def get_chapter_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a chapter with the ids of its contents, in order."""
    return await api.read(lambda scope: ChapterService(scope).read(id))


@router.get("/{id}/contents", operation_id="getContentsByID", response_model=Page[ContentRead])
async def get_contents_by_id(api: ApiDep, id: PathId, page: PageParamsDep) -> Response:
    """List a chapter's contents by position."""
    return await api.read(lambda scope: ChapterService(scope).contents_of(id, page))
