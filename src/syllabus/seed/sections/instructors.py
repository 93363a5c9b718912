"""``instructors``: by slug, each maybe a user of the site.

An instructor's slug is unique on the site, and any text, as the API takes it: a file names the
instructors the API made as they are.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.kit.schemas import LongText, Text, Url
from syllabus.kit.validation import Email, Required
from syllabus.models import Instructor, User
from syllabus.seed.loader import Load, NaturalKey, Reference, Section, Stamped, times_of

# Not a ``Slug``: the API takes any text (and makes one from the name when given none).
InstructorSlug = Required


class InstructorSpec(Stamped):
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

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        rows = session.execute(
            select(Instructor, User.email)
            .outerjoin(User, User.id == Instructor.user_id)
            .where(Instructor.site_id == site_id)
            .order_by(Instructor.id)
        )
        return [
            {
                "slug": row.slug,
                **{name: getattr(row, name) for name in self.fields},
                "user": email,
                **times_of(row),
            }
            for row, email in rows
        ]


SECTION = Instructors()
