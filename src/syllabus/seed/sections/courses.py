"""``courses``: by slug, each with its product, chapters and contents.

And what every product the load writes shares, a course's or a bundle's: its fields, its primary
price, its events, and how the other sections name a product (by its course's or bundle's slug).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

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
    Instructor,
    Product,
    ProductPrice,
    related_products,
)
from syllabus.models.product import payment_type
from syllabus.products.repository import PRODUCT_PAYLOAD, ProductRepository
from syllabus.seed.loader import (
    Load,
    NaturalKey,
    Problem,
    Reference,
    Section,
    Slug,
    Spec,
    Stamped,
    Step,
    Tally,
    times_of,
)
from syllabus.seed.sections.instructors import InstructorSlug


def _content_type(value: str) -> str:
    if value not in CONTENTABLE_TYPES:
        raise ValueError(f"must be one of {', '.join(CONTENTABLE_TYPES)} (got {value!r})")
    return value


ContentType = Annotated[str, AfterValidator(_content_type)]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


# The sections whose entries are sold as products, in the order a slug naming both finds them.
PRODUCTS = ("courses", "bundles")


def product_reference(field: str) -> Reference:
    """An entry's ``field`` names products by their course's or bundle's slug."""
    return Reference(field, *PRODUCTS, described="course or bundle with slug")


RELATED = product_reference("related")


class ContentSpec(Spec):
    name: Required
    type: ContentType = "Lesson"
    free: bool = False


class ChapterSpec(Spec):
    name: Required
    description: LongText | None = None
    duration_in_seconds: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    contents: list[ContentSpec] = []


class ProductSpec(Stamped):
    """The fields of the product that a course or a bundle is sold as. Its times are the
    course's or the bundle's (``Stamped``)."""

    price: Price = Decimal("0")
    status: Literal["published", "draft"] = "published"
    private: bool = False
    hidden: bool = False
    subscription: bool = False
    days_until_expiry: Annotated[int, Field(ge=1, le=36_500)] | None = None
    has_certificate: bool = False
    # Where the product lists among the site's: after every product, unless given.
    position: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    # Where the product comes among the products the file makes, which are made in this
    # order (an export gives it: the order the site made them in, which its lists follow).
    sequence: Annotated[int, Field(ge=0)] | None = None
    # Its related products (`related_product_ids`), by their course's or bundle's slug.
    related: list[Slug] = []


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
    references = (Reference("instructor", "instructors"), RELATED)
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

    def steps(self) -> tuple[Step, ...]:
        # Related products may be bundles: a second pass, once bundles are written.
        return (*super().steps(), Step(self.relate, after=("bundles",)))

    def write(self, load: Load, entries: Sequence[CourseSpec]) -> None:
        reserve_products(load, entries)
        super().write(load, entries)

    def relate(self, load: Load, entries: Sequence[CourseSpec]) -> None:
        relate(load, entries, self.tally(load))

    def check_site(self, entries: Sequence[CourseSpec], load: Load) -> Iterator[Problem]:
        yield from shared_slugs(load, entries, "bundles", "bundle")
        yield from productless(load, entries, RELATED)

    def stamped(self, load: Load, spec: CourseSpec) -> list[Any]:
        course: Course | None = self.find(load, spec)
        return [] if course is None else [course, *product_rows(load, course)]

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        instructors = dict(
            session.execute(
                select(Instructor.id, Instructor.slug).where(Instructor.site_id == site_id)
            ).all()
        )
        contents: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
        for content in session.scalars(
            select(Content)
            .where(Content.site_id == site_id)
            .order_by(Content.chapter_id, Content.position, Content.id)
        ):
            contents[content.chapter_id].append(
                {"name": content.name, "type": content.contentable_type, "free": content.free}
            )
        chapters: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
        for chapter in session.scalars(
            select(Chapter)
            .where(Chapter.site_id == site_id)
            .order_by(Chapter.course_id, Chapter.position, Chapter.id)
        ):
            chapters[chapter.course_id].append(
                {
                    "name": chapter.name,
                    "description": chapter.description,
                    "duration_in_seconds": chapter.duration_in_seconds,
                    "contents": contents.get(chapter.id, []),
                }
            )
        sold = product_entries(session, site_id)
        entries = []
        for course in session.scalars(
            select(Course).where(Course.site_id == site_id).order_by(Course.id)
        ):
            entry: dict[str, Any] = {"slug": course.slug}
            entry.update({name: getattr(course, name) for name in self.fields})
            entry["instructor"] = instructors.get(course.instructor_id or 0)
            entry.update(sold.get(course.product_id or 0, {}))
            if course.id in chapters:
                entry["chapters"] = chapters[course.id]
            entries.append({**entry, **times_of(course)})
        return entries

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


