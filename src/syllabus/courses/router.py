"""Courses: https://developers.thinkific.com/api/api-documentation/#/Courses"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.chapters.schemas import ChapterRead
from syllabus.context import ApiDep
from syllabus.courses.schemas import CourseRead
from syllabus.courses.service import CourseService
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep

router = ResourceRouter(prefix="/courses", tags=["Courses"])


@router.get("", operation_id="getCourses", response_model=Page[CourseRead])
async def get_courses(api: ApiDep, page: PageParamsDep) -> Response:
    """List courses, in ascending id order."""
    return await api.read(lambda scope: CourseService(scope).list(page))


@router.get("/{id}", operation_id="getCourseByID", response_model=CourseRead)
async def get_course_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a course with its chapter ids (in course order) and administrators."""
    return await api.read(lambda scope: CourseService(scope).read(id))


@router.get(
    "/{id}/chapters", operation_id="getChapterOfCourseByID", response_model=Page[ChapterRead]
)
async def get_chapter_of_course_by_id(api: ApiDep, id: PathId, page: PageParamsDep) -> Response:
    """List a course's chapters by position."""
    return await api.read(lambda scope: CourseService(scope).chapters_of(id, page))
