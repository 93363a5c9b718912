"""The category-product join table: no ORM rows, no wire; prebuilt statements only."""

from __future__ import annotations

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite

from syllabus.context import Scope
from syllabus.models import collection_memberships

# Adding a membership that exists (or that a concurrent request just added) is no change.
_ADD = {
    "postgresql": postgresql.insert(collection_memberships).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(collection_memberships).on_conflict_do_nothing(),
}
_REMOVE = delete(collection_memberships).where(
    collection_memberships.c.collection_id == bindparam("collection_id"),
    collection_memberships.c.product_id.in_(bindparam("ids", expanding=True)),
)


class MembershipRepository:
    """Memberships of the site's categories: callers check that both sides are the site's."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def add(self, collection_id: int, product_ids: list[int]) -> None:
        connection = self.scope.connection
        rows = [{"collection_id": collection_id, "product_id": id} for id in product_ids]
        connection.execute(_ADD[connection.dialect.name], rows)

    def remove(self, collection_id: int, product_ids: list[int]) -> None:
        values = {"collection_id": collection_id, "ids": product_ids}
        self.scope.connection.execute(_REMOVE, values)
