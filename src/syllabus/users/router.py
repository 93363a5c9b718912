"""Users: https://developers.thinkific.com/api/api-documentation/#/Users"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.errors import RecordNotFound
from syllabus.kit.filters import Filters
from syllabus.kit.passwords import hashed
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId, path_id
from syllabus.pagination import Page, PageParamsDep
from syllabus.users.filters import USER_FILTERS
from syllabus.users.schemas import (
    AuthenticationRead,
    Provider,
    UserCreate,
    UserKey,
    UserRead,
    UserUpdate,
)
from syllabus.users.service import UserService

router = ResourceRouter(prefix="/users", tags=["Users"])


async def user_key(
    id: str,
    provider: Annotated[
        Provider | None,
        Query(description="Address the user by external id: the path id is then an external id."),
    ] = None,
) -> UserKey:
    """The path's user: an id, or with ``provider`` an external id."""
    if provider is not None:
        return UserKey(provider=provider, external_id=id)
    number = path_id(id)
    if number is None:
        raise RecordNotFound()
    return UserKey(id=number)


UserKeyDep = Annotated[UserKey, Depends(user_key)]


@router.get(
    "", operation_id="getUsers", response_model=Page[UserRead], openapi_extra=USER_FILTERS.openapi
)
async def get_users(
    api: ApiDep, page: PageParamsDep, filters: Filters = USER_FILTERS.dependency
) -> Response:
    """List users, in ascending id order."""
    return await api.read(lambda scope: UserService(scope).list(filters, page))


@router.post("", operation_id="createUser", status_code=201, response_model=UserRead)
async def create_user(api: ApiDep, body: UserCreate) -> Response:
    """Create a user. The email must be unique on the site, case-insensitively."""
    password_hash = await hashed(body.password)
    return await api.write(lambda scope: UserService(scope).create(body, password_hash))


@router.get("/{id}", operation_id="getUserByID", response_model=UserRead)
async def get_user_by_id(api: ApiDep, key: UserKeyDep) -> Response:
    """Get a user by id, or by external id with `provider`."""
    return await api.read(lambda scope: UserService(scope).read(key))


@router.put("/{id}", operation_id="updateUserByID", status_code=204)
async def update_user_by_id(api: ApiDep, key: UserKeyDep, body: UserUpdate) -> Response:
    """Update a user. Thinkific answers 204 with no body."""
    password_hash = await hashed(body.password)
    return await api.write(lambda scope: UserService(scope).update(key, body, password_hash))


@router.delete("/{id}", operation_id="deleteUserByID", status_code=204)
async def delete_user_by_id(api: ApiDep, key: UserKeyDep) -> Response:
    """Delete a user, with their enrollments and group memberships."""
    return await api.write(lambda scope: UserService(scope).delete(key))


@router.get(
    "/{id}/authentications/{provider}",
    operation_id="getUserAuthByIDAndProvider",
    response_model=AuthenticationRead,
)
async def get_user_authentication(api: ApiDep, id: PathId, provider: Provider) -> Response:
    """Get the external identity a user signs in with through `provider`."""
    return await api.read(lambda scope: UserService(scope).authentication(id, provider))
