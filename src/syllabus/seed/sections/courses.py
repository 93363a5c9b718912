"""``courses``: by slug, each with its product, chapters and contents.

And what every product the load writes shares, a course's or a bundle's: its fields, its primary
price, its events, and how the other sections name a product (by its course's or bundle's slug).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from sqlalchemy import delete, func, select

from syllabus.courses.repository import COURSE_PAYLOAD, CourseRepository
from syllabus.errors import found
from syllabus.events.recorder import record
from syllabus.events.topics import Topic
from syllabus.kit.schemas import LongText, Text, Url
from syllabus.kit.validation import Required
from syllabus.models import (
    CONTENTABLE_TYPES,
    Bundle,
    Chapter,
    Content,
    Course,
    Product,
    ProductPrice,
)
from syllabus.models.product import payment_type
from syllabus.products.repository import PRODUCT_PAYLOAD, ProductRepository
from syllabus.seed.loader import Load, NaturalKey, Problem, Reference, Section, Slug, Spec
from syllabus.seed.sections.instructors import InstructorSlug


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


class ProductSpec(Spec):
    """The fields of the product that a course or a bundle is sold as."""

    price: Price = Decimal("0")
    status: Literal["published", "draft"] = "published"
    private: bool = False
    hidden: bool = False
    subscription: bool = False
    days_until_expiry: Annotated[int, Field(ge=1, le=36_500)] | None = None
    has_certificate: bool = False


class CourseSpec(ProductSpec):
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
    instructor: InstructorSlug | None = None
    chapters: list[ChapterSpec] | None = None


PRODUCT_FIELDS = tuple(ProductSpec.model_fields)
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

    def check_site(self, entries: Sequence[CourseSpec], load: Load) -> Iterator[Problem]:
        return shared_slugs(load, entries, "bundles", "bundle")

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
        topic = write_product(load, row, spec, MIRRORED)
        if spec.chapters is not None:
            changed = _chapters(load, row, spec.chapters) or changed
        changed = settle(load, row, creating, changed, topic)
        if creating or changed:
            load.session.flush()
            course = CourseRepository(load.scope).read(row.id, COURSE_PAYLOAD)
            record(load.scope, "course.created" if creating else "course.updated", found(course))
        return changed


# --- products: what the site sells, a course's or a bundle's --------------------------------

# The sections whose entries are sold as products, in the order a slug naming both finds them.
PRODUCTS = ("courses", "bundles")


def product_reference(field: str) -> Reference:
    """An entry's ``field`` names products by their course's or bundle's slug."""
    return Reference(field, *PRODUCTS, described="course or bundle with slug")


def stored_product_id(load: Load, slug: str) -> int | None:
    """The id of the product ``slug`` names, if it has one: before the writes, the site's."""
    owner: Course | Bundle | None = load.named(PRODUCTS, slug)
    return None if owner is None else owner.product_id


def product_id(load: Load, slug: str) -> int:
    """The id of the product a checked reference names, once the courses and bundles are
    written."""
    sold = stored_product_id(load, slug)
    assert sold is not None, slug
    return sold


def productless(load: Load, entries: Sequence[Spec], reference: Reference) -> Iterator[Problem]:
    """Where ``reference`` names a course or bundle of the site that is sold as no product (and
    that the file does not declare, which would give it one)."""
    declared = {entry.slug for key in PRODUCTS for entry in load.content[key]}
    for index, entry in enumerate(entries):
        for at, slug in reference.values(entry):
            if (
                slug not in declared
                and load.named(PRODUCTS, slug)
                and not stored_product_id(load, slug)
            ):
                yield Problem(index, f"{slug!r} is sold as no product", at)


def shared_slugs(load: Load, entries: Sequence[Any], other: str, kind: str) -> Iterator[Problem]:
    """Entries whose slug is also one of section ``other``'s, in the file or the site: a
    product's slug names one product."""
    slugs = [entry.slug for entry in entries]
    taken = load.in_site(other, slugs) | {entry.slug for entry in load.content[other]}
    for index, slug in enumerate(slugs):
        if slug in taken:
            yield Problem(index, f"{slug!r} is a {kind}'s slug too", ("slug",))


def write_product(
    load: Load, owner: Course | Bundle, spec: ProductSpec, mirrored: tuple[str, ...]
) -> Topic | None:
    """Create or update what the site sells as ``owner`` (a course or a bundle, flushed), with
    its primary price: the product's event topic, or None when nothing changed."""
    product = None if owner.product_id is None else load.session.get(Product, owner.product_id)
    creating = product is None
    if product is None:
        # After every product of the site, those this load created included.
        position = load.session.scalar(
            select(func.count()).select_from(Product).where(Product.site_id == load.site.id)
        )
        product = Product(productable_type=type(owner).__name__, position=position or 0)
    values = spec.given(PRODUCT_FIELDS, creating=creating)
    values["productable_id"] = owner.id
    values.update({name: getattr(owner, name) for name in mirrored})
    changed = load.save(product, values, creating=creating)
    if creating:
        load.session.flush()
        owner.product_id = product.id
    if creating:
        _primary_price(load, product)
        return "product.created"
    if _primary_price(load, product):
        product.updated_at = load.now
        changed = True
    return "product.updated" if changed else None


def _primary_price(load: Load, product: Product) -> bool:
    """Keep the product's primary price in step with its price; make it if there is none."""
    price = load.session.scalars(
        select(ProductPrice)
        .where(ProductPrice.product_id == product.id, ProductPrice.is_primary)
        .order_by(ProductPrice.id)
    ).first()
    creating = price is None
    if price is None:
        price = ProductPrice(product_id=product.id, is_primary=True, currency="usd")
    values = {"price": product.price, "payment_type": payment_type(product.price)}
    return load.save(price, values, creating=creating)


def settle(
    load: Load, owner: Course | Bundle, creating: bool, changed: bool, topic: Topic | None
) -> bool:
    """Finish writing a course or a bundle whose own rows ``changed``: touch it if it or its
    product changed, then record the product's event (``topic``) with the product as it now is.
    Say whether a stored course or bundle changed."""
    changed = changed or topic is not None
    if changed and not creating:
        owner.updated_at = load.now
    if topic is not None:
        assert owner.product_id is not None
        load.session.flush()
        payload = ProductRepository(load.scope).read(owner.product_id, PRODUCT_PAYLOAD)
        record(load.scope, topic, found(payload))
    return changed


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
