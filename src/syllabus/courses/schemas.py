from __future__ import annotations

from syllabus.kit.schemas import ResponseSchema


class CourseRead(ResponseSchema):
    id: int
    name: str
    slug: str
    subtitle: str | None
    product_id: int | None
    description: str | None
    course_card_text: str | None
    intro_video_youtube: str | None
    contact_information: str | None
    keywords: str | None
    duration: str | None
    banner_image_url: str | None
    course_card_image_url: str | None
    intro_video_wistia_identifier: str | None
    administrator_user_ids: list[int]
    chapter_ids: list[int]
    reviews_enabled: bool
    user_id: int | None
    instructor_id: int | None
