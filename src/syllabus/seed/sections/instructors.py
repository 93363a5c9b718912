"""``instructors``: by slug, each maybe a user of the site.

An instructor's slug is unique on the site, and any text, as the API takes it: a file names the
instructors the API made as they are.
"""

from __future__ import annotations

from typing import Any

from syllabus.kit.schemas import LongText, Text, Url
from syllabus.kit.validation import Email, Required
from syllabus.models import Instructor
from syllabus.seed.loader import Load, NaturalKey, Reference, Section, Spec

# Not a ``Slug``: the API takes any text (and makes one from the name when given none).
InstructorSlug = Required


class InstructorSpec(Spec):
    slug: InstructorSlug
    first_name: Required
    last_name: Required
    title: Text | None = None
    bio: LongText | None = None
    email: Email | None = None
    avatar_url: Url | None = None
    user: Email | None = None


class Instructors(Section[InstructorSpec]):
    key = "instructors"
    spec = InstructorSpec
    natural = NaturalKey("slug", Instructor.slug, "instructor with slug")
    references = (Reference("user", "users"),)
    after = ("users",)
    fields = ("first_name", "last_name", "title", "bio", "email", "avatar_url")

    def new(self, load: Load, spec: InstructorSpec) -> Instructor:
        return Instructor(slug=spec.slug)

    def upsert(self, load: Load, spec: InstructorSpec, row: Instructor, creating: bool) -> bool:
        values: dict[str, Any] = spec.given(self.fields, creating=creating)
        if creating or "user" in spec.model_fields_set:
            values["user_id"] = load.referenced("users", spec.user).id if spec.user else None
        return load.save(row, values, creating=creating)


SECTION = Instructors()
