from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, NamedTuple

from pydantic import Field

from syllabus.kit.schemas import (
    DbInt,
    DecimalString,
    LongText,
    RequestSchema,
    ResponseSchema,
    Text,
    Timestamp,
    Url,
)
from syllabus.kit.validation import Email, Required
from syllabus.kit.wire import From
from syllabus.models import CustomProfileFieldDefinition, User
from syllabus.models import user as rules

Role = Literal["affiliate", "course_admin", "group_analyst", "site_admin"]
Provider = Literal["SSO", "OPENID_CONNECT"]
Password = Annotated[str, Field(min_length=6, max_length=128)]
Commission = Annotated[Decimal, Field(ge=0, le=100, max_digits=12)]
CommissionType = Literal["%", "$"]


class CustomProfileFieldRead(ResponseSchema):
    id: int
    value: str | None
    label: Annotated[str, From(CustomProfileFieldDefinition.label)]
    custom_profile_field_definition_id: int


class UserRead(ResponseSchema):
    """The user; its webhook payload (``user.signup``, ``user.updated``) is the same object with
    alphabetical keys (FIDELITY §7.2)."""

    id: int
    created_at: Timestamp
    first_name: str
    last_name: str
    full_name: Annotated[str, From(rules.full_name, User.first_name, User.last_name)]
    company: str | None
    email: str
    roles: Annotated[list[Role], From(rules.roles_of, User.roles_text)]
    avatar_url: str | None
    bio: str | None
    headline: str | None
    affiliate_code: str | None
    external_source: str | None
    affiliate_commission: DecimalString | None
    affiliate_commission_type: str | None
    affiliate_payout_email: str | None
    administered_course_ids: list[int]
    custom_profile_fields: list[CustomProfileFieldRead]


class AuthenticationRead(ResponseSchema):
    provider: Provider
    external_id: str


class UserKey(NamedTuple):
    """How a path names a user: by id, or by external id with ``?provider=`` (FIDELITY §8)."""

    id: int | None = None
    provider: Provider | None = None
    external_id: str | None = None


class CustomProfileFieldInput(RequestSchema):
    custom_profile_field_definition_id: DbInt
    value: Annotated[str, Field(max_length=65_535)] | None = None


class UserFields(RequestSchema):
    """Fields a create and an update share."""

    password: Password | None = None
    roles: list[Role] | None = None
    bio: LongText | None = None
    company: Text | None = None
    headline: Text | None = None
    affiliate_code: Text | None = None
    affiliate_commission: Commission | None = None
    affiliate_commission_type: CommissionType | None = None
    affiliate_payout_email: Text | None = None
    custom_profile_fields: list[CustomProfileFieldInput] | None = None
    skip_custom_fields_validation: bool = False


class UserCreate(UserFields):
    first_name: Required
    last_name: Required
    email: Email
    send_welcome_email: bool = False
    external_id: Text | None = None
    provider: Provider | None = None
    avatar_url: Url | None = None
    external_source: Text | None = None


class UserUpdate(UserFields):
    """PUT, but partial: only the keys present change. An explicit null clears a field."""

    first_name: Required | None = None
    last_name: Required | None = None
    email: Email | None = None
    avatar_url: Url | None = None
    external_source: Text | None = None
