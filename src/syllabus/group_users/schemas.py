from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from syllabus.enrollments.schemas import LenientId
from syllabus.kit.schemas import RequestSchema, ResponseSchema, Timestamp


def _names(value: Any) -> list[str] | None:
    """A non-empty list of names, each once in the order given; anything else names no group."""
    if isinstance(value, list) and value and all(isinstance(name, str) for name in value):
        return list(dict.fromkeys(value))
    return None


GroupNames = Annotated[
    list[str] | None,
    BeforeValidator(_names),
    Field(description="The exact names of the site's groups to add the user to. Not empty."),
]


class CreateGroupUsersRequest(RequestSchema):
    """Thinkific answers a bad user or group name with a list-form 422, so both are parsed
    leniently here and checked by the service."""

    user_id: LenientId = None
    group_names: GroupNames = None


class GroupUserPayload(ResponseSchema):
    """The internal ``group_user.created``: the membership, alphabetical like every payload. It
    has no API body of its own (``POST /group_users`` answers an empty 201)."""

    created_at: Timestamp
    group_id: int
    user_id: int
