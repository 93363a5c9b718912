"""``courses``: by slug, each with its product, chapters and contents."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from sqlalchemy import delete, func, select

from syllabus.kit.schemas import LongText, Text, Url
from syllabus.kit.validation import Required
from syllabus.models import CONTENTABLE_TYPES, Chapter, Content, Course, Product
from syllabus.seed.loader import Load, NaturalKey, Reference, Section, Slug, Spec


def _content_type(value: str) -> str:
    if value not in CONTENTABLE_TYPES:
        raise ValueError(f"must be one of {', '.join(CONTENTABLE_TYPES)} (got {value!r})")
    return value


ContentType = Annotated[str, AfterValidator(_content_type)]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class ContentSpec(Spec):
    name: Required
    type: ContentType = "Lesson"
    free: bool = False


class ChapterSpec(Spec):
    name: Required
    description: LongText | None = None
    duration_in_seconds: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    contents: list[ContentSpec] = []


class CourseSpec(Spec):
    slug: Slug
    name: Required
    subtitle: Text | None = None
    description: LongText | None = None
    course_card_text: LongText | None = None
    intro_video_youtube: Text | None = None
    contact_information: Annotated[str, Field(max_length=1024)] | None = None
    keywords: Annotated[str, Field(max_length=1024)] | None = None
    duration: Annotated[str, Field(max_length=64)] | None = None
    banner_image_url: Url | None = None
    course_card_image_url: Url | None = None
    reviews_enabled: bool = False
    instructor: Slug | None = None
    # The course's product.
    price: Price = Decimal("0")
    status: Literal["published", "draft"] = "published"
    private: bool = False
    hidden: bool = False
    subscription: bool = False
    days_until_expiry: Annotated[int, Field(ge=1, le=36_500)] | None = None
    has_certificate: bool = False
    chapters: list[ChapterSpec] | None = None


PRODUCT_FIELDS = (
    "price",
    "status",
    "private",
    "hidden",
    "subscription",
    "days_until_expiry",
    "has_certificate",
)
# Course fields the product mirrors: it is what the site sells under the course's name.
MIRRORED = ("name", "slug", "description", "keywords")


class Courses(Section[CourseSpec]):
    key = "courses"
    spec = CourseSpec
    natural = NaturalKey("slug", Course.slug, "course with slug")
    references = (Reference("instructor", "instructors"),)
    after = ("instructors",)
    fields = (
        "name",
        "subtitle",
        "description",
        "course_card_text",
        "intro_video_youtube",
        "contact_information",
        "keywords",
        "duration",
        "banner_image_url",
        "course_card_image_url",
        "reviews_enabled",
    )
    tallies = ("courses", "chapters", "contents")

    def new(self, load: Load, spec: CourseSpec) -> Course:
        return Course(slug=spec.slug)

    def upsert(self, load: Load, spec: CourseSpec, row: Course, creating: bool) -> bool:
        values = spec.given(self.fields, creating=creating)
        if creating or "instructor" in spec.model_fields_set:
            instructor = (
                load.referenced("instructors", spec.instructor) if spec.instructor else None
            )
            values["instructor_id"] = instructor.id if instructor else None
        changed = load.save(row, values, creating=creating)
        load.session.flush()
        changed = _product(load, row, spec) or changed
        if spec.chapters is not None:
            changed = _chapters(load, row, spec.chapters) or changed
        if changed and not creating:
            row.updated_at = load.now
        return changed


def _product(load: Load, course: Course, spec: CourseSpec) -> bool:
    """Create or update the course's product: what the site sells."""
    product = None if course.product_id is None else load.session.get(Product, course.product_id)
    creating = product is None
    if product is None:
        # After every product of the site, those this load created included.
        position = load.session.scalar(
            select(func.count()).select_from(Product).where(Product.site_id == load.site.id)
        )
        product = Product(productable_type="Course", position=position or 0)
    values = spec.given(PRODUCT_FIELDS, creating=creating)
    values["productable_id"] = course.id
    values.update({name: getattr(course, name) for name in MIRRORED})
    changed = load.save(product, values, creating=creating)
    if creating:
        load.session.flush()
        course.product_id = product.id
    return changed or creating


def _chapters(load: Load, course: Course, specs: list[ChapterSpec]) -> bool:
    """Make the course's chapters exactly ``specs``, matching stored ones by name in order."""

    def write(chapter: Chapter, position: int, spec: ChapterSpec, creating: bool) -> bool:
        values: dict[str, Any] = {"name": spec.name, "position": position}
        values.update(spec.given(("description", "duration_in_seconds"), creating=creating))
        changed = load.save(chapter, values, creating=creating)
        load.session.flush()
        return _contents(load, course, chapter, spec.contents) or changed

    def discard(ids: list[int]) -> None:
        load.session.execute(delete(Content).where(Content.chapter_id.in_(ids)))

    return load.children(
        "chapters",
        Chapter.course_id,
        course.id,
        specs,
        write,
        key=lambda position: (course.slug, position),
        before_delete=discard,
    )


def _contents(load: Load, course: Course, chapter: Chapter, specs: list[ContentSpec]) -> bool:
    def write(content: Content, position: int, spec: ContentSpec, creating: bool) -> bool:
        values: dict[str, Any] = {
            "course_id": course.id,
            "name": spec.name,
            "position": position,
            "contentable_type": spec.type,
            "free": spec.free,
        }
        if not creating and "type" not in spec.model_fields_set:
            del values["contentable_type"]
        if not creating and "free" not in spec.model_fields_set:
            del values["free"]
        return load.save(content, values, creating=creating)

    return load.children(
        "contents",
        Content.chapter_id,
        chapter.id,
        specs,
        write,
        key=lambda position: (chapter.id, position),
    )


SECTION = Courses()
