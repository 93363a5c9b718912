from __future__ import annotations

from syllabus.context import Scope
from syllabus.errors import RecordNotFound, Unprocessable, found
from syllabus.events.recorder import record
from syllabus.events.topics import Topic
from syllabus.kit.filters import Filters
from syllabus.kit.wire import JSONObject
from syllabus.models import User
from syllabus.models.user import email_key
from syllabus.pagination import PageParams
from syllabus.users.repository import AUTHENTICATION, USER, USER_PAYLOAD, UserRepository
from syllabus.users.schemas import CustomProfileFieldInput, UserCreate, UserKey, UserUpdate

TAKEN = "has already been taken"
# Module-level aliases: inside UserService, `list` names the method, not the builtin.
FieldInputs = list[CustomProfileFieldInput]
Errors = dict[str, list[str]]
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
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.users = UserRepository(scope)

    def list(self, filters: Filters, params: PageParams) -> JSONObject:
        return self.users.page(filters.criteria(self.scope.now), params)

    def id_of(self, key: UserKey) -> int:
        if key.provider is not None and key.external_id is not None:
            return found(self.users.id_by_external_id(key.provider, key.external_id))
        return found(key.id)

    def read(self, key: UserKey) -> JSONObject:
        return found(self.users.read(self.id_of(key)))

    def get(self, key: UserKey) -> User:
        return found(self.users.get(self.id_of(key)))

    def authentication(self, id: int, provider: str) -> JSONObject:
        """The external identity a user signs in with through ``provider``."""
        body = found(self.users.read(id, AUTHENTICATION))
        if body["provider"] != provider:
            raise RecordNotFound()
        return body

    def create(self, data: UserCreate, password_hash: str | None = None) -> JSONObject:
        """Create a user; ``password_hash`` is ``data.password`` hashed (``kit.passwords``)."""
        errors: Errors = {}
        if self.users.id_by_email(email_key(data.email)) is not None:
            errors["email"] = [TAKEN]
        provider = data.provider or "SSO"
        if data.external_id is not None and self.users.id_by_external_id(
            provider, data.external_id
        ):
            errors["external_id"] = [TAKEN]
        self._check_custom_fields(data, creating=True, errors=errors)
        if errors:
            raise Unprocessable(errors)

        user = User(**data.model_dump(exclude=_NOT_COLUMNS, exclude_none=True))
        if data.external_id is not None:
            user.provider = provider
        user.set_email(data.email)
        user.roles = data.roles or []
        self.users.add(user)
        return self._write(user, data, "user.signup", password_hash)

    def update(self, key: UserKey, data: UserUpdate, password_hash: str | None = None) -> None:
        user = self.get(key)
        changes = data.model_dump(exclude_unset=True)
        errors: Errors = {}
        for required in ("first_name", "last_name", "email"):
            if required in changes and changes[required] is None:
                errors[required] = ["can't be blank"]
        email = changes.get("email")
        if email is not None and email_key(email) != user.email_key:
            other = self.users.id_by_email(email_key(email))
            if other is not None and other != user.id:
                errors["email"] = [TAKEN]
        self._check_custom_fields(data, creating=False, errors=errors)
        if errors:
            raise Unprocessable(errors)

        for name, value in changes.items():
            if name not in _NOT_COLUMNS:
                setattr(user, name, value)
        if email is not None:
            user.set_email(email)
        if "roles" in changes:
            user.roles = data.roles or []
        self.users.touch(user)
        self._write(user, data, "user.updated", password_hash)

    def delete(self, key: UserKey) -> None:
        """Delete a user with their enrollments and group memberships (FIDELITY §10 #19)."""
        user = self.get(key)
        payload = found(self.users.read(user.id, USER_PAYLOAD))
        self.users.delete(user)
        self.users.flush()
        record(self.scope, "user.deleted", payload)

    def _write(
        self,
        user: User,
        data: UserCreate | UserUpdate,
        topic: Topic,
        password_hash: str | None,
    ) -> JSONObject:
        """Write ``user`` with what a create and an update share, record ``topic``, and return
        the user's body."""
        if data.password:
            if password_hash is None:
                raise ValueError("a password is hashed before the unit of work (kit.passwords)")
            user.password_hash = password_hash
        # The same 422 as the check above, when a concurrent request took the email first.
        self.users.flush(on_conflict=Unprocessable.field("email", TAKEN))
        self.users.set_profile_fields(user, data.custom_profile_fields or [])
        body, payload = found(self.users.read_as(user.id, USER, USER_PAYLOAD))
        record(self.scope, topic, payload)
        return body

    def _check_custom_fields(
        self, data: UserCreate | UserUpdate, *, creating: bool, errors: Errors
    ) -> None:
        definitions = self.users.definitions()
        messages: list[str] = []
        given = {f.custom_profile_field_definition_id: f for f in data.custom_profile_fields or []}
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
