"""Enrollments: https://developers.thinkific.com/api/api-documentation/#/Enrollments"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.enrollments.filters import ENROLLMENT_FILTERS
from syllabus.enrollments.schemas import EnrollmentCreate, EnrollmentRead, EnrollmentUpdate
from syllabus.enrollments.service import EnrollmentService
from syllabus.kit.filters import Filters
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/enrollments", tags=["Enrollments"])


@router.get(
    "",
    operation_id="getEnrollments",
    response_model=Page[EnrollmentRead],
    openapi_extra=ENROLLMENT_FILTERS.openapi,
)
async def get_enrollments(
    api: ApiDep, page: PageParamsDep, filters: Filters = ENROLLMENT_FILTERS.dependency
) -> Response:
    """List enrollments, in ascending id order. Expired enrollments are included."""
    return await api.read(lambda scope: EnrollmentService(scope).list(filters, page))


@router.post("", operation_id="createEnrollment", status_code=201, response_model=EnrollmentRead)
async def create_enrollment(api: ApiDep, body: EnrollmentCreate) -> Response:
    """Enroll a user in a course: a free trial unless `activated_at` is given."""
    return await api.write(lambda scope: EnrollmentService(scope).create(body))


@router.get("/{id}", operation_id="getEnrollmentsByID", response_model=EnrollmentRead)
async def get_enrollment_by_id(api: ApiDep, id: PathId) -> Response:
    """Get an enrollment by id."""
    return await api.read(lambda scope: EnrollmentService(scope).read(id))


@router.put("/{id}", operation_id="updateEnrollment", status_code=204)
async def update_enrollment(api: ApiDep, id: PathId, body: EnrollmentUpdate) -> Response:
    """Change an enrollment's activation or expiry. Thinkific answers 204 with no body.

    There is no DELETE: clients unenroll by setting `expiry_date` in the past.
    """
    return await api.write(lambda scope: EnrollmentService(scope).update(id, body))
