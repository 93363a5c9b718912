"""``enrollments``: a user in a course, by the two together, with its progress."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.kit.schemas import InputTimestamp
from syllabus.kit.validation import Email
from syllabus.models import Course, Enrollment, User
from syllabus.models.user import email_key
from syllabus.seed.loader import Load, Problem, Reference, Section, Slug, Stamped, times_of

Fraction = Annotated[float, Field(ge=0, le=1)]


class EnrollmentSpec(Stamped):
    user: Email
    course: Slug
    activated_at: InputTimestamp | None = None
    expiry_date: InputTimestamp | None = None
    started_at: InputTimestamp | None = None
    completed_at: InputTimestamp | None = None
    percentage_completed: Fraction = 0.0
    is_free_trial: bool = False


class Enrollments(Section[EnrollmentSpec]):
    key = "enrollments"
    spec = EnrollmentSpec
    references = (Reference("user", "users"), Reference("course", "courses"))
    after = ("users", "courses")
    fields = (
        "activated_at",
        "expiry_date",
        "started_at",
        "completed_at",
        "percentage_completed",
        "is_free_trial",
    )

    def check(self, entries: Sequence[EnrollmentSpec]) -> Iterator[Problem]:
        pairs: dict[Any, int] = {}
        for index, enrollment in enumerate(entries):
            pair = self.key_of(enrollment)
            if pair in pairs:
                yield Problem(
                    index,
                    f"{enrollment.user} in {enrollment.course!r} is already given by "
                    f"{self.key}[{pairs[pair]}]",
                )
            pairs.setdefault(pair, index)
            if enrollment.is_free_trial and enrollment.activated_at is not None:
                yield Problem(index, "a free trial is not activated; remove it", ("activated_at",))
            if (
                enrollment.completed_at is not None
                and "percentage_completed" in enrollment.model_fields_set
                and enrollment.percentage_completed < 1
            ):
                yield Problem(
                    index,
                    "a completed enrollment has percentage_completed 1.0",
                    ("completed_at",),
                )

    def key_of(self, spec: EnrollmentSpec) -> tuple[str, str]:
        return email_key(spec.user), spec.course

    def find(self, load: Load, spec: EnrollmentSpec) -> Enrollment | None:
        return load.session.scalars(
            select(Enrollment).where(
                Enrollment.user_id == load.referenced("users", spec.user).id,
                Enrollment.course_id == load.referenced("courses", spec.course).id,
            )
        ).first()

    def new(self, load: Load, spec: EnrollmentSpec) -> Enrollment:
        return Enrollment(
            user_id=load.referenced("users", spec.user).id,
            course_id=load.referenced("courses", spec.course).id,
        )

    def upsert(self, load: Load, spec: EnrollmentSpec, row: Enrollment, creating: bool) -> bool:
        values = spec.given(self.fields, creating=creating)
        given = spec.model_fields_set
        current = {name: getattr(row, name) for name in self.fields}
        final = {**current, **values} if not creating else dict(values)
        # Fill in what the file leaves implicit, so that the row is coherent.
        if final["is_free_trial"]:
            if "activated_at" not in given:
                final["activated_at"] = None
        elif final["activated_at"] is None and "activated_at" not in given:
            final["activated_at"] = load.now
        if (
            "completed_at" in given
            and final["completed_at"] is not None
            and "percentage_completed" not in given
        ):
            final["percentage_completed"] = 1.0
        if final["percentage_completed"] >= 1:
            if final["completed_at"] is None:
                final["completed_at"] = load.now
        elif "completed_at" not in given:
            final["completed_at"] = None
        if final["percentage_completed"] > 0 and final["started_at"] is None:
            final["started_at"] = final["activated_at"] or load.now
        return load.save(row, final, creating=creating)

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        rows = session.execute(
            select(Enrollment, User.email, Course.slug)
            .join(User, User.id == Enrollment.user_id)
            .join(Course, Course.id == Enrollment.course_id)
            .where(Enrollment.site_id == site_id)
            .order_by(Enrollment.id)
        )
        return [
            {
                "user": email,
                "course": slug,
                **{name: getattr(row, name) for name in self.fields},
                **times_of(row),
            }
            for row, email, slug in rows
        ]


SECTION = Enrollments()
