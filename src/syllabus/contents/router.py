"""Contents: https://developers.thinkific.com/api/api-documentation/#/Contents"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.contents.schemas import ContentRead
from syllabus.contents.service import ContentService
from syllabus.context import ApiDep
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId

router = ResourceRouter(prefix="/contents", tags=["Contents"])


@router.get("/{id}", operation_id="getContentByID", response_model=ContentRead)
async def get_content_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a content (lesson, quiz, download...) with its course player URL."""
    return await api.read(lambda scope: ContentService(scope).read(id))
