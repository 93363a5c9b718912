from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, bindparam, select

from syllabus.kit.filters import (
    NO_MATCH,
    Criteria,
    Filter,
    FilterContext,
    FilterSet,
    NoMatch,
    TextFilter,
    parse_int,
)
from syllabus.models import (
    ROLES,
    CustomProfileField,
    CustomProfileFieldDefinition,
    GroupMembership,
    User,
)
from syllabus.models.user import email_key, encode_roles

_LABEL = "custom_profile_field_label"
_VALUE = "custom_profile_field_value"


def _role(criteria: Criteria, role: str, _context: FilterContext) -> None:
    if role.strip() not in ROLES:
        criteria.add_no_match("role")
        return
    roles_text: Any = bindparam("roles_text")
    criteria.add(
        "role",
        lambda: User.roles_text.contains(roles_text),
        roles_text=encode_roles([role.strip()]),
    )


def _profile_field(criteria: Criteria, _value: str, context: FilterContext) -> None:
    """The label and value filters select users with one field matching both, when both are
    given: the condition is added once, by whichever of the two comes first."""
    label = context.values.get(_LABEL)
    value = context.values.get(_VALUE)
    shape = f"field:{label is not None}:{value is not None}"
    if shape in criteria.shape:
        return

    def with_field() -> ColumnElement[bool]:
        fields = select(CustomProfileField.user_id).where(
            CustomProfileField.site_id == bindparam("site_id")
        )
        if label is not None:
            fields = fields.join(CustomProfileField.definition).where(
                CustomProfileFieldDefinition.label == bindparam("field_label")
            )
        if value is not None:
            fields = fields.where(CustomProfileField.value == bindparam("field_value"))
        return User.id.in_(fields)

    criteria.add(shape, with_field, field_label=label, field_value=value)


def _group(criteria: Criteria, group_id: int | NoMatch, _context: FilterContext) -> None:
    if group_id is NO_MATCH:
        criteria.add_no_match("group_id")
        return
    criteria.add(
        "group_id",
        lambda: User.id.in_(
            select(GroupMembership.user_id).where(
                GroupMembership.site_id == bindparam("site_id"),
                GroupMembership.group_id == bindparam("group_id"),
            )
        ),
        group_id=group_id,
    )


def _text(raw: str) -> str:
    return raw


USER_FILTERS = FilterSet(
    TextFilter(
        "email",
        User.email_key,
        "The user with this email (exact, case-insensitive).",
        normalize=email_key,
    ),
    Filter(
        "role",
        "Users with this role: affiliate, course_admin, group_analyst, site_admin.",
        _text,
        "string",
        _role,
    ),
    TextFilter("external_source", User.external_source, "Users created from this external source."),
    Filter(
        _LABEL, "Users with a custom profile field of this label.", _text, "string", _profile_field
    ),
    Filter(
        _VALUE, "Users with a custom profile field of this value.", _text, "string", _profile_field
    ),
    Filter("group_id", "Members of this group.", parse_int, "integer", _group),
)
