from __future__ import annotations

from syllabus.categories.repository import COLLECTION_PAYLOAD, CollectionRepository
from syllabus.collection_memberships.repository import MembershipRepository
from syllabus.context import Scope
from syllabus.errors import Unprocessable
from syllabus.events.recorder import record_read
from syllabus.products.repository import ProductRepository


class MembershipService:
    """Adding is idempotent and removing what is not there is fine; an unknown product (or
    another site's) is a 422 naming it, and then nothing is written. Either records the
    internal ``collection.updated``: the category as it is afterwards (its ``product_ids``)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.categories = CollectionRepository(scope)
        self.products = ProductRepository(scope)
        self.memberships = MembershipRepository(scope)

    def add(self, collection_id: int, product_ids: list[int]) -> None:
        self._check(collection_id, product_ids)
        self.memberships.add(collection_id, product_ids)
        self._record(collection_id)

    def remove(self, collection_id: int, product_ids: list[int]) -> None:
        self._check(collection_id, product_ids)
        self.memberships.remove(collection_id, product_ids)
        self._record(collection_id)

    def _record(self, collection_id: int) -> None:
        record_read(
            self.scope, "collection.updated", self.categories, collection_id, COLLECTION_PAYLOAD
        )

    def _check(self, collection_id: int, product_ids: list[int]) -> None:
        self.categories.require(collection_id)
        existing = self.products.existing(product_ids)
        missing = [f"product {id} does not exist" for id in product_ids if id not in existing]
        if missing:
            raise Unprocessable({"product_ids": missing})
