from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select

from syllabus.categories.schemas import CollectionRead
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Children, Wire
from syllabus.models import Collection, Product, collection_memberships
from syllabus.models.base import stamp

DEFAULT_NAME = "All Courses"
DEFAULT_SLUG = "all"

_PRODUCT_IDS = Children.linked(
    collection_memberships.c.collection_id, collection_memberships.c.product_id, Product
)
COLLECTION = Wire(CollectionRead, Collection, children={"product_ids": _PRODUCT_IDS})
# collection.created, .updated (also by its memberships) and .deleted: internal topics.
COLLECTION_PAYLOAD = COLLECTION.alphabetical()

_ID_BY_SLUG = select(Collection.id).where(
    Collection.site_id == bindparam("site_id"), Collection.slug == bindparam("slug")
)


def default_category(site_id: int, now: datetime) -> Collection:
    """A site's default category ("All Courses", slug ``all``): every site has one, from its
    creation and again after a reset, and it cannot be deleted."""
    row = Collection(name=DEFAULT_NAME, description=None, slug=DEFAULT_SLUG, is_default=True)
    stamp(row, site_id, now)
    return row


class CollectionRepository(Repository[Collection]):
    model = Collection
    wire = COLLECTION

    def id_by_slug(self, slug: str) -> int | None:
        found: int | None = self.value(_ID_BY_SLUG, slug=slug)
        return found
