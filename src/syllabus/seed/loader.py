"""Declarative content: ``syllabus load SUB FILE.yaml`` (the format is in docs/load-format.md).

A file describes what must exist. Each top-level entry is upserted by its natural key
(definition label, instructor slug, course slug, user email case-insensitively, group name, and
an enrollment's user and course), so loading the same file twice changes nothing. Entries the
file does not mention are left alone. Within an entry, a field the file omits keeps its stored
value, and a list the file gives (roles, chapters, contents, administered courses, members) is
set exactly.

The whole file is checked before the first write: its shape by the pydantic models below, then
duplicates and references against the site. Any problem raises ``LoadError`` with every problem
found, each naming its entry (``courses[2].chapters[0].contents[1].type: ...``), and the
caller's transaction rolls back. Loading records no events: events are for API writes.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from syllabus.clock import clock
from syllabus.kit.passwords import hash_password, verify_password
from syllabus.kit.schemas import InputTimestamp, LongText, Text
from syllabus.kit.validation import Email, Required
from syllabus.models import (
    CONTENTABLE_TYPES,
    ROLES,
    Chapter,
    Content,
    Course,
    CustomProfileField,
    CustomProfileFieldDefinition,
    Enrollment,
    Group,
    GroupMembership,
    Instructor,
    Product,
    Site,
    User,
    course_admins,
)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Keeps ``IN (...)`` lists well under SQLite's bound-parameter limit.
CHUNK = 500


class LoadError(ValueError):
    """A file that cannot be loaded; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# --- the file's shape -----------------------------------------------------------------------


def _slug(value: str) -> str:
    if not SLUG_PATTERN.match(value):
        raise ValueError("must be lowercase letters, digits and single hyphens (like 'intro-101')")
    return value


def _content_type(value: str) -> str:
    if value not in CONTENTABLE_TYPES:
        raise ValueError(f"must be one of {', '.join(CONTENTABLE_TYPES)} (got {value!r})")
    return value


Slug = Annotated[str, Field(max_length=255), AfterValidator(_slug)]
ContentType = Annotated[str, AfterValidator(_content_type)]
Url = Annotated[str, Field(max_length=2048)]
Role = Literal["affiliate", "course_admin", "group_analyst", "site_admin"]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Commission = Annotated[Decimal, Field(ge=0, le=100, max_digits=12)]
Fraction = Annotated[float, Field(ge=0, le=1)]


