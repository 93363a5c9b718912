from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import bindparam, delete, select

from syllabus.kit.repository import Repository
from syllabus.kit.wire import Children, Wire
from syllabus.models import (
    Course,
    CustomProfileField,
    CustomProfileFieldDefinition,
    User,
    course_admins,
)
from syllabus.models.base import stamp
from syllabus.users.schemas import (
    AuthenticationRead,
    CustomProfileFieldInput,
    CustomProfileFieldRead,
    UserRead,
)

CUSTOM_PROFILE_FIELD = Wire(
    CustomProfileFieldRead, CustomProfileField, joins=(CustomProfileField.definition,)
)
_ADMINISTERED_COURSE_IDS = Children.linked(
    course_admins.c.user_id, course_admins.c.course_id, Course
)
_CHILDREN = {
    "administered_course_ids": _ADMINISTERED_COURSE_IDS,
    "custom_profile_fields": Children.of(CUSTOM_PROFILE_FIELD, CustomProfileField.user_id),
}
USER = Wire(UserRead, User, children=_CHILDREN)
# user.signup and user.updated: the user with alphabetical keys (FIDELITY §7.2).
USER_PAYLOAD = USER.alphabetical()
AUTHENTICATION = Wire(
    AuthenticationRead, User, where=(User.provider.is_not(None), User.external_id.is_not(None))
)

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


class Definition(NamedTuple):
    id: int
    label: str
    required: bool


class UserRepository(Repository[User]):
    model = User
    wire = USER

    def id_by_email(self, email_key: str) -> int | None:
        found: int | None = self.value(_ID_BY_EMAIL, email_key=email_key)
        return found

    def id_by_external_id(self, provider: str, external_id: str) -> int | None:
        found: int | None = self.value(
            _ID_BY_EXTERNAL_ID, provider=provider, external_id=external_id
        )
        return found

    def definitions(self) -> dict[int, Definition]:
        """The site's custom profile field definitions by id."""
        rows = self.scope.connection.execute(_DEFINITIONS, {"site_id": self.site_id})
        return {row.id: Definition(*row) for row in rows}

    def set_profile_fields(self, user: User, fields: Iterable[CustomProfileFieldInput]) -> None:
        """Give ``user`` these custom profile field values, replacing theirs for each definition."""
        given = list(fields)
        if not given:
            return
        ids = [field.custom_profile_field_definition_id for field in given]
        self.session.execute(
            delete(CustomProfileField).where(
                CustomProfileField.user_id == user.id,
                CustomProfileField.custom_profile_field_definition_id.in_(ids),
            )
        )
        for field in given:
            row = CustomProfileField(
                user_id=user.id,
                custom_profile_field_definition_id=field.custom_profile_field_definition_id,
                value=field.value,
            )
            stamp(row, self.site_id, self.scope.now)
            self.session.add(row)
        self.session.flush()
