"""``bundles``: by slug, each with its courses (in order) and its product."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.kit.schemas import LongText, Text, Url
from syllabus.kit.validation import Required
from syllabus.models import Bundle, Course, bundle_courses
from syllabus.seed.loader import (
    Load,
    NaturalKey,
    Problem,
    Reference,
    Section,
    Slug,
    Step,
    repeated,
    times_of,
)
from syllabus.seed.sections.courses import (
    RELATED,
    ProductSpec,
    product_entries,
    product_rows,
    productless,
    relate,
    settle,
    shared_slugs,
    write_product,
)

# Bundle fields the product mirrors: it is what the site sells under the bundle's name.
MIRRORED = ("name", "slug", "description")


class BundleSpec(ProductSpec):
    slug: Slug
    name: Required
    description: LongText | None = None
    tagline: Text | None = None
    banner_image_url: Url | None = None
    bundle_card_image_url: Url | None = None
    courses: list[Slug] = []


class Bundles(Section[BundleSpec]):
    key = "bundles"
    spec = BundleSpec
    natural = NaturalKey("slug", Bundle.slug, "bundle with slug")
    references = (Reference("courses", "courses"), RELATED)
    after = ("courses",)
    fields = ("name", "description", "tagline", "banner_image_url", "bundle_card_image_url")

    def steps(self) -> tuple[Step, ...]:
        return (*super().steps(), Step(self.relate))

    def relate(self, load: Load, entries: Sequence[BundleSpec]) -> None:
        relate(load, entries, self.tally(load))

    def check(self, entries: Sequence[BundleSpec]) -> Iterator[Problem]:
        for index, bundle in enumerate(entries):
            yield from repeated(index, "courses", bundle.courses)

    def check_site(self, entries: Sequence[BundleSpec], load: Load) -> Iterator[Problem]:
        yield from shared_slugs(load, entries, "courses", "course")
        yield from productless(load, entries, RELATED)

    def new(self, load: Load, spec: BundleSpec) -> Bundle:
        return Bundle(slug=spec.slug)

    def upsert(self, load: Load, spec: BundleSpec, row: Bundle, creating: bool) -> bool:
        changed = load.save(row, spec.given(self.fields, creating=creating), creating=creating)
        load.session.flush()
        if creating or "courses" in spec.model_fields_set:
            ids = [load.referenced("courses", slug).id for slug in spec.courses]
            column = bundle_courses.c
            linked = load.links(
                column.bundle_id, column.course_id, row.id, ids, position=column.position
            )
            changed = linked or changed
        # Last: the product's event names the instructors of the bundle's courses.
        topic = write_product(load, row, spec, MIRRORED)
        return settle(load, row, creating, changed, topic)

    def stamped(self, load: Load, spec: BundleSpec) -> list[Any]:
        bundle: Bundle | None = self.find(load, spec)
        return [] if bundle is None else [bundle, *product_rows(load, bundle)]

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        courses: defaultdict[int, list[str]] = defaultdict(list)
        for bundle_id, slug in session.execute(
            select(bundle_courses.c.bundle_id, Course.slug)
            .join(Course, Course.id == bundle_courses.c.course_id)
            .where(Course.site_id == site_id)
            .order_by(bundle_courses.c.bundle_id, bundle_courses.c.position)
        ):
            courses[bundle_id].append(slug)
        sold = product_entries(session, site_id)
        return [
            {
                "slug": bundle.slug,
                **{name: getattr(bundle, name) for name in self.fields},
                "courses": courses.get(bundle.id, []),
                **sold.get(bundle.product_id or 0, {}),
                **times_of(bundle),
            }
            for bundle in session.scalars(
                select(Bundle).where(Bundle.site_id == site_id).order_by(Bundle.id)
            )
        ]


SECTION = Bundles()
