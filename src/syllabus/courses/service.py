from __future__ import annotations

from collections.abc import Sequence

from syllabus.chapters.repository import ChapterRepository
from syllabus.chapters.schemas import ChapterRead
from syllabus.chapters.service import chapter_service
from syllabus.context import Scope
from syllabus.courses.repository import CourseRepository, CourseRow
from syllabus.courses.schemas import CourseRead
from syllabus.errors import found
from syllabus.models import Course
from syllabus.pagination import Page, PageParams, build_page


class CourseService:
    def reads(self, scope: Scope, courses: Sequence[CourseRow]) -> list[CourseRead]:
        ids = [course.id for course in courses]
        administrators = CourseRepository(scope).administrator_user_ids(ids)
        chapter_ids = ChapterRepository(scope).ids_by_course(ids)
        return [
            CourseRead(
                id=course.id,
                name=course.name,
                slug=course.slug,
                subtitle=course.subtitle,
                product_id=course.product_id,
                description=course.description,
                course_card_text=course.course_card_text,
                intro_video_youtube=course.intro_video_youtube,
                contact_information=course.contact_information,
                keywords=course.keywords,
                duration=course.duration,
                banner_image_url=course.banner_image_url,
                course_card_image_url=course.course_card_image_url,
                intro_video_wistia_identifier=course.intro_video_wistia_identifier,
                administrator_user_ids=administrators.get(course.id, []),
                chapter_ids=chapter_ids.get(course.id, []),
                reviews_enabled=course.reviews_enabled,
                user_id=course.user_id,
                instructor_id=course.instructor_id,
            )
            for course in courses
        ]

    def get(self, scope: Scope, id: int) -> Course:
        return found(CourseRepository(scope).get(id))

    def read(self, scope: Scope, id: int) -> CourseRead:
        return self.reads(scope, [found(CourseRepository(scope).read_row(id))])[0]

    def list(self, scope: Scope, params: PageParams) -> Page[CourseRead]:
        courses, total = CourseRepository(scope).read_page(params)
        return build_page(self.reads(scope, courses), total, params)

    def chapters(self, scope: Scope, id: int, params: PageParams) -> Page[ChapterRead]:
        """The course's chapters; a missing course is a 404, not an empty page."""
        course = self.get(scope, id)
        return chapter_service.list_for_course(scope, course.id, params)


course_service = CourseService()
