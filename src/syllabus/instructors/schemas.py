from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from syllabus.kit.schemas import (
    DbInt,
    LongText,
    RequestSchema,
    ResponseSchema,
    Text,
    Timestamp,
    Url,
)
from syllabus.kit.validation import Email, Required


def _blank_is_null(value: Any) -> Any:
    # An instructor need not have an email: a blank one is none, rather than "can't be blank".
    if isinstance(value, str) and not value.strip():
        return None
    return value


OptionalEmail = Annotated[Email | None, BeforeValidator(_blank_is_null)]
Slug = Annotated[
    Text | None,
    Field(
        description="Unique on the site. Absent, null or blank: made from the name "
        "(`ada-lovelace`, then `ada-lovelace-2`...)."
    ),
]


class InstructorRead(ResponseSchema):
    """The spec's InstructorResponse, in its order."""

    id: int
    user_id: int | None
    title: str | None
    first_name: str
    last_name: str
    bio: str | None
    slug: str
    avatar_url: str | None
    email: str | None
    created_at: Timestamp


class InstructorFields(RequestSchema):
    """Fields a create and an update share. ``user_id``, when given, is a user of the site."""

    user_id: DbInt | None = None
    title: Text | None = None
    bio: LongText | None = None
    slug: Slug = None
    avatar_url: Url | None = None
    email: OptionalEmail = None


class InstructorCreate(InstructorFields):
    """InstructorRequest, but ``slug`` is optional (FIDELITY §9.2 #19)."""

    first_name: Required
    last_name: Required


class InstructorUpdate(InstructorFields):
    """PUT, but partial: only the keys present change. A null or blank slug is made again from
    the name (as Rails' friendly_id does)."""

    first_name: Required | None = None
    last_name: Required | None = None
