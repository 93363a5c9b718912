"""``bundles``: by slug, each with its courses (in order) and its product."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from syllabus.kit.schemas import LongText, Text, Url
from syllabus.kit.validation import Required
from syllabus.models import Bundle, bundle_courses
from syllabus.seed.loader import (
    Load,
    NaturalKey,
    Problem,
    Reference,
    Section,
    Slug,
    repeated,
)
from syllabus.seed.sections.courses import ProductSpec, settle, shared_slugs, write_product

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
    references = (Reference("courses", "courses"),)
    after = ("courses",)
    fields = ("name", "description", "tagline", "banner_image_url", "bundle_card_image_url")

    def check(self, entries: Sequence[BundleSpec]) -> Iterator[Problem]:
        for index, bundle in enumerate(entries):
            yield from repeated(index, "courses", bundle.courses)

    def check_site(self, entries: Sequence[BundleSpec], load: Load) -> Iterator[Problem]:
        return shared_slugs(load, entries, "courses", "course")

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


SECTION = Bundles()