class Spec(BaseModel):
    """Every entry: unknown keys are errors (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    def given(self, names: Iterable[str], *, creating: bool) -> dict[str, Any]:
        """The values of ``names`` to write: all of them on create, only those in the file on update."""
        return {
            name: getattr(self, name) for name in names if creating or name in self.model_fields_set
        }


class DefinitionSpec(Spec):
    label: Required
    field_type: Annotated[Required, Field(max_length=32)] = "text"
    required: bool = False


class InstructorSpec(Spec):
    slug: Slug
    first_name: Required
    last_name: Required
    title: Text | None = None
    bio: LongText | None = None
    email: Email | None = None
    avatar_url: Url | None = None
    user: Email | None = None


class ContentSpec(Spec):
    name: Required
    type: ContentType = "Lesson"
    free: bool = False


class ChapterSpec(Spec):
    name: Required
    description: LongText | None = None
    duration_in_seconds: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    contents: list[ContentSpec] = []


class CourseSpec(Spec):
    slug: Slug
    name: Required
    subtitle: Text | None = None
    description: LongText | None = None
    course_card_text: LongText | None = None
    intro_video_youtube: Text | None = None
    contact_information: Annotated[str, Field(max_length=1024)] | None = None
    keywords: Annotated[str, Field(max_length=1024)] | None = None
    duration: Annotated[str, Field(max_length=64)] | None = None
    banner_image_url: Url | None = None
    course_card_image_url: Url | None = None
    reviews_enabled: bool = False
    instructor: Slug | None = None
    # The course's product.
    price: Price = Decimal("0")
    status: Literal["published", "draft"] = "published"
    private: bool = False
    hidden: bool = False
    subscription: bool = False
    days_until_expiry: Annotated[int, Field(ge=1, le=36_500)] | None = None
    has_certificate: bool = False
    chapters: list[ChapterSpec] | None = None


class UserSpec(Spec):
    email: Email
    first_name: Required
    last_name: Required
    password: Annotated[str, Field(min_length=6, max_length=128)] | None = None
    company: Text | None = None
    headline: Text | None = None
    bio: LongText | None = None
    avatar_url: Url | None = None
    external_source: Text | None = None
    roles: list[Role] = []
    affiliate_code: Text | None = None
    affiliate_commission: Commission | None = None
    affiliate_commission_type: Literal["%", "$"] | None = None
    affiliate_payout_email: Text | None = None
    custom_profile_fields: dict[str, Annotated[str, Field(max_length=65_535)] | None] = {}
    administered_courses: list[Slug] = []


class EnrollmentSpec(Spec):
    user: Email
    course: Slug
    activated_at: InputTimestamp | None = None
    expiry_date: InputTimestamp | None = None
    started_at: InputTimestamp | None = None
    completed_at: InputTimestamp | None = None
    percentage_completed: Fraction = 0.0
    is_free_trial: bool = False


class GroupSpec(Spec):
    name: Required
    members: list[Email] = []


class ContentFile(Spec):
    custom_profile_field_definitions: list[DefinitionSpec] = []
    instructors: list[InstructorSpec] = []
    courses: list[CourseSpec] = []
    users: list[UserSpec] = []
    enrollments: list[EnrollmentSpec] = []
    groups: list[GroupSpec] = []

    @field_validator("*", mode="before")
    @classmethod
    def _empty_section(cls, value: Any) -> Any:
        # `users:` with nothing under it is an empty section, not an error.
        return [] if value is None else value


SECTIONS = tuple(ContentFile.model_fields)


def _path(location: Sequence[int | str]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif IDENTIFIER.match(part):
            path += f".{part}" if path else part
        else:
            path += f"[{part!r}]"
    return path or "(top level)"


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    context = error.get("ctx", {})
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "literal_error":
        return f"must be one of {context.get('expected')} (got {error['input']!r})"
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    message = error["msg"]
    return message[:1].lower() + message[1:]


def parse_content(data: Any) -> ContentFile:
    """Check a parsed YAML document's shape; raise ``LoadError`` naming every bad entry."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LoadError(
            ["(top level): must be a mapping with sections like 'courses:' and 'users:'"]
        )
    try:
        content = ContentFile.model_validate(data)
    except ValidationError as error:
        problems = [f"{_path(d['loc'])}: {_message(d)}" for d in error.errors()]
        raise LoadError(problems) from error
    problems = _check_entries(content)
    if problems:
        raise LoadError(problems)
    return content


def read_content(path: Path) -> ContentFile:
    """Read and check a content file; YAML syntax errors say where they are."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LoadError([f"{path}: {error.strerror or error}"]) from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise LoadError([f"{path}: {where}{problem}"]) from error
    return parse_content(data)


def _duplicates(entries: Sequence[Any], key: Any, section: str, name: str) -> list[str]:
    problems = []
    seen: dict[Any, int] = {}
    for index, entry in enumerate(entries):
        value = key(entry)
        if value in seen:
            problems.append(
                f"{section}[{index}].{name}: {value!r} is already given by {section}[{seen[value]}]"
            )
        else:
            seen[value] = index
    return problems


def _check_entries(content: ContentFile) -> list[str]:
    """Rules that need no database: duplicate natural keys, and coherent enrollments."""
    problems = [
        *_duplicates(
            content.custom_profile_field_definitions,
            lambda d: d.label,
            "custom_profile_field_definitions",
            "label",
        ),
        *_duplicates(content.instructors, lambda i: i.slug, "instructors", "slug"),
        *_duplicates(content.courses, lambda c: c.slug, "courses", "slug"),
        *_duplicates(content.users, lambda u: u.email.lower(), "users", "email"),
        *_duplicates(content.groups, lambda g: g.name, "groups", "name"),
    ]
    pairs: dict[tuple[str, str], int] = {}
    for index, enrollment in enumerate(content.enrollments):
        where = f"enrollments[{index}]"
        pair = (enrollment.user.lower(), enrollment.course)
        if pair in pairs:
            problems.append(
                f"{where}: {enrollment.user} in {enrollment.course!r} is already given by "
                f"enrollments[{pairs[pair]}]"
            )
        pairs.setdefault(pair, index)
        if enrollment.is_free_trial and enrollment.activated_at is not None:
            problems.append(f"{where}.activated_at: a free trial is not activated; remove it")
        if (
            enrollment.completed_at is not None
            and "percentage_completed" in enrollment.model_fields_set
            and enrollment.percentage_completed < 1
        ):
            problems.append(
                f"{where}.completed_at: a completed enrollment has percentage_completed 1.0"
            )
    return problems


# --- what the site already has --------------------------------------------------------------


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _by_key(session: Session, site: Site, column: Any, keys: set[str]) -> dict[str, Any]:
    """The site's rows whose ``column`` is one of ``keys``; the lowest id wins a shared key."""
    model = column.class_
    found: dict[str, Any] = {}
    for chunk in _chunks(keys):
        statement = (
            select(model)
            .where(model.site_id == site.id, column.in_(chunk))
            .order_by(model.id.desc())
        )
        found.update((getattr(row, column.key), row) for row in session.scalars(statement))
    return found


