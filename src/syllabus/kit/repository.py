"""``Repository[M]``: the SQL every site-owned table shares, scoped to one site.

Tenancy lives here: every statement a repository builds carries ``site_id = :site``, so another
site's id finds nothing and answers 404 exactly like a missing one.

Hot statements are built once and executed with bound parameters (``bindparam``). Building a
``select()`` and computing its cache key costs more than running the query on SQLite (about 100 µs
against 25 µs), so lookups by id and the "ids grouped by parent" queries are module or class
constants rather than built per request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Executable, Integer, Row, Select, bindparam, func, select

from syllabus.kit.filters import Criteria
from syllabus.kit.schemas import INT64_MAX
from syllabus.pagination import PageParams

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from syllabus.context import Scope

M = TypeVar("M", bound=Any)

# Each repository's COUNT and page statements, by (rows statement, filter shape).
_SHAPES: dict[type, dict[Any, tuple[Any, Any]]] = {}
_SHAPE_LIMIT = 256


def site_ids_in(parent: Any) -> ColumnElement[bool]:
    """``parent IN (:ids)``, an expanding parameter for prebuilt grouped-ids statements."""
    return parent.in_(bindparam("ids", expanding=True))  # type: ignore[no-any-return]


def page_of(
    session: Session, model: type[M], conditions: Sequence[ColumnElement[bool]], params: PageParams
) -> tuple[Sequence[M], int]:
    """A page of rows by ascending id and the total, for tables outside one site's scope (the
    control plane's sites and events)."""
    total = int(session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)
    statement = (
        select(model)
        .where(*conditions)
        .order_by(model.id)
        .limit(params.limit)
        .offset(params.offset)
    )
    return session.scalars(statement).all(), total


class Repository(Generic[M]):
    model: ClassVar[type[Any]]
    # Eager loads every response of this resource needs (joinedload for to-one).
    loader_options: ClassVar[tuple[Any, ...]] = ()

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.session = scope.session
        self.site_id = scope.site.id

    def scoped(self) -> ColumnElement[bool]:
        return self.model.site_id == self.site_id  # type: ignore[no-any-return]

    def select(self) -> Select[tuple[M]]:
        """The base statement, with the resource's eager loads."""
        return select(self.model).options(*self.loader_options).where(self.scoped())

    @classmethod
    def _by_id(cls) -> Select[tuple[M]]:
        statement: Select[tuple[M]] | None = cls.__dict__.get("_by_id_statement")
        if statement is None:
            statement = (
                select(cls.model)
                .options(*cls.loader_options)
                .where(cls.model.site_id == bindparam("site_id"), cls.model.id == bindparam("id"))
            )
            cls._by_id_statement = statement  # type: ignore[attr-defined]
        return statement

    def get(self, id: int) -> M | None:
        if not -INT64_MAX <= id <= INT64_MAX:
            return None
        return self.session.scalars(self._by_id(), {"site_id": self.site_id, "id": id}).first()

    def grouped(self, statement: Executable, ids: Iterable[int]) -> dict[int, list[int]]:
        """Run a prebuilt ``(parent id, child id)`` statement for many parents at once.

        The statement filters on ``:site_id`` and ``site_ids_in(parent)``; the result maps each
        parent to its children in the statement's order.
        """
        wanted = list(ids)
        found: dict[int, list[int]] = {}
        if not wanted:
            return found
        rows = self.session.connection().execute(
            statement, {"site_id": self.site_id, "ids": wanted}
        )
        for parent, child in rows:
            found.setdefault(parent, []).append(child)
        return found

    def find(self, *conditions: ColumnElement[bool]) -> M | None:
        return self.session.scalars(self.select().where(*conditions).limit(1)).first()

    def count(self, *conditions: ColumnElement[bool]) -> int:
        statement = select(func.count()).select_from(self.model).where(self.scoped(), *conditions)
        return int(self.session.scalar(statement) or 0)

    def row(self, statement: Executable, id: int) -> Row[*tuple[Any, ...]] | None:
        """One response row from a prebuilt statement filtering on ``:site_id`` and ``:id``."""
        if not -INT64_MAX <= id <= INT64_MAX:
            return None
        params = {"site_id": self.site_id, "id": id}
        return self.session.connection().execute(statement, params).first()

    def page_rows(
        self,
        rows: Select[*tuple[Any, ...]],
        criteria: Criteria,
        params: PageParams,
    ) -> tuple[Sequence[Row[*tuple[Any, ...]]], int]:
        """A page of response rows (``rows`` selects the columns) and the total, by id.

        Reads build no ORM objects, and the COUNT and page statements of each filter shape are
        built once (see ``Criteria``): building a statement and its cache key cost more than
        running it. The page's ids are chosen on the table's own indexes, then only those rows
        are joined (see ``page``).
        """
        count, page = self._shaped(rows, criteria)
        values = {"site_id": self.site_id, **criteria.values}
        connection = self.session.connection()
        total = int(connection.execute(count, values).scalar() or 0)
        if params.offset >= total:
            return [], total
        values.update(limit=params.limit, offset=params.offset)
        return connection.execute(page, values).all(), total

    def _shaped(self, rows: Select[*tuple[Any, ...]], criteria: Criteria) -> tuple[Any, Any]:
        cache: dict[Any, tuple[Any, Any]] = _SHAPES.setdefault(type(self), {})
        key = (id(rows), criteria.key)
        shaped = cache.get(key)
        if shaped is None:
            if len(cache) >= _SHAPE_LIMIT:
                cache.clear()
            conditions = [build() for build in criteria.builders]
            scoped = self.model.site_id == bindparam("site_id")
            count = select(func.count()).select_from(self.model).where(scoped, *conditions)
            window = (
                select(self.model.id)
                .where(scoped, *conditions)
                .order_by(self.model.id)
                .limit(bindparam("limit", type_=Integer))
                .offset(bindparam("offset", type_=Integer))
            )
            page = rows.where(self.model.id.in_(window)).order_by(self.model.id)
            cache[key] = shaped = (count, page)
        return shaped

    def _window(
        self,
        conditions: Sequence[ColumnElement[bool]],
        params: PageParams,
        order_by: Sequence[Any],
    ) -> Select[Any]:
        return (
            select(self.model.id)
            .where(self.scoped(), *conditions)
            .order_by(*order_by, self.model.id)
            .limit(params.limit)
            .offset(params.offset)
        )

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
        window = self._window(conditions, params, order_by)
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
