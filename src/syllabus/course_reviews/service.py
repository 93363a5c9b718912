"""Course reviews: a student's rating of a course, shown once approved.

No Thinkific webhook topic covers reviews (FIDELITY §7.1): creating one records an internal
``course_review.created``, the review with alphabetical keys.
"""

from __future__ import annotations

from syllabus.context import Scope
from syllabus.course_reviews.repository import COURSE_REVIEW_PAYLOAD, CourseReviewRepository
from syllabus.course_reviews.schemas import CourseReviewCreate
from syllabus.courses.repository import CourseRepository
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import read_recorded
from syllabus.kit.wire import JSONObject
from syllabus.models import CourseReview
from syllabus.pagination import PageParams
from syllabus.users.repository import UserRepository

MUST_EXIST = "must exist"


def user_missing() -> Unprocessable:
    return Unprocessable.field("user_id", MUST_EXIST)


class CourseReviewService:
    """The reviews of one course of the site: another site's course, or none, is a 404."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.reviews = CourseReviewRepository(scope)
        self.courses = CourseRepository(scope)
        self.users = UserRepository(scope)

    def list(self, course_id: int, approved: bool | None, params: PageParams) -> JSONObject:
        self.courses.require(course_id)
        return self.reviews.of_course(course_id, approved, params)

    def read(self, id: int) -> JSONObject:
        return found(self.reviews.read(id))

    def create(self, course_id: int, data: CourseReviewCreate) -> JSONObject:
        """A review of the course by a user of the site (whether the course has reviews
        enabled or not: that setting is the course page's, not the API's)."""
        self.courses.require(course_id)
        if not self.users.exists(data.user_id):
            raise user_missing()
        review = self.reviews.add(CourseReview(course_id=course_id, **data.model_dump()))
        # A user deleted by a concurrent request after the check: the same 422.
        self.reviews.flush(on_conflict=user_missing())
        return read_recorded(
            self.scope, "course_review.created", self.reviews, review.id, COURSE_REVIEW_PAYLOAD
        )
