"""``categories``: by slug, each with exactly the products the file gives it.

The site's default category (slug ``all``) is every site's from its creation: an entry with that
slug updates it (its products, and its name or description if given) and never makes another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.categories.repository import DEFAULT_SLUG
from syllabus.kit.schemas import LongText
from syllabus.kit.validation import Required
from syllabus.models import Collection, collection_memberships
from syllabus.seed.loader import (
    Load,
    NaturalKey,
    Problem,
    Section,
    Slug,
    Stamped,
    repeated,
    times_of,
)
from syllabus.seed.sections.courses import (
    PRODUCTS,
    product_id,
    product_reference,
    product_slugs,
    productless,
)

PRODUCT_LIST = product_reference("products")


class CategorySpec(Stamped):
    slug: Slug
    # Required for a new category (check_site): the default one keeps its name unless given.
    name: Required | None = None
    description: LongText | None = None
    products: list[Slug] = []


class Categories(Section[CategorySpec]):
    key = "categories"
    spec = CategorySpec
    natural = NaturalKey("slug", Collection.slug, "category with slug")
    references = (PRODUCT_LIST,)
    after = PRODUCTS
    fields = ("name", "description")

    def check(self, entries: Sequence[CategorySpec]) -> Iterator[Problem]:
        for index, category in enumerate(entries):
            if "name" in category.model_fields_set and category.name is None:
                yield Problem(index, "can't be blank", ("name",))
            yield from repeated(index, "products", category.products)

    def check_site(self, entries: Sequence[CategorySpec], load: Load) -> Iterator[Problem]:
        for index, category in enumerate(entries):
            if category.name is None and load.rows[self.key].get(category.slug) is None:
                yield Problem(index, "is required for a new category", ("name",))
        yield from productless(load, entries, PRODUCT_LIST)

    def new(self, load: Load, spec: CategorySpec) -> Collection:
        # Only a site without its default category (there is none) would get one here.
        return Collection(slug=spec.slug, is_default=spec.slug == DEFAULT_SLUG)

    def upsert(self, load: Load, spec: CategorySpec, row: Collection, creating: bool) -> bool:
        changed = load.save(row, spec.given(self.fields, creating=creating), creating=creating)
        load.session.flush()
        if creating or "products" in spec.model_fields_set:
            ids = [product_id(load, slug) for slug in spec.products]
            column = collection_memberships.c
            linked = load.links(column.collection_id, column.product_id, row.id, ids)
            if linked and not creating:
                row.updated_at = load.now
            changed = linked or changed
        return changed

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        slugs = product_slugs(session, site_id)
        products: defaultdict[int, list[str]] = defaultdict(list)
        for category, product in session.execute(
            select(collection_memberships.c.collection_id, collection_memberships.c.product_id)
            .join(Collection, Collection.id == collection_memberships.c.collection_id)
            .where(Collection.site_id == site_id)
            .order_by(collection_memberships.c.collection_id, collection_memberships.c.product_id)
        ):
            products[category].append(slugs[product])
        return [
            {
                "slug": category.slug,
                "name": category.name,
                "description": category.description,
                "products": products.get(category.id, []),
                **times_of(category),
            }
            for category in session.scalars(
                select(Collection).where(Collection.site_id == site_id).order_by(Collection.id)
            )
        ]


SECTION = Categories()
