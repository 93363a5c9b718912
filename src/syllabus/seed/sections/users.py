"""``users``: by email (case-insensitively), with profile field values and administered courses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from syllabus.kit.passwords import hash_password, verify_password
from syllabus.kit.schemas import LongText, Text, Url
from syllabus.kit.validation import Email, Required
from syllabus.models import (
    Course,
    CustomProfileField,
    CustomProfileFieldDefinition,
    User,
    course_admins,
)
from syllabus.models.user import email_key, encode_roles
from syllabus.seed.loader import (
    Load,
    NaturalKey,
    Problem,
    Reference,
    Section,
    Slug,
    Stamped,
    Step,
    times_of,
)
from syllabus.users.schemas import Commission, CommissionType, Password, Provider, Role

DEFINITIONS = "custom_profile_field_definitions"


class UserSpec(Stamped):
    email: Email
    first_name: Required
    last_name: Required
    password: Password | None = None
    company: Text | None = None
    headline: Text | None = None
    bio: LongText | None = None
    avatar_url: Url | None = None
    external_source: Text | None = None
    external_id: Text | None = None
    provider: Provider | None = None
    roles: list[Role] = []
    affiliate_code: Text | None = None
    affiliate_commission: Commission | None = None
    affiliate_commission_type: CommissionType | None = None
    affiliate_payout_email: Text | None = None
    custom_profile_fields: dict[str, LongText | None] = {}
    administered_courses: list[Slug] = []


class Users(Section[UserSpec]):
    key = "users"
    spec = UserSpec
    natural = NaturalKey("email", User.email_key, "user with email", email_key)
    references = (
        Reference("custom_profile_fields", DEFINITIONS),
        Reference("administered_courses", "courses"),
    )
    after = (DEFINITIONS,)
    fields = (
        "first_name",
        "last_name",
        "company",
        "headline",
        "bio",
        "avatar_url",
        "external_source",
        "external_id",
        "provider",
        "affiliate_code",
        "affiliate_commission",
        "affiliate_commission_type",
        "affiliate_payout_email",
    )

    def steps(self) -> tuple[Step, ...]:
        # Administering a course needs the course: a second pass, once courses are written.
        return (*super().steps(), Step(self.administer, after=("courses",)))

    def check_site(self, entries: Sequence[UserSpec], load: Load) -> Iterator[Problem]:
        required = {d.label for d in load.rows[DEFINITIONS].values() if d.required}
        for definition in load.content[DEFINITIONS]:
            if definition.required:
                required.add(definition.label)
            else:
                required.discard(definition.label)
        for index, spec in enumerate(entries):
            if self.key_of(spec) in load.rows[self.key]:
                continue
            for label in sorted(required):
                if not (spec.custom_profile_fields.get(label) or "").strip():
                    message = f"{label!r} is required for a new user"
                    yield Problem(index, message, ("custom_profile_fields",))

    def new(self, load: Load, spec: UserSpec) -> User:
        return User()

    def upsert(self, load: Load, spec: UserSpec, row: User, creating: bool) -> bool:
        values = spec.given(self.fields, creating=creating)
        roles = entry_roles(spec, None if creating else row)
        if roles is not None:
            values["roles_text"] = encode_roles(roles)
        if spec.password is not None and not (
            row.password_hash and verify_password(spec.password, row.password_hash)
        ):
            values["password_hash"] = hash_password(spec.password)
        email = (row.email, row.email_key)
        row.set_email(spec.email)
        email_changed = (row.email, row.email_key) != email
        changed = load.save(row, values, creating=creating, changed=email_changed)
        load.session.flush()
        return _profile(load, row, spec) or changed

    def administer(self, load: Load, entries: Sequence[UserSpec]) -> None:
        tally = self.tally(load)
        for spec in entries:
            if "administered_courses" not in spec.model_fields_set:
                continue
            user = load.referenced(self.key, spec.email)
            wanted = {load.referenced("courses", slug).id for slug in spec.administered_courses}
            stored = set(
                load.session.scalars(
                    select(course_admins.c.course_id).where(course_admins.c.user_id == user.id)
                )
            )
            if wanted == stored:
                continue
            if stored - wanted:
                load.session.execute(
                    delete(course_admins).where(
                        course_admins.c.user_id == user.id,
                        course_admins.c.course_id.in_(stored - wanted),
                    )
                )
            if wanted - stored:
                load.session.execute(
                    insert(course_admins),
                    [{"course_id": id, "user_id": user.id} for id in sorted(wanted - stored)],
                )
            user.updated_at = load.now
            tally.mark(user.email_key, changed=True)

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        labels = dict(
            session.execute(
                select(CustomProfileFieldDefinition.id, CustomProfileFieldDefinition.label).where(
                    CustomProfileFieldDefinition.site_id == site_id
                )
            ).all()
        )
        profiles: defaultdict[int, dict[str, str | None]] = defaultdict(dict)
        for value in session.scalars(
            select(CustomProfileField)
            .where(CustomProfileField.site_id == site_id)
            .order_by(CustomProfileField.id)
        ):
            label = labels[value.custom_profile_field_definition_id]
            profiles[value.user_id][label] = value.value
        administered: defaultdict[int, list[str]] = defaultdict(list)
        for user_id, slug in session.execute(
            select(course_admins.c.user_id, Course.slug)
            .join(Course, Course.id == course_admins.c.course_id)
            .where(Course.site_id == site_id)
            .order_by(course_admins.c.user_id, Course.id)
        ):
            administered[user_id].append(slug)
        users = session.scalars(select(User).where(User.site_id == site_id).order_by(User.id))
        return [
            {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                **{name: getattr(user, name) for name in self.fields[2:]},
                "roles": user.roles,
                "custom_profile_fields": profiles.get(user.id, {}),
                "administered_courses": administered.get(user.id, []),
                **times_of(user),
            }
            for user in users
        ]


def entry_roles(spec: UserSpec, stored: User | None) -> set[str] | None:
    """The roles an entry gives its user (``stored``, None for a new one); None when the entry
    leaves the stored roles as they are."""
    if stored is None or "roles" in spec.model_fields_set:
        roles: set[str] = set(spec.roles)
    elif spec.administered_courses:
        roles = set(stored.roles)
    else:
        return None
    # Administering a course takes the course_admin role, as on Thinkific.
    if spec.administered_courses:
        roles.add("course_admin")
    return roles


def roles_after(load: Load, email: str) -> set[str] | None:
    """The roles the user ``email`` names has once the file is written: its entry's, or the
    site's; None for no such user."""
    key = email_key(email)
    stored: User | None = load.rows[SECTION.key].get(key)
    spec = next((s for s in load.content[SECTION.key] if SECTION.key_of(s) == key), None)
    roles = None if spec is None else entry_roles(spec, stored)
    if roles is None and stored is not None:
        return set(stored.roles)
    return roles


def _profile(load: Load, user: User, spec: UserSpec) -> bool:
    """Set the values the entry gives of the user's custom profile fields; None removes one."""
    if not spec.custom_profile_fields:
        return False
    stored = {
        value.custom_profile_field_definition_id: value
        for value in load.session.scalars(
            select(CustomProfileField).where(CustomProfileField.user_id == user.id)
        )
    }
    changed = False
    for label, value in spec.custom_profile_fields.items():
        definition_id = load.referenced(DEFINITIONS, label).id
        row = stored.get(definition_id)
        if value is None:
            if row is not None:
                load.session.delete(row)
                changed = True
        elif row is None:
            load.add(
                CustomProfileField(
                    user_id=user.id, custom_profile_field_definition_id=definition_id, value=value
                )
            )
            changed = True
        elif row.value != value:
            row.value = value
            row.updated_at = load.now
            changed = True
    if changed:
        user.updated_at = load.now
    return changed


SECTION = Users()
