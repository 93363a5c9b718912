"""Bundles: https://developers.thinkific.com/api/api-documentation/#/Bundles"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.bundles.filters import BUNDLE_ENROLLMENT_FILTERS
from syllabus.bundles.schemas import BundleEnrollmentRequest, BundleRead
from syllabus.bundles.service import BundleService
from syllabus.context import ApiDep
from syllabus.courses.schemas import CourseRead
from syllabus.enrollments.schemas import EnrollmentRead
from syllabus.kit.filters import Filters
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/bundles", tags=["Bundles"])


@router.get("/{id}", operation_id="getBundleByID", response_model=BundleRead)
async def get_bundle_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a bundle by its own id (a bundle product's `productable_id`), with its course ids."""
    return await api.read(lambda scope: BundleService(scope).read(id))


@router.get("/{id}/courses", operation_id="getCoursesByBundleID", response_model=Page[CourseRead])
async def get_courses_by_bundle_id(api: ApiDep, id: PathId, page: PageParamsDep) -> Response:
    """List a bundle's courses, in the bundle's order."""
    return await api.read(lambda scope: BundleService(scope).courses_of(id, page))


@router.get(
    "/{id}/enrollments",
    operation_id="getBundleEnrollments",
    response_model=Page[EnrollmentRead],
    openapi_extra=BUNDLE_ENROLLMENT_FILTERS.openapi,
)
async def get_bundle_enrollments(
    api: ApiDep,
    id: PathId,
    page: PageParamsDep,
    filters: Filters = BUNDLE_ENROLLMENT_FILTERS.dependency,
) -> Response:
    """List the enrollments in a bundle's courses, in ascending id order."""
    return await api.read(lambda scope: BundleService(scope).enrollments_of(id, filters, page))


@router.post(
    "/{id}/enrollments",
    operation_id="createEnrollmentInBundle",
    status_code=201,
    response_class=Response,
)
async def create_enrollment_in_bundle(
    api: ApiDep, id: PathId, body: BundleEnrollmentRequest
) -> Response:
    """Enroll a user in every course of a bundle, at once. Answers 201 with no body, as the
    spec documents it; an enrollment the user already has is updated, not duplicated."""
    return await api.write(lambda scope: BundleService(scope).enroll(id, body))


@router.put("/{id}/enrollments", operation_id="updateEnrollmentsInBundle", status_code=204)
async def update_enrollments_in_bundle(
    api: ApiDep, id: PathId, body: BundleEnrollmentRequest
) -> Response:
    """Change a user's enrollments in every course of a bundle. Thinkific answers 204 with no
    body; an `expiry_date` in the past unenrolls the user from the whole bundle."""
    return await api.write(lambda scope: BundleService(scope).update(id, body))
