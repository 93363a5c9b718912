from __future__ import annotations

from syllabus.course_reviews.schemas import CourseReviewRead
from syllabus.kit.filters import equal
from syllabus.kit.repository import Repository
from syllabus.kit.wire import JSONObject, Wire
from syllabus.models import CourseReview
from syllabus.pagination import PageParams

COURSE_REVIEW = Wire(CourseReviewRead, CourseReview)
# course_review.created: an internal topic.
COURSE_REVIEW_PAYLOAD = COURSE_REVIEW.alphabetical()


class CourseReviewRepository(Repository[CourseReview]):
    model = CourseReview
    wire = COURSE_REVIEW

    def of_course(self, course_id: int, approved: bool | None, params: PageParams) -> JSONObject:
        """A page of the course's reviews in ascending id order: all of them, or only those
        whose ``approved`` is the one given."""
        criteria = equal("course_id", CourseReview.course_id, course_id)
        if approved is not None:
            criteria.add_equal("approved", CourseReview.approved, approved)
        return self.page(criteria, params)
