"""Instructors: https://developers.thinkific.com/api/api-documentation/#/Instructors"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.instructors.schemas import InstructorCreate, InstructorRead, InstructorUpdate
from syllabus.instructors.service import InstructorService
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/instructors", tags=["Instructors"])


@router.get("", operation_id="getInstructors", response_model=Page[InstructorRead])
async def get_instructors(api: ApiDep, page: PageParamsDep) -> Response:
    """List instructors, in ascending id order."""
    return await api.read(lambda scope: InstructorService(scope).list(page))


@router.post("", operation_id="createInstructor", status_code=201, response_model=InstructorRead)
async def create_instructor(api: ApiDep, body: InstructorCreate) -> Response:
    """Create an instructor. `first_name` and `last_name` are required; the spec's required
    `slug` is not (FIDELITY §9.2 #19): without one, it is made from the name."""
    return await api.write(lambda scope: InstructorService(scope).create(body))


@router.get("/{id}", operation_id="getInstructorByID", response_model=InstructorRead)
async def get_instructor_by_id(api: ApiDep, id: PathId) -> Response:
    """Get an instructor by id."""
    return await api.read(lambda scope: InstructorService(scope).read(id))


@router.put("/{id}", operation_id="updateInstructor", status_code=204)
async def update_instructor(api: ApiDep, id: PathId, body: InstructorUpdate) -> Response:
    """Update an instructor: only the keys given change. Thinkific answers 204 with no body."""
    return await api.write(lambda scope: InstructorService(scope).update(id, body))


@router.delete("/{id}", operation_id="deleteInstructorByID", status_code=204)
async def delete_instructor_by_id(api: ApiDep, id: PathId) -> Response:
    """Delete an instructor; one that is still a course's instructor is a 422 naming the
    courses."""
    return await api.write(lambda scope: InstructorService(scope).delete(id))
