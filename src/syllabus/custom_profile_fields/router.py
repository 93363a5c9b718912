"""Custom profile field definitions: https://developers.thinkific.com/api/api-documentation/#/Custom%20Profile%20Field%20Definitions"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.custom_profile_fields.schemas import CustomProfileFieldDefinitionRead
from syllabus.custom_profile_fields.service import CustomProfileFieldService
from syllabus.kit.routing import ResourceRouter
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/custom_profile_field_definitions", tags=["Custom Profile Fields"])


@router.get(
    "",
    operation_id="getCustomProfileFields",
    response_model=Page[CustomProfileFieldDefinitionRead],
)
async def get_custom_profile_fields(api: ApiDep, page: PageParamsDep) -> Response:
    """List the site's custom profile field definitions, in ascending id order."""
    return await api.read(lambda scope: CustomProfileFieldService(scope).list(page))
