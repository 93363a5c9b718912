"""``Repository[M]``: the SQL every site-owned table shares, scoped to one site.

Tenancy lives here: every statement a repository builds carries ``site_id = :site``, so another
site's id finds nothing and answers 404 exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select

from syllabus.kit.schemas import INT64_MAX
from syllabus.pagination import PageParams

if TYPE_CHECKING:
    from syllabus.context import Scope

M = TypeVar("M", bound=Any)


class Repository(Generic[M]):
    model: ClassVar[type[Any]]

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.session = scope.session
        self.site_id = scope.site.id

    def scoped(self) -> ColumnElement[bool]:
        return self.model.site_id == self.site_id  # type: ignore[no-any-return]

    def select(self) -> Select[tuple[M]]:
        """The base statement; resources add the eager loads their responses need."""
        return select(self.model).where(self.scoped())

    def get(self, id: int) -> M | None:
        if not -INT64_MAX <= id <= INT64_MAX:
            return None
        return self.session.scalars(self.select().where(self.model.id == id)).first()

    def find(self, *conditions: ColumnElement[bool]) -> M | None:
        return self.session.scalars(self.select().where(*conditions).limit(1)).first()

    def count(self, *conditions: ColumnElement[bool]) -> int:
        statement = select(func.count()).select_from(self.model).where(self.scoped(), *conditions)
        return int(self.session.scalar(statement) or 0)

    def page(
        self,
        conditions: Sequence[ColumnElement[bool]],
        params: PageParams,
        order_by: Sequence[Any] = (),
    ) -> tuple[Sequence[M], int]:
        """One page (ascending id unless ``order_by`` says otherwise) and the total.

        The page's ids are chosen first and only those rows are loaded with their eager joins:
        with the joins in the same statement, PostgreSQL joins every row OFFSET skips (page 3,600
        of a 90k-row list went from 250 ms to 40 ms).
        """
        total = self.count(*conditions)
        if params.offset >= total:
            return [], total
        window = (
            select(self.model.id)
            .where(self.scoped(), *conditions)
            .order_by(*order_by, self.model.id)
            .limit(params.limit)
            .offset(params.offset)
        )
        statement = (
            self.select().where(self.model.id.in_(window)).order_by(*order_by, self.model.id)
        )
        return self.session.scalars(statement).unique().all(), total

    def add(self, obj: M) -> M:
        obj.site_id = self.site_id
        if getattr(obj, "created_at", None) is None:
            obj.created_at = self.scope.now
        if getattr(obj, "updated_at", None) is None:
            obj.updated_at = self.scope.now
        self.session.add(obj)
        return obj

    def touch(self, obj: M) -> None:
        obj.updated_at = self.scope.now

    def delete(self, obj: M) -> None:
        self.session.delete(obj)
