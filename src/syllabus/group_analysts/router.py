"""Group analysts, from the analyst's side:
https://developers.thinkific.com/api/api-documentation/#/Group%20Analysts

The group's side, ``/groups/{group_id}/analysts``, is in groups/router.py.
"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.group_analysts.schemas import GroupAnalystsAddGroupRequest
from syllabus.group_analysts.service import AnalystService
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId

router = ResourceRouter(prefix="/group_analysts", tags=["Group Analysts"])


@router.post(
    "/{user_id}/groups", operation_id="addGroupToAnalyst", status_code=201, response_class=Response
)
async def add_group_to_analyst(
    api: ApiDep, user_id: PathId, body: GroupAnalystsAddGroupRequest
) -> Response:
    """Make a user (with the `group_analyst` role) an analyst of the groups in `group_ids`;
    groups they analyze already stay. Thinkific answers 201 with no body. A user without the
    role, or an unknown group, is a 422 naming it, and nothing is written."""
    return await api.write(
        lambda scope: AnalystService(scope).assign_groups(user_id, body.group_ids)
    )


@router.delete(
    "/{user_id}/groups/{group_id}", operation_id="removeGroupFromAnalyst", status_code=204
)
async def remove_group_from_analyst(api: ApiDep, user_id: PathId, group_id: PathId) -> Response:
    """Stop a user analyzing a group (the user keeps the role). 404 unless they analyze it."""
    return await api.write(lambda scope: AnalystService(scope).unassign(group_id, user_id))