@dataclass
class _Existing:
    """The site's rows the file names, by natural key. Writes add what they create."""

    definitions: dict[str, CustomProfileFieldDefinition]
    instructors: dict[str, Instructor]
    courses: dict[str, Course]
    users: dict[str, User]
    groups: dict[str, Group]

    @classmethod
    def load(cls, session: Session, site: Site, content: ContentFile) -> _Existing:
        definitions = {
            d.label: d
            for d in session.scalars(
                select(CustomProfileFieldDefinition).where(
                    CustomProfileFieldDefinition.site_id == site.id
                )
            )
        }
        instructor_slugs = {i.slug for i in content.instructors} | {
            c.instructor for c in content.courses if c.instructor
        }
        course_slugs = (
            {c.slug for c in content.courses}
            | {slug for u in content.users for slug in u.administered_courses}
            | {e.course for e in content.enrollments}
        )
        emails = (
            {u.email.lower() for u in content.users}
            | {i.user.lower() for i in content.instructors if i.user}
            | {e.user.lower() for e in content.enrollments}
            | {m.lower() for g in content.groups for m in g.members}
        )
        instructors: dict[str, Instructor] = _by_key(
            session, site, Instructor.slug, instructor_slugs
        )
        courses: dict[str, Course] = _by_key(session, site, Course.slug, course_slugs)
        users: dict[str, User] = _by_key(session, site, User.email_key, emails)
        groups: dict[str, Group] = _by_key(
            session, site, Group.name, {g.name for g in content.groups}
        )
        return cls(definitions, instructors, courses, users, groups)


def _check_references(content: ContentFile, existing: _Existing) -> list[str]:
    problems = []
    labels = set(existing.definitions) | {d.label for d in content.custom_profile_field_definitions}
    required = {label for label, d in existing.definitions.items() if d.required}
    for definition in content.custom_profile_field_definitions:
        if definition.required:
            required.add(definition.label)
        else:
            required.discard(definition.label)
    slugs = set(existing.instructors) | {i.slug for i in content.instructors}
    courses = set(existing.courses) | {c.slug for c in content.courses}
    emails = set(existing.users) | {u.email.lower() for u in content.users}

    def user(where: str, email: str) -> None:
        if email.lower() not in emails:
            problems.append(f"{where}: no user with email {email!r} in the file or the site")

    def course(where: str, slug: str) -> None:
        if slug not in courses:
            problems.append(f"{where}: no course with slug {slug!r} in the file or the site")

    for index, instructor in enumerate(content.instructors):
        if instructor.user:
            user(f"instructors[{index}].user", instructor.user)
    for index, course_spec in enumerate(content.courses):
        if course_spec.instructor and course_spec.instructor not in slugs:
            problems.append(
                f"courses[{index}].instructor: no instructor with slug "
                f"{course_spec.instructor!r} in the file or the site"
            )
    for index, spec in enumerate(content.users):
        where = f"users[{index}]"
        for label in spec.custom_profile_fields:
            if label not in labels:
                problems.append(
                    f"{where}.custom_profile_fields: no custom profile field definition "
                    f"labelled {label!r} in the file or the site"
                )
        if spec.email.lower() not in existing.users:
            for label in sorted(required):
                if not (spec.custom_profile_fields.get(label) or "").strip():
                    problems.append(
                        f"{where}.custom_profile_fields: {label!r} is required for a new user"
                    )
        for position, slug in enumerate(spec.administered_courses):
            course(f"{where}.administered_courses[{position}]", slug)
    for index, enrollment in enumerate(content.enrollments):
        user(f"enrollments[{index}].user", enrollment.user)
        course(f"enrollments[{index}].course", enrollment.course)
    for index, group in enumerate(content.groups):
        for position, email in enumerate(group.members):
            user(f"groups[{index}].members[{position}]", email)
    return problems


