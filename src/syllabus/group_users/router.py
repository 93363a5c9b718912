"""Group users: https://developers.thinkific.com/api/api-documentation/#/Group%20Users"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.group_users.schemas import CreateGroupUsersRequest
from syllabus.group_users.service import GroupUserService
from syllabus.kit.routing import ResourceRouter

router = ResourceRouter(prefix="/group_users", tags=["Group Users"])


@router.post("", operation_id="createGroupUsers", status_code=201, response_class=Response)
async def create_group_users(api: ApiDep, body: CreateGroupUsersRequest) -> Response:
    """Add a user to the site's groups named in `group_names` (exact names); those they are in
    already stay. Thinkific answers 201 with no body. A missing or unknown user, or any unknown
    name, is a list-form 422 (`{"errors": ["Invalid group_names"]}`) and nothing is written."""
    return await api.write(lambda scope: GroupUserService(scope).add(body))
