"""Groups, with their analysts: https://developers.thinkific.com/api/api-documentation/#/Groups

Members are added by ``POST /group_users`` and listed by ``GET /users?query[group_id]=``.
"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.group_analysts.schemas import GroupAddAnalystRequest, GroupAnalystsRead
from syllabus.group_analysts.service import AnalystService
from syllabus.groups.schemas import GroupCreate, GroupEnvelope, GroupRead
from syllabus.groups.service import GroupService
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/groups", tags=["Groups"])


@router.get("", operation_id="getGroups", response_model=Page[GroupRead])
async def get_groups(api: ApiDep, page: PageParamsDep) -> Response:
    """List groups, in ascending id order. The items are not wrapped in `group`."""
    return await api.read(lambda scope: GroupService(scope).list(page))


@router.post("", operation_id="createGroup", status_code=200, response_model=GroupEnvelope)
async def create_group(api: ApiDep, body: GroupCreate) -> Response:
    """Create a group, answered as `{"group": {...}}`. Thinkific answers 200, not 201. The name
    is required and unique on the site; the token is generated."""
    return await api.write(lambda scope: GroupService(scope).create(body))


@router.get("/{id}", operation_id="getGroup", response_model=GroupEnvelope)
async def get_group(api: ApiDep, id: PathId) -> Response:
    """Get a group, as `{"group": {...}}`."""
    return await api.read(lambda scope: GroupService(scope).read(id))


@router.delete("/{id}", operation_id="deleteGroupByID", status_code=204)
async def delete_group_by_id(api: ApiDep, id: PathId) -> Response:
    """Delete a group with its memberships and analyst assignments; its users stay."""
    return await api.write(lambda scope: GroupService(scope).delete(id))


@router.get(
    "/{group_id}/analysts", operation_id="getGroupAnalysts", response_model=GroupAnalystsRead
)
async def get_group_analysts(api: ApiDep, group_id: PathId) -> Response:
    """The ids of the group's analysts, ascending, as `{"group_analysts": [...]}`: not
    paginated."""
    return await api.read(lambda scope: AnalystService(scope).of_group(group_id))


@router.post(
    "/{group_id}/analysts",
    operation_id="postGroupAnalysts",
    status_code=201,
    response_class=Response,
)
async def post_group_analysts(
    api: ApiDep, group_id: PathId, body: GroupAddAnalystRequest
) -> Response:
    """Make the users in `user_ids` (each with the `group_analyst` role) analysts of the group;
    those who are already stay. Thinkific answers 201 with no body. A user without the role, or
    an unknown one, is a 422 naming each, and nothing is written."""
    return await api.write(
        lambda scope: AnalystService(scope).assign_users(group_id, body.user_ids)
    )


@router.delete(
    "/{group_id}/analysts/{user_id}", operation_id="removeAnalystFromGroup", status_code=204
)
async def remove_analyst_from_group(api: ApiDep, group_id: PathId, user_id: PathId) -> Response:
    """Stop a user analyzing the group (the user keeps the role). 404 unless they analyze it."""
    return await api.write(lambda scope: AnalystService(scope).unassign(group_id, user_id))