# --- writing --------------------------------------------------------------------------------


@dataclass
class Tally:
    """What happened to one kind of row, by natural key."""

    created: set[Any] = field(default_factory=set)
    updated: set[Any] = field(default_factory=set)
    unchanged: set[Any] = field(default_factory=set)
    deleted: int = 0

    def mark(self, key: Any, *, created: bool = False, changed: bool = False) -> None:
        if created:
            self.created.add(key)
            self.updated.discard(key)
            self.unchanged.discard(key)
        elif key in self.created:
            pass
        elif changed:
            self.updated.add(key)
            self.unchanged.discard(key)
        elif key not in self.updated:
            self.unchanged.add(key)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated) + self.deleted


@dataclass
class LoadSummary:
    site: str
    tallies: dict[str, Tally]

    @property
    def changes(self) -> int:
        return sum(tally.changes for tally in self.tallies.values())


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _roles_text(roles: Iterable[str]) -> str:
    chosen = set(roles)
    ordered = [role for role in ROLES if role in chosen]
    return f",{','.join(ordered)}," if ordered else ""


DEFINITION_FIELDS = ("field_type", "required")
INSTRUCTOR_FIELDS = ("first_name", "last_name", "title", "bio", "email", "avatar_url")
COURSE_FIELDS = (
    "name",
    "subtitle",
    "description",
    "course_card_text",
    "intro_video_youtube",
    "contact_information",
    "keywords",
    "duration",
    "banner_image_url",
    "course_card_image_url",
    "reviews_enabled",
)
PRODUCT_FIELDS = (
    "price",
    "status",
    "private",
    "hidden",
    "subscription",
    "days_until_expiry",
    "has_certificate",
)
# Course fields the product mirrors: it is what the site sells under the course's name.
MIRRORED = ("name", "slug", "description", "keywords")
USER_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "headline",
    "bio",
    "avatar_url",
    "external_source",
    "affiliate_code",
    "affiliate_commission",
    "affiliate_commission_type",
    "affiliate_payout_email",
)
ENROLLMENT_FIELDS = (
    "activated_at",
    "expiry_date",
    "started_at",
    "completed_at",
    "percentage_completed",
    "is_free_trial",
)


# The ordered children of a course or chapter, and their specs, matched by name.
Child = TypeVar("Child", Chapter, Content)
ChildSpec = TypeVar("ChildSpec", ChapterSpec, ContentSpec)


def load_content(session: Session, site: Site, content: ContentFile) -> LoadSummary:
    """Write ``content`` into ``site`` inside the caller's transaction.

    Raises ``LoadError`` before writing anything when the file names something that exists
    neither in the file nor in the site.
    """
    existing = _Existing.load(session, site, content)
    problems = _check_references(content, existing)
    if problems:
        raise LoadError(problems)
    return _Writer(session, site, existing).run(content)


