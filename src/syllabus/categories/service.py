from __future__ import annotations

from syllabus.categories.repository import COLLECTION_PAYLOAD, CollectionRepository
from syllabus.categories.schemas import CollectionCreate, CollectionUpdate
from syllabus.context import Scope
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import read_recorded, record_read
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.models import Collection
from syllabus.pagination import PageParams
from syllabus.products.repository import ProductRepository

TAKEN = "has already been taken"
BLANK = "can't be blank"
DEFAULT_KEPT = "The default category cannot be deleted."


def _slug_taken() -> Unprocessable:
    return Unprocessable.field("slug", TAKEN)


class CategoryService:
    """Categories. No Thinkific webhook topic covers them: every write records an internal
    ``collection.*`` event, the category with alphabetical keys."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.categories = CollectionRepository(scope)
        self.products = ProductRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.categories.page(Criteria(), params)

    def read(self, id: int) -> JSONObject:
        return found(self.categories.read(id))

    def products_of(self, id: int, params: PageParams) -> JSONObject:
        """The category's products; a missing category is a 404, not an empty page."""
        self.categories.require(id)
        return self.products.in_collection(id, params)

    def create(self, data: CollectionCreate) -> JSONObject:
        self._check_slug(data.slug, None)
        category = self.categories.add(
            Collection(
                name=data.name, description=data.description, slug=data.slug, is_default=False
            )
        )
        self.categories.flush(on_conflict=_slug_taken())
        return read_recorded(
            self.scope, "collection.created", self.categories, category.id, COLLECTION_PAYLOAD
        )

    def update(self, id: int, data: CollectionUpdate) -> None:
        category = found(self.categories.get(id))
        changes = data.model_dump(exclude_unset=True)
        blank = {name: [BLANK] for name, value in changes.items() if value is None}
        if blank:
            raise Unprocessable(blank)
        if "slug" in changes:
            self._check_slug(changes["slug"], category.id)
        for name, value in changes.items():
            setattr(category, name, value)
        self.categories.touch(category)
        self.categories.flush(on_conflict=_slug_taken())
        record_read(
            self.scope, "collection.updated", self.categories, category.id, COLLECTION_PAYLOAD
        )

    def delete(self, id: int) -> None:
        """Delete a category and its memberships (its products stay). The default one stays."""
        category = found(self.categories.get(id))
        if category.is_default:
            raise Unprocessable.field("base", DEFAULT_KEPT)
        record_read(
            self.scope, "collection.deleted", self.categories, category.id, COLLECTION_PAYLOAD
        )
        self.categories.delete(category)
        self.categories.flush()

    def _check_slug(self, slug: str, own_id: int | None) -> None:
        other = self.categories.id_by_slug(slug)
        if other is not None and other != own_id:
            raise _slug_taken()