def product_slugs(session: Session, site_id: int) -> dict[int, str]:
    """The slug that names each product of the site: its course's or its bundle's."""
    slugs: dict[int, str] = {}
    for owner in (Bundle, Course):  # a course wins a slug, as references find it
        for product, slug in session.execute(
            select(owner.product_id, owner.slug).where(
                owner.site_id == site_id, owner.product_id.is_not(None)
            )
        ):
            if product is not None:
                slugs[product] = slug
    return slugs


def product_entries(session: Session, site_id: int) -> dict[int, dict[str, Any]]:
    """Each product of the site as the product fields of its course's or bundle's entry."""
    slugs = product_slugs(session, site_id)
    related: defaultdict[int, list[str]] = defaultdict(list)
    for product, other in session.execute(
        select(related_products.c.product_id, related_products.c.related_product_id)
        .join(Product, Product.id == related_products.c.product_id)
        .where(Product.site_id == site_id)
        .order_by(related_products.c.product_id, related_products.c.related_product_id)
    ):
        related[product].append(slugs[other])
    products = session.scalars(
        select(Product).where(Product.site_id == site_id).order_by(Product.id)
    )
    return {
        product.id: {
            **{name: getattr(product, name) for name in PRODUCT_FIELDS},
            "position": product.position,
            "sequence": sequence,
            "related": related.get(product.id, []),
        }
        for sequence, product in enumerate(products)
    }


def product_rows(load: Load, owner: Course | Bundle) -> list[Any]:
    """The rows that are a course's or a bundle's product: the product and its primary price."""
    if owner.product_id is None:
        return []
    product = load.session.get(Product, owner.product_id)
    prices = load.session.scalars(
        select(ProductPrice).where(
            ProductPrice.product_id == owner.product_id, ProductPrice.is_primary
        )
    )
    return [product, *prices]


def relate(load: Load, entries: Sequence[Any], tally: Tally) -> None:
    """Make each entry's product related to exactly the products its ``related`` names (when
    the entry gives them), once every product is written."""
    column = related_products.c
    for spec in entries:
        if "related" not in spec.model_fields_set:
            continue
        ids = sorted({product_id(load, slug) for slug in spec.related})
        owner = product_id(load, spec.slug)
        if load.links(column.product_id, column.related_product_id, owner, ids):
            tally.mark(spec.slug, changed=True)


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


def reserve_products(load: Load, entries: Sequence[CourseSpec]) -> None:
    """Make the products of the file's new courses and bundles that give their ``sequence``
    first, in that order, so that they list in that order whichever section writes them (a
    site may have sold a bundle before some of its courses). Each entry's write then takes its
    product (``write_product``)."""
    reserved = load.rows.setdefault(RESERVED, {})
    placed = [
        (spec.sequence, kind, spec)
        for kind, specs in (("Course", entries), ("Bundle", load.content["bundles"]))
        for spec in specs
        if spec.sequence is not None and load.named([f"{kind.lower()}s"], spec.slug) is None
    ]
    for _, kind, spec in sorted(placed, key=lambda place: place[0]):
        product = Product(
            productable_type=kind, name=spec.name, slug=spec.slug, position=spec.position or 0
        )
        load.add(product)
        reserved[kind, spec.slug] = product
    load.session.flush()


# Products made before their course or bundle (``reserve_products``), in ``Load.rows``.
RESERVED = "reserved products"


def write_product(
    load: Load, owner: Course | Bundle, spec: ProductSpec, mirrored: tuple[str, ...]
) -> Topic | None:
    """Create or update what the site sells as ``owner`` (a course or a bundle, flushed), with
    its primary price: the product's event topic, or None when nothing changed."""
    product = None if owner.product_id is None else load.session.get(Product, owner.product_id)
    creating = product is None
    if product is None:
        product = load.rows.get(RESERVED, {}).pop((type(owner).__name__, owner.slug), None)
    if product is None:
        # After every product of the site, those this load created included.
        position = load.session.scalar(
            select(func.count()).select_from(Product).where(Product.site_id == load.site.id)
        )
        product = Product(productable_type=type(owner).__name__, position=position or 0)
    values = spec.given(PRODUCT_FIELDS, creating=creating)
    if spec.position is not None:
        values["position"] = spec.position
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
