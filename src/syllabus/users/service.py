from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from syllabus.context import Scope
from syllabus.errors import RecordNotFound, Unprocessable, found
from syllabus.events.recorder import record
from syllabus.kit.filters import Filters
from syllabus.kit.passwords import hash_password
from syllabus.models import CustomProfileField, User
from syllabus.models.user import full_name, roles_of
from syllabus.pagination import Page, PageParams, build_page
from syllabus.users.repository import UserRepository, UserRow
from syllabus.users.schemas import (
    AuthenticationRead,
    CustomProfileFieldInput,
    CustomProfileFieldRead,
    UserCreate,
    UserRead,
    UserUpdate,
)

TAKEN = "has already been taken"
# Module-level aliases: inside UserService, `list` names the method, not the builtin.
FieldInputs = list[CustomProfileFieldInput]
Messages = list[str]
# Keys of UserCreate/UserUpdate that are not plain columns.
_NOT_COLUMNS = {
    "password",
    "roles",
    "custom_profile_fields",
    "skip_custom_fields_validation",
    "send_welcome_email",
    "email",
}


class UserService:
    def reads(self, scope: Scope, users: Sequence[UserRow]) -> list[UserRead]:
        repository = UserRepository(scope)
        administered = repository.administered_course_ids(users)
        fields = repository.profile_fields(user.id for user in users)
        return [
            UserRead(
                id=user.id,
                created_at=user.created_at,
                first_name=user.first_name,
                last_name=user.last_name,
                full_name=full_name(user.first_name, user.last_name),
                company=user.company,
                email=user.email,
                roles=roles_of(user.roles_text),
                avatar_url=user.avatar_url,
                bio=user.bio,
                headline=user.headline,
                affiliate_code=user.affiliate_code,
                external_source=user.external_source,
                affiliate_commission=user.affiliate_commission,
                affiliate_commission_type=user.affiliate_commission_type,
                affiliate_payout_email=user.affiliate_payout_email,
                administered_course_ids=administered.get(user.id, []),
                custom_profile_fields=[
                    CustomProfileFieldRead(
                        id=field.id,
                        value=field.value,
                        label=field.label,
                        custom_profile_field_definition_id=field.custom_profile_field_definition_id,
                    )
                    for field in fields.get(user.id, [])
                ],
            )
            for user in users
        ]

    def read(self, scope: Scope, user_id: int) -> UserRead:
        return self.reads(scope, [found(UserRepository(scope).read_row(user_id))])[0]

    def list(self, scope: Scope, filters: Filters, params: PageParams) -> Page[UserRead]:
        repository = UserRepository(scope)
        rows, total = repository.read_page(repository.criteria(filters), params)
        return build_page(self.reads(scope, rows), total, params)

    def get(self, scope: Scope, id_or_external_id: str, provider: str | None = None) -> User:
        """Find by id, or by external id when ``provider`` is given (FIDELITY §8 Users)."""
        repository = UserRepository(scope)
        user: User | None = None
        if provider:
            user = repository.by_external_id(provider, id_or_external_id)
        elif id_or_external_id.isascii() and id_or_external_id.isdigit():
            user = repository.get(int(id_or_external_id))
        return found(user)

    def read_one(self, scope: Scope, id_or_external_id: str, provider: str | None) -> UserRead:
        if provider:
            return self.read(scope, self.get(scope, id_or_external_id, provider).id)
        if not (id_or_external_id.isascii() and id_or_external_id.isdigit()):
            raise RecordNotFound()
        return self.read(scope, int(id_or_external_id))

    def authentication(self, scope: Scope, user_id: str, provider: str) -> AuthenticationRead:
        user = self.get(scope, user_id)
        if user.provider != provider or user.external_id is None:
            raise RecordNotFound()
        return AuthenticationRead(provider=provider, external_id=user.external_id)

    def create(self, scope: Scope, data: UserCreate) -> UserRead:
        repository = UserRepository(scope)
        errors: dict[str, list[str]] = {}
        if repository.id_by_email(data.email) is not None:
            errors["email"] = [TAKEN]
        if data.external_id is not None and repository.id_by_external_id(
            data.provider or "SSO", data.external_id
        ):
            errors["external_id"] = [TAKEN]
        self._check_custom_fields(
            scope, data.custom_profile_fields, data, creating=True, errors=errors
        )
        if errors:
            raise Unprocessable(errors)

        values = data.model_dump(exclude=_NOT_COLUMNS, exclude_none=True)
        if data.external_id is not None:
            values["provider"] = data.provider or "SSO"
        user = User(**values)
        self._set_email(user, data.email)
        user.roles = list(data.roles or [])
        if data.password:
            user.password_hash = hash_password(data.password)
        repository.add(user)
        self._flush_unique(scope, user)
        self._write_custom_fields(scope, user, data.custom_profile_fields or [])
        result = self.read(scope, user.id)
        record(scope, "user", "signup", result.model_dump(mode="json"))
        return result

    def update(self, scope: Scope, user_id: str, provider: str | None, data: UserUpdate) -> None:
        user = self.get(scope, user_id, provider)
        repository = UserRepository(scope)
        changes = data.model_dump(exclude_unset=True)
        errors: dict[str, list[str]] = {}
        for required in ("first_name", "last_name", "email"):
            if required in changes and changes[required] is None:
                errors[required] = ["can't be blank"]
        email = changes.get("email")
        if email is not None and email.strip().lower() != user.email_key:
            other = repository.id_by_email(email)
            if other is not None and other != user.id:
                errors["email"] = [TAKEN]
        self._check_custom_fields(
            scope, data.custom_profile_fields, data, creating=False, errors=errors
        )
        if errors:
            raise Unprocessable(errors)

        repository.update(user, {k: v for k, v in changes.items() if k not in _NOT_COLUMNS})
        if email is not None:
            self._set_email(user, email)
        if "roles" in changes:
            user.roles = list(data.roles or [])
        if data.password:
            user.password_hash = hash_password(data.password)
        self._flush_unique(scope, user)
        if data.custom_profile_fields:
            self._write_custom_fields(scope, user, data.custom_profile_fields)
        record(scope, "user", "updated", self.read(scope, user.id).model_dump(mode="json"))

    def delete(self, scope: Scope, user_id: str, provider: str | None) -> None:
        """Delete a user with their enrollments and group memberships (FIDELITY §10 #19)."""
        user = self.get(scope, user_id, provider)
        snapshot = self.read(scope, user.id).model_dump(mode="json")
        UserRepository(scope).delete(user)
        scope.session.flush()
        record(scope, "user", "deleted", snapshot)

    @staticmethod
    def _set_email(user: User, email: str) -> None:
        user.email = email.strip()
        user.email_key = user.email.lower()

    @staticmethod
    def _flush_unique(scope: Scope, user: User) -> None:
        """Flush in a savepoint, so that a concurrent insert of the same email is a clean 422."""
        try:
            with scope.session.begin_nested():
                scope.session.flush()
        except IntegrityError as error:
            raise Unprocessable({"email": [TAKEN]}) from error

    def _check_custom_fields(
        self,
        scope: Scope,
        fields: FieldInputs | None,
        data: UserCreate | UserUpdate,
        *,
        creating: bool,
        errors: dict[str, Messages],
    ) -> None:
        definitions = UserRepository(scope).definitions()
        messages: Messages = []
        given = {f.custom_profile_field_definition_id: f for f in fields or []}
        for definition_id in given:
            if definition_id not in definitions:
                messages.append(f"custom profile field definition {definition_id} does not exist")
        if not data.skip_custom_fields_validation:
            for definition in definitions.values():
                value = given.get(definition.id)
                blank = value is None or not (value.value or "").strip()
                if definition.required and blank and (creating or value is not None):
                    messages.append(f"{definition.label} can't be blank")
        if messages:
            errors["custom_profile_fields"] = messages

    @staticmethod
    def _write_custom_fields(scope: Scope, user: User, fields: FieldInputs) -> None:
        if not fields:
            return
        ids = [f.custom_profile_field_definition_id for f in fields]
        scope.session.execute(
            delete(CustomProfileField).where(
                CustomProfileField.user_id == user.id,
                CustomProfileField.custom_profile_field_definition_id.in_(ids),
            )
        )
        for field in fields:
            scope.session.add(
                CustomProfileField(
                    site_id=scope.site.id,
                    user_id=user.id,
                    custom_profile_field_definition_id=field.custom_profile_field_definition_id,
                    value=field.value,
                    created_at=scope.now,
                    updated_at=scope.now,
                )
            )
        scope.session.flush()


user_service = UserService()
