from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, select

from syllabus.kit.filters import Criteria, Filters, NoMatch
from syllabus.kit.repository import Repository, site_ids_in
from syllabus.models import (
    ROLES,
    Course,
    CustomProfileField,
    CustomProfileFieldDefinition,
    GroupMembership,
    User,
    course_admins,
)
from syllabus.pagination import PageParams

_ADMINISTERED_COURSE_IDS = (
    select(course_admins.c.user_id, course_admins.c.course_id)
    .join(Course, Course.id == course_admins.c.course_id)
    .where(Course.site_id == bindparam("site_id"), site_ids_in(course_admins.c.user_id))
    .order_by(course_admins.c.user_id, course_admins.c.course_id)
)

_PROFILE_FIELDS = (
    select(
        CustomProfileField.user_id,
        CustomProfileField.id,
        CustomProfileField.value,
        CustomProfileFieldDefinition.label,
        CustomProfileField.custom_profile_field_definition_id,
    )
    .join(CustomProfileField.definition)
    .where(
        CustomProfileField.site_id == bindparam("site_id"), site_ids_in(CustomProfileField.user_id)
    )
    .order_by(CustomProfileField.user_id, CustomProfileField.id)
)
CustomProfileFieldRow = Row[int, int, str | None, str, int]

# What a response needs from the users table, as plain rows (reads build no ORM objects).
_ROWS = select(
    User.id,
    User.created_at,
    User.first_name,
    User.last_name,
    User.company,
    User.email,
    User.roles_text,
    User.avatar_url,
    User.bio,
    User.headline,
    User.affiliate_code,
    User.external_source,
    User.affiliate_commission,
    User.affiliate_commission_type,
    User.affiliate_payout_email,
)
_ROW_BY_ID = _ROWS.where(User.site_id == bindparam("site_id"), User.id == bindparam("id"))
UserRow = Row[*tuple[Any, ...]]
_ID_BY_EMAIL = select(User.id).where(
    User.site_id == bindparam("site_id"), User.email_key == bindparam("email_key")
)
_ID_BY_EXTERNAL_ID = select(User.id).where(
    User.site_id == bindparam("site_id"),
    User.provider == bindparam("provider"),
    User.external_id == bindparam("external_id"),
)
_DEFINITIONS = select(
    CustomProfileFieldDefinition.id,
    CustomProfileFieldDefinition.label,
    CustomProfileFieldDefinition.required,
).where(CustomProfileFieldDefinition.site_id == bindparam("site_id"))
DefinitionRow = Row[int, str, bool]


class UserRepository(Repository[User]):
    model = User

    def read_row(self, id: int) -> UserRow | None:
        return self.row(_ROW_BY_ID, id)

    def read_page(self, criteria: Criteria, params: PageParams) -> tuple[Sequence[UserRow], int]:
        return self.page_rows(_ROWS, criteria, params)

    def id_by_email(self, email: str) -> int | None:
        params = {"site_id": self.site_id, "email_key": email.strip().lower()}
        return self.session.connection().execute(_ID_BY_EMAIL, params).scalar()

    def id_by_external_id(self, provider: str, external_id: str) -> int | None:
        params = {"site_id": self.site_id, "provider": provider, "external_id": external_id}
        return self.session.connection().execute(_ID_BY_EXTERNAL_ID, params).scalar()

    def by_external_id(self, provider: str, external_id: str) -> User | None:
        id = self.id_by_external_id(provider, external_id)
        return None if id is None else self.get(id)

    def criteria(self, filters: Filters) -> Criteria:
        criteria = Criteria()
        if "email" in filters:
            criteria.add_equal("email_key", User.email_key, filters["email"].strip().lower())
        if "role" in filters:
            role = filters["role"].strip()
            if role in ROLES:
                roles_text: Any = bindparam("roles_text")
                criteria.add(
                    "role", lambda: User.roles_text.contains(roles_text), roles_text=f",{role},"
                )
            else:
                criteria.add_no_match("role")
        if "external_source" in filters:
            criteria.add_equal("external_source", User.external_source, filters["external_source"])
        label = filters.get("custom_profile_field_label")
        value = filters.get("custom_profile_field_value")
        if label is not None or value is not None:

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

            criteria.add(
                f"field:{label is not None}:{value is not None}",
                with_field,
                field_label=label,
                field_value=value,
            )
        if "group_id" in filters:
            group_id = filters["group_id"]
            if isinstance(group_id, NoMatch):
                criteria.add_no_match("group_id")
            else:
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
        return criteria

    def administered_course_ids(self, users: Iterable[UserRow]) -> dict[int, list[int]]:
        """Course ids each course admin administers, in one query for a whole page."""
        admins = [user.id for user in users if ",course_admin," in user.roles_text]
        return self.grouped(_ADMINISTERED_COURSE_IDS, admins)

    def profile_fields(self, user_ids: Iterable[int]) -> dict[int, list[CustomProfileFieldRow]]:
        """Each user's custom profile field values with their labels, in one query."""
        wanted = list(user_ids)
        found: dict[int, list[CustomProfileFieldRow]] = {}
        if not wanted:
            return found
        rows = self.session.connection().execute(
            _PROFILE_FIELDS, {"site_id": self.site_id, "ids": wanted}
        )
        for row in rows:
            found.setdefault(row.user_id, []).append(row)
        return found

    def definitions(self) -> dict[int, DefinitionRow]:
        """The site's custom profile field definitions by id."""
        rows = self.session.connection().execute(_DEFINITIONS, {"site_id": self.site_id})
        return {row.id: row for row in rows}

    def update(self, user: User, values: dict[str, Any]) -> None:
        for key, value in values.items():
            setattr(user, key, value)
        self.touch(user)