class _Writer:
    def __init__(self, session: Session, site: Site, existing: _Existing) -> None:
        self.session = session
        self.site = site
        self.existing = existing
        self.now = clock.now(site.clock_offset_seconds)
        self.tallies = {
            "custom profile field definitions": Tally(),
            "users": Tally(),
            "instructors": Tally(),
            "courses": Tally(),
            "chapters": Tally(),
            "contents": Tally(),
            "groups": Tally(),
            "enrollments": Tally(),
        }

    def run(self, content: ContentFile) -> LoadSummary:
        self.definitions(content.custom_profile_field_definitions)
        self.users(content.users)
        self.instructors(content.instructors)
        self.courses(content.courses)
        self.course_admins(content.users)
        self.groups(content.groups)
        self.enrollments(content.enrollments)
        self.session.flush()
        return LoadSummary(self.site.subdomain, self.tallies)

    def stamp(self, row: Any) -> None:
        row.site_id = self.site.id
        row.created_at = self.now
        row.updated_at = self.now

    def save(self, row: Any, values: dict[str, Any], *, creating: bool) -> bool:
        """Apply ``values``; add a new row, or touch ``updated_at`` of a changed one."""
        changed = _assign(row, values)
        if creating:
            self.stamp(row)
            self.session.add(row)
        elif changed:
            row.updated_at = self.now
        return changed

    def definitions(self, specs: list[DefinitionSpec]) -> None:
        tally = self.tallies["custom profile field definitions"]
        for spec in specs:
            row = self.existing.definitions.get(spec.label)
            creating = row is None
            if row is None:
                row = self.existing.definitions[spec.label] = CustomProfileFieldDefinition(
                    label=spec.label
                )
            changed = self.save(
                row, spec.given(DEFINITION_FIELDS, creating=creating), creating=creating
            )
            tally.mark(spec.label, created=creating, changed=changed)
        self.session.flush()

    def users(self, specs: list[UserSpec]) -> None:
        tally = self.tallies["users"]
        for spec in specs:
            key = spec.email.lower()
            user = self.existing.users.get(key)
            creating = user is None
            if user is None:
                user = self.existing.users[key] = User()
            values = spec.given(USER_FIELDS, creating=creating)
            values["email"] = spec.email
            values["email_key"] = key
            setting_roles = creating or "roles" in spec.model_fields_set
            if setting_roles or spec.administered_courses:
                roles = set(spec.roles) if setting_roles else set(user.roles)
                # Administering a course takes the course_admin role, as on Thinkific.
                if spec.administered_courses:
                    roles.add("course_admin")
                values["roles_text"] = _roles_text(roles)
            if spec.password is not None and not (
                user.password_hash and verify_password(spec.password, user.password_hash)
            ):
                values["password_hash"] = hash_password(spec.password)
            changed = self.save(user, values, creating=creating)
            self.session.flush()
            changed = self.profile(user, spec) or changed
            tally.mark(key, created=creating, changed=changed)

    def profile(self, user: User, spec: UserSpec) -> bool:
        if not spec.custom_profile_fields:
            return False
        stored = {
            value.custom_profile_field_definition_id: value
            for value in self.session.scalars(
                select(CustomProfileField).where(CustomProfileField.user_id == user.id)
            )
        }
        changed = False
        for label, value in spec.custom_profile_fields.items():
            definition_id = self.existing.definitions[label].id
            row = stored.get(definition_id)
            if value is None:
                if row is not None:
                    self.session.delete(row)
                    changed = True
            elif row is None:
                row = CustomProfileField(
                    user_id=user.id, custom_profile_field_definition_id=definition_id, value=value
                )
                self.stamp(row)
                self.session.add(row)
                changed = True
            elif row.value != value:
                row.value = value
                row.updated_at = self.now
                changed = True
        if changed:
            user.updated_at = self.now
        return changed

    def instructors(self, specs: list[InstructorSpec]) -> None:
        tally = self.tallies["instructors"]
        for spec in specs:
            row = self.existing.instructors.get(spec.slug)
            creating = row is None
            if row is None:
                row = self.existing.instructors[spec.slug] = Instructor(slug=spec.slug)
            values = spec.given(INSTRUCTOR_FIELDS, creating=creating)
            if creating or "user" in spec.model_fields_set:
                values["user_id"] = self.existing.users[spec.user.lower()].id if spec.user else None
            changed = self.save(row, values, creating=creating)
            tally.mark(spec.slug, created=creating, changed=changed)
        self.session.flush()

    def courses(self, specs: list[CourseSpec]) -> None:
        tally = self.tallies["courses"]
        position = self.session.scalar(
            select(func.count()).select_from(Product).where(Product.site_id == self.site.id)
        )
        for spec in specs:
            course = self.existing.courses.get(spec.slug)
            creating = course is None
            if course is None:
                course = self.existing.courses[spec.slug] = Course(slug=spec.slug)
            values = spec.given(COURSE_FIELDS, creating=creating)
            if creating or "instructor" in spec.model_fields_set:
                instructor = self.existing.instructors.get(spec.instructor or "")
                values["instructor_id"] = instructor.id if instructor else None
            changed = self.save(course, values, creating=creating)
            self.session.flush()

            product = (
                None if course.product_id is None else self.session.get(Product, course.product_id)
            )
            new_product = product is None
            if product is None:
                product = Product(productable_type="Course", position=position or 0)
                position = (position or 0) + 1
            product_values = spec.given(PRODUCT_FIELDS, creating=new_product)
            product_values["productable_id"] = course.id
            product_values.update({name: getattr(course, name) for name in MIRRORED})
            changed = self.save(product, product_values, creating=new_product) or changed
            if new_product:
                self.session.flush()
                course.product_id = product.id
                changed = True
            if spec.chapters is not None:
                changed = self.chapters(course, spec.chapters) or changed
            if changed and not creating:
                course.updated_at = self.now
            tally.mark(spec.slug, created=creating, changed=changed)
        self.session.flush()

    def chapters(self, course: Course, specs: list[ChapterSpec]) -> bool:
        """Make the course's chapters exactly ``specs``, matching stored ones by name in order."""

        def write(chapter: Chapter, position: int, spec: ChapterSpec, creating: bool) -> bool:
            values: dict[str, Any] = {"name": spec.name, "position": position}
            values.update(spec.given(("description", "duration_in_seconds"), creating=creating))
            changed = self.save(chapter, values, creating=creating)
            self.session.flush()
            return self.contents(course, chapter, spec.contents) or changed

        def discard(ids: list[int]) -> None:
            self.session.execute(delete(Content).where(Content.chapter_id.in_(ids)))

        return self.children(
            "chapters",
            Chapter,
            Chapter.course_id,
            course.id,
            specs,
            write,
            key=lambda position: (course.slug, position),
            before_delete=discard,
        )

    def contents(self, course: Course, chapter: Chapter, specs: list[ContentSpec]) -> bool:
        def write(content: Content, position: int, spec: ContentSpec, creating: bool) -> bool:
            values: dict[str, Any] = {
                "course_id": course.id,
                "name": spec.name,
                "position": position,
                "contentable_type": spec.type,
                "free": spec.free,
            }
            if not creating and "type" not in spec.model_fields_set:
                del values["contentable_type"]
            if not creating and "free" not in spec.model_fields_set:
                del values["free"]
            return self.save(content, values, creating=creating)

        return self.children(
            "contents",
            Content,
            Content.chapter_id,
            chapter.id,
            specs,
            write,
            key=lambda position: (chapter.id, position),
        )

    def children(
        self,
        kind: str,
        model: type[Child],
        parent: InstrumentedAttribute[int],
        parent_id: int,
        specs: Sequence[ChildSpec],
        write: Callable[[Child, int, ChildSpec, bool], bool],
        *,
        key: Callable[[int], Any],
        before_delete: Callable[[list[int]], None] | None = None,
    ) -> bool:
        """Make a parent's ordered children exactly ``specs``, matching stored ones by name.

        ``write(row, position, spec, creating)`` applies one spec and says whether the row
        changed; stored children no spec names are deleted, after ``before_delete`` of their ids.
        """
        tally = self.tallies[kind]
        stored = list(
            self.session.scalars(
                select(model).where(parent == parent_id).order_by(model.position, model.id)
            )
        )
        changed = False
        for position, spec in enumerate(specs):
            row = next((r for r in stored if r.name == spec.name), None)
            creating = row is None
            if row is None:
                row = model(**{parent.key: parent_id})
            else:
                stored.remove(row)
            row_changed = write(row, position, spec, creating)
            tally.mark(key(position), created=creating, changed=row_changed)
            changed = changed or creating or row_changed
        if stored:
            if before_delete is not None:
                before_delete([row.id for row in stored])
            for row in stored:
                self.session.delete(row)
            tally.deleted += len(stored)
            changed = True
        return changed

    def course_admins(self, specs: list[UserSpec]) -> None:
        tally = self.tallies["users"]
        for spec in specs:
            if "administered_courses" not in spec.model_fields_set:
                continue
            user = self.existing.users[spec.email.lower()]
            wanted = {self.existing.courses[slug].id for slug in spec.administered_courses}
            stored = set(
                self.session.scalars(
                    select(course_admins.c.course_id).where(course_admins.c.user_id == user.id)
                )
            )
            if wanted == stored:
                continue
            if stored - wanted:
                self.session.execute(
                    delete(course_admins).where(
                        course_admins.c.user_id == user.id,
                        course_admins.c.course_id.in_(stored - wanted),
                    )
                )
            if wanted - stored:
                self.session.execute(
                    insert(course_admins),
                    [{"course_id": id, "user_id": user.id} for id in sorted(wanted - stored)],
                )
            user.updated_at = self.now
            tally.mark(user.email_key, changed=True)

    def groups(self, specs: list[GroupSpec]) -> None:
        tally = self.tallies["groups"]
        for spec in specs:
            group = self.existing.groups.get(spec.name)
            creating = group is None
            if group is None:
                group = self.existing.groups[spec.name] = Group(name=spec.name, token=self.token())
                self.stamp(group)
                self.session.add(group)
                self.session.flush()
            changed = False
            if creating or "members" in spec.model_fields_set:
                changed = self.members(group, spec.members)
            if changed and not creating:
                group.updated_at = self.now
            tally.mark(spec.name, created=creating, changed=changed)

    def token(self) -> str:
        while True:
            token = secrets.token_hex(4)
            if not self.session.scalar(select(func.count()).where(Group.token == token)):
                return token

    def members(self, group: Group, emails: list[str]) -> bool:
        wanted = {self.existing.users[email.lower()].id for email in emails}
        stored = {
            membership.user_id: membership
            for membership in self.session.scalars(
                select(GroupMembership).where(GroupMembership.group_id == group.id)
            )
        }
        for user_id in sorted(wanted - set(stored)):
            membership = GroupMembership(group_id=group.id, user_id=user_id)
            self.stamp(membership)
            self.session.add(membership)
        for user_id in set(stored) - wanted:
            self.session.delete(stored[user_id])
        return wanted != set(stored)

    def enrollments(self, specs: list[EnrollmentSpec]) -> None:
        tally = self.tallies["enrollments"]
        for spec in specs:
            user = self.existing.users[spec.user.lower()]
            course = self.existing.courses[spec.course]
            enrollment = self.session.scalars(
                select(Enrollment).where(
                    Enrollment.user_id == user.id, Enrollment.course_id == course.id
                )
            ).first()
            creating = enrollment is None
            if enrollment is None:
                enrollment = Enrollment(user_id=user.id, course_id=course.id)
            values = spec.given(ENROLLMENT_FIELDS, creating=creating)
            given = spec.model_fields_set
            current = {name: getattr(enrollment, name) for name in ENROLLMENT_FIELDS}
            final = {**current, **values} if not creating else dict(values)
            # Fill in what the file leaves implicit, so that the row is coherent.
            if final["is_free_trial"]:
                if "activated_at" not in given:
                    final["activated_at"] = None
            elif final["activated_at"] is None and "activated_at" not in given:
                final["activated_at"] = self.now
            if (
                "completed_at" in given
                and final["completed_at"] is not None
                and "percentage_completed" not in given
            ):
                final["percentage_completed"] = 1.0
            if final["percentage_completed"] >= 1:
                if final["completed_at"] is None:
                    final["completed_at"] = self.now
            elif "completed_at" not in given:
                final["completed_at"] = None
            if final["percentage_completed"] > 0 and final["started_at"] is None:
                final["started_at"] = final["activated_at"] or self.now
            changed = self.save(enrollment, final, creating=creating)
            tally.mark((user.email_key, course.slug), created=creating, changed=changed)
