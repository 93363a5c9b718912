"""Users: https://developers.thinkific.com/api/api-documentation/#/Users"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.kit.filters import Filters
from syllabus.pagination import Page, PageParamsDep
from syllabus.users.filters import USER_FILTERS
from syllabus.users.schemas import AuthenticationRead, Provider, UserCreate, UserRead, UserUpdate
from syllabus.users.service import user_service

router = APIRouter(prefix="/users", tags=["Users"])

ProviderQuery = Annotated[
    Provider | None,
    Query(description="Address the user by external id: the path id is then an external id."),
]


@router.get(
    "", operation_id="getUsers", response_model=Page[UserRead], openapi_extra=USER_FILTERS.openapi
)
async def get_users(
    api: ApiDep, page: PageParamsDep, filters: Filters = USER_FILTERS.dependency
) -> Response:
    """List users, in ascending id order."""
    return await api.read(lambda scope: user_service.list(scope, filters, page))


@router.post("", operation_id="createUser", status_code=201, response_model=UserRead)
async def create_user(api: ApiDep, body: UserCreate) -> Response:
    """Create a user. The email must be unique on the site, case-insensitively."""
    return await api.write(lambda scope: user_service.create(scope, body), status_code=201)


@router.get("/{id}", operation_id="getUserByID", response_model=UserRead)
async def get_user_by_id(api: ApiDep, id: str, provider: ProviderQuery = None) -> Response:
    """Get a user by id, or by external id with `provider`."""
    return await api.read(lambda scope: user_service.read_one(scope, id, provider))


@router.put("/{id}", operation_id="updateUserByID", status_code=204)
async def update_user_by_id(
    api: ApiDep, id: str, body: UserUpdate, provider: ProviderQuery = None
) -> Response:
    """Update a user. Thinkific answers 204 with no body."""
    return await api.write(
        lambda scope: user_service.update(scope, id, provider, body), status_code=204
    )


@router.delete("/{id}", operation_id="deleteUserByID", status_code=204)
async def delete_user_by_id(api: ApiDep, id: str, provider: ProviderQuery = None) -> Response:
    """Delete a user, with their enrollments and group memberships."""
    return await api.write(lambda scope: user_service.delete(scope, id, provider), status_code=204)


@router.get(
    "/{id}/authentications/{provider}",
    operation_id="getUserAuthByIDAndProvider",
    response_model=AuthenticationRead,
)
async def get_user_authentication(api: ApiDep, id: str, provider: Provider) -> Response:
    """Get the external identity a user signs in with through `provider`."""
    return await api.read(lambda scope: user_service.authentication(scope, id, provider))
