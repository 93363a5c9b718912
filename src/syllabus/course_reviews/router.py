"""Course reviews: https://developers.thinkific.com/api/api-documentation/#/Course%20Reviews"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.course_reviews.schemas import CourseReviewCreate, CourseReviewRead
from syllabus.course_reviews.service import CourseReviewService
from syllabus.kit.filters import parse_bool
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/course_reviews", tags=["Course Reviews"])

# Required; it may come in the query string or in the body (both are merged, FIDELITY §4).
CourseId = Annotated[int, Query(description="The course's id, in the query string or in the body.")]
# Read as the boolean `query[...]` filters are: anything but true or false lists every review.
Approved = Annotated[
    str | None,
    Query(
        description="true: only approved reviews; false: only those not approved.",
        json_schema_extra={"x-syllabus-type": "boolean"},
    ),
]


@router.get("", operation_id="getCourseReviews", response_model=Page[CourseReviewRead])
async def get_course_reviews(
    api: ApiDep, course_id: CourseId, page: PageParamsDep, approved: Approved = None
) -> Response:
    """List a course's reviews, in ascending id order."""
    wanted = parse_bool(approved) if approved is not None else None
    return await api.read(lambda scope: CourseReviewService(scope).list(course_id, wanted, page))


@router.post(
    "", operation_id="createCourseReview", status_code=201, response_model=CourseReviewRead
)
async def create_course_review(
    api: ApiDep, course_id: CourseId, body: CourseReviewCreate
) -> Response:
    """Review a course on behalf of a user of the site."""
    return await api.write(lambda scope: CourseReviewService(scope).create(course_id, body))


@router.get("/{id}", operation_id="getCourseReviewByID", response_model=CourseReviewRead)
async def get_course_review_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a course review by id."""
    return await api.read(lambda scope: CourseReviewService(scope).read(id))
