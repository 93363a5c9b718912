"""``course_reviews``: a user's review of a course, by the two together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select

from syllabus.course_reviews.schemas import Rating
from syllabus.kit.validation import Email, Required, RequiredLongText
from syllabus.models import CourseReview
from syllabus.models.user import email_key
from syllabus.seed.loader import (
    Load,
    Problem,
    Reference,
    Section,
    Slug,
    Spec,
)


class CourseReviewSpec(Spec):
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

    def key_of(self, spec: CourseReviewSpec) -> tuple[str, str]:
        return spec.course, email_key(spec.user)

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
            )
            .order_by(CourseReview.id)
        ).first()

    def new(self, load: Load, spec: CourseReviewSpec) -> CourseReview:
        return CourseReview(
            course_id=load.referenced("courses", spec.course).id,
            user_id=load.referenced("users", spec.user).id,
        )


SECTION = CourseReviews()
