from __future__ import annotations

from typing import Annotated

from pydantic import Field

from syllabus.kit.schemas import DbInt, RequestSchema, ResponseSchema, Timestamp
from syllabus.kit.validation import Required, RequiredLongText

Rating = Annotated[int, Field(ge=1, le=5, description="Out of 5: an integer from 1 to 5.")]


class CourseReviewRead(ResponseSchema):
    """The spec's CourseReviewResponse, in its order."""

    id: int
    rating: int
    title: str
    review_text: str
    user_id: int
    course_id: int
    approved: bool
    created_at: Timestamp


class CourseReviewCreate(RequestSchema):
    """CreateCourseReviewRequest: every field is required; ``user_id`` is a user of the site.
    The course is ``course_id``, in the query string or in the body."""

    rating: Rating
    title: Required
    review_text: RequiredLongText
    user_id: DbInt
    approved: bool
