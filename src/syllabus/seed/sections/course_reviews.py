"""``course_reviews``: a user's review of a course, by the two together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.course_reviews.schemas import Rating
from syllabus.kit.validation import Email, Required, RequiredLongText
from syllabus.models import Course, CourseReview, User
from syllabus.models.user import email_key
from syllabus.seed.loader import (
    Load,
    Problem,
    Reference,
    Section,
    Slug,
    Stamped,
    times_of,
)


class CourseReviewSpec(Stamped):
    course: Slug
    user: Email
    rating: Rating
    title: Required
    review_text: RequiredLongText
    approved: bool = False


class CourseReviews(Section[CourseReviewSpec]):
    key = "course_reviews"
    spec = CourseReviewSpec
    references = (Reference("course", "courses"), Reference("user", "users"))
    after = ("users", "courses")
    fields = ("rating", "title", "review_text", "approved")

    def key_of(self, spec: CourseReviewSpec) -> tuple[Any, ...]:
        key = (spec.course, email_key(spec.user))
        # An export's entries say when each was made: a user may have reviewed a course twice.
        return key if spec.created_at is None else (*key, spec.created_at)

    def check(self, entries: Sequence[CourseReviewSpec]) -> Iterator[Problem]:
        return self.repeated_keys(
            entries, lambda review: f"{review.user}'s review of {review.course!r}"
        )

    def find(self, load: Load, spec: CourseReviewSpec) -> CourseReview | None:
        # The site may hold several (the API makes as many as it is sent): the first one.
        return load.session.scalars(
            select(CourseReview)
            .where(
                CourseReview.course_id == load.referenced("courses", spec.course).id,
                CourseReview.user_id == load.referenced("users", spec.user).id,
                *(() if spec.created_at is None else (CourseReview.created_at == spec.created_at,)),
            )
            .order_by(CourseReview.id)
        ).first()

    def new(self, load: Load, spec: CourseReviewSpec) -> CourseReview:
        return CourseReview(
            course_id=load.referenced("courses", spec.course).id,
            user_id=load.referenced("users", spec.user).id,
        )

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        rows = session.execute(
            select(CourseReview, Course.slug, User.email)
            .join(Course, Course.id == CourseReview.course_id)
            .join(User, User.id == CourseReview.user_id)
            .where(CourseReview.site_id == site_id)
            .order_by(CourseReview.id)
        )
        return [
            {
                "course": slug,
                "user": email,
                **{name: getattr(row, name) for name in self.fields},
                **times_of(row),
            }
            for row, slug, email in rows
        ]


SECTION = CourseReviews()
