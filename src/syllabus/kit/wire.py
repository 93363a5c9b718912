"""Wire bodies, declared once per resource.

A resource's response schema is the one place its wire fields are written: their names in wire
order, their types (our OpenAPI publishes them), and, as ``Annotated`` metadata that Pydantic
ignores, where each value comes from::

    class EnrollmentRead(ResponseSchema):
        id: int                                            # the model's column of that name
        user_email: Annotated[str, From(User.email)]       # another column
        user_name: Annotated[str, From(full_name, User.first_name, User.last_name)]
        expired: Annotated[bool, From(expired_at, Enrollment.expiry_date, scope=True)]

The repository compiles it, naming the joins and the child lists (one query per list field for
a whole page)::

    ENROLLMENT = Wire(EnrollmentRead, Enrollment, joins=(Enrollment.user, Enrollment.course))
    COURSE = Wire(CourseRead, Course, children={"chapter_ids": Children.ids(Chapter.id, ...)})

and ``Wire`` derives from the declaration, once, at import:

* ``select``: the prebuilt Core SELECT of every column the body needs (the model's ``id`` first);
  reads build no ORM objects, and no statement is built per request;
* the renderer from a row to the wire body: a plain ``dict`` in the schema's key order, with
  timestamps, decimals and other encoded types already encoded, ready for orjson. It is
  generated as Python source and compiled, as ``dataclasses`` generates ``__init__``, so that it
  costs what a hand-written dict display costs: a generic loop over the fields doubled the
  rendering time of a 25-item page (measured: 190 against 410 us), several percent of a list
  request. ``Wire.source`` shows the generated code;
* per filter shape, the COUNT and page statements of its lists (``shaped``), cached on the wire
  and keyed by the shape's names (see ``kit/filters.py``).

A list of rows reached through a link table, in the link's order, names the link in ``through``
rather than in ``joins``: it is joined in the COUNT and the page window too, so that the list's
criteria and ``order_by`` may use its columns (a bundle's courses, by their position)::

    BUNDLE_COURSE = Wire(CourseRead, Course, through=((bundle_courses, on_course),),
                         order_by=(bundle_courses.c.position,))
    page(equal("bundle_id", bundle_courses.c.bundle_id, id), params)

Encoders come from the schema's own types: a field whose type carries a ``PlainSerializer``
(``Timestamp``, ``DecimalString``) is encoded by that serializer's function, ``None`` passing
through when the type is nullable. A column that fields only print, as a ``Timestamp`` or a
``DecimalString``, is read as the database keeps it and printed from that (``raw``): never
parsed into a datetime or a ``Decimal`` to be printed again (a page of enrollments carries 150
timestamps, and parsing them cost a sixth of the page). Id lists are decoded by the renderer.
``tests/test_wire.py`` renders every wire against its schema, and checks that its own
statements render what SQLAlchemy's converted rows do.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, get_args, get_origin

import orjson
from pydantic import BaseModel, PlainSerializer
from sqlalchemy import (
    JSON,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    func,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, aliased
from sqlalchemy.sql.functions import FunctionElement

from syllabus.kit.schemas import format_decimal, format_timestamp
from syllabus.kit.statements import Prepared
from syllabus.models.base import DecimalText, UTCDateTime
from syllabus.pagination import PageParams, pagination

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from syllabus.context import Scope
    from syllabus.kit.filters import Criteria

JSONObject: TypeAlias = dict[str, object]
# What a renderer reads: a result row, or any tuple in the wire's column order.
RowLike: TypeAlias = Sequence[Any]
Grouped: TypeAlias = dict[int, list[Any]]
# Encoders that take the value of a column of their type as the database driver returns it, with
# no type processing (a timestamp as SQLite's text or PostgreSQL's naive datetime, a decimal as
# its text): a column that fields only print with one of them is read raw (``Wire.raw``).
_TAKE_STORED: dict[Callable[..., Any], type] = {
    format_timestamp: UTCDateTime,
    format_decimal: DecimalText,
}
Render: TypeAlias = Callable[[RowLike, "Scope | None", Sequence[Grouped]], JSONObject]
_SHAPE_LIMIT = 256


class From:
    """Where a wire field's value comes from.

    ``From(column)``: that column. ``From(function, *columns)``: ``function(*values)``; with
    ``scope=True`` the unit of work's ``Scope`` is passed last (the site's clock, its subdomain).
    """

    def __init__(self, source: Any, *columns: Any, scope: bool = False) -> None:
        if isinstance(source, QueryableAttribute | ColumnElement):
            if columns:
                raise TypeError("From(column) takes one column; From(function, *columns) more")
            self.function: Callable[..., Any] | None = None
            self.columns: tuple[Any, ...] = (source,)
        else:
            self.function = source
            self.columns = columns
        self.scope = scope


class json_ids(FunctionElement[Any]):
    """The values of a one-column subquery as a JSON array, in its order; ``[]`` for none."""

    type = JSON()
    name = "json_ids"
    inherit_cache = True


@compiles(json_ids, "sqlite")
def _json_ids_sqlite(element: json_ids, compiler: Any, **kw: Any) -> str:
    return f"coalesce(json_group_array({compiler.process(element.clauses, **kw)}), '[]')"


@compiles(json_ids, "postgresql")
def _json_ids_postgresql(element: json_ids, compiler: Any, **kw: Any) -> str:
    return f"coalesce(json_agg({compiler.process(element.clauses, **kw)}), '[]'::json)"


@dataclass(frozen=True)
class Children:
    """A list field.

    * An id list (``Children.ids``, ``Children.linked``) is read in the wire's own statement:
      a correlated subquery aggregates the ids as a JSON array, in order. A list costs no
      statement of its own (a page of courses went from three statements to one).
    * A list of objects (``Children.of``: a wire's bodies) is one more query for a whole page:
      ``statement`` selects ``(parent id, *wire.columns)``, filters on ``:site_id`` and on the
      parent being one of ``:ids`` (``parents_in``), and orders the children.
    """

    statement: Select[Any] | None = None
    wire: Wire | None = None
    # An id list: the subquery of one parent's ids, given the parent's model (the wire's).
    # Any one-column subquery will do (a product's instructors' names).
    ids_of: Callable[[Any], Select[Any]] | None = None
    # What the field is made of the list (joined names, say); the list itself without it.
    reduce: Callable[[list[Any]], Any] | None = None
    # A list of objects' statement, as it runs (kit/statements.py).
    prepared: Prepared | None = None

    @classmethod
    def ids(cls, child_id: Any, parent: Any, *order_by: Any) -> Children:
        """The ids of a site-owned table's rows whose ``parent`` is the row, ordered by
        ``order_by`` (then id)."""
        model = child_id.class_
        return cls(
            ids_of=lambda outer: (
                select(child_id)
                .where(parent == outer.id, model.site_id == bindparam("site_id"))
                .order_by(*order_by, child_id)
            )
        )

    @classmethod
    def linked(cls, parent: Any, child: Any, owner: Any, *order_by: Any) -> Children:
        """``child`` ids of a link table (no ``site_id`` of its own) whose ``parent`` is the row,
        scoped through ``owner``, the site-owned model whose id ``child`` is; ordered by
        ``order_by`` (then the ids)."""
        # Aliased: the owner may be the row's own model (a product's related products).
        scope = aliased(owner)
        return cls(
            ids_of=lambda outer: (
                select(child)
                .join(scope, scope.id == child)
                .where(parent == outer.id, scope.site_id == bindparam("site_id"))
                .order_by(*order_by, child)
            )
        )

    @classmethod
    def of(cls, wire: Wire, parent: Any) -> Children:
        """The bodies of ``wire`` grouped by ``parent``, in the wire's order."""
        model = wire.model
        statement = (
            wire.select.with_only_columns(parent, *wire.columns)
            .where(model.site_id == bindparam("site_id"), parents_in(parent))
            .order_by(parent, *wire.order_by, model.id)
        )
        # The parent's id first, then the wire's columns: its raw ones one place on.
        raw = frozenset(index + 1 for index in wire.raw)
        return cls(statement, wire, prepared=Prepared(statement, raw=raw))

    def aggregate(self, outer: Any, name: str) -> Any:
        """The id list as a column of ``outer``'s statement."""
        assert self.ids_of is not None
        ids = self.ids_of(outer).correlate(outer).subquery()
        return select(json_ids(ids.c[0])).scalar_subquery().label(name)


def _decoded(ids: Any) -> Any:
    """An id list as read raw: SQLite's JSON text, or the list PostgreSQL's driver decoded."""
    return orjson.loads(ids) if isinstance(ids, str | bytes) else ids


def _joined(statement: Select[Any], joins: Sequence[Any]) -> Select[Any]:
    """``statement`` with ``joins``: relationships, or ``(table, onclause)`` pairs."""
    for join in joins:
        statement = statement.join(*join) if isinstance(join, tuple) else statement.join(join)
    return statement


def parents_in(parent: Any) -> ColumnElement[bool]:
    """``parent IN (:ids)``: the page's ids, as one expanding parameter."""
    condition: ColumnElement[bool] = parent.in_(bindparam("ids", expanding=True))
    return condition


@dataclass(frozen=True)
class _Field:
    name: str
    source: From | Children
    encode: Callable[[Any], Any] | None
    nullable: bool


def _encoder(annotation: Any, metadata: Sequence[Any]) -> tuple[Callable[[Any], Any] | None, bool]:
    """The serializer function a field's type declares, and whether the type admits None."""
    nullable = False
    serializers: list[Any] = [m.func for m in metadata if isinstance(m, PlainSerializer)]
    candidates = [annotation]
    if get_origin(annotation) in (typing.Union, types.UnionType):
        candidates = list(get_args(annotation))
        nullable = type(None) in candidates
    for candidate in candidates:
        if get_origin(candidate) is Annotated:
            serializers += [
                m.func for m in candidate.__metadata__ if isinstance(m, PlainSerializer)
            ]
    return (serializers[0] if serializers else None), nullable


class Wire:
    """One response body type, compiled from its schema's declaration (see the module docstring).

    ``model`` is the table the body is about: its ``id`` identifies a row, its ``site_id`` scopes
    it (``tenant=False`` for the sites table itself), and a field with no ``From`` is its column
    of the same name. ``joins`` are relationships (``Enrollment.user``) or ``(table, onclause)``
    pairs; ``children`` fills list fields (``Children``); ``where`` limits the rows the body
    exists for (a user's external identity only if they have one); ``order_by`` is the
    resource's natural order before its id (chapters by position). ``sort_keys`` renders the keys alphabetically, as
    Thinkific's webhook payloads are.

    ``through`` are joins like ``joins`` that only lists make (``shaped``): a link table whose
    columns the criteria and ``order_by`` use, joined in the COUNT, the page window and the page.
    The criteria then hold on the page's rows too, so that a row the criteria select through one
    link is not listed again through another. ``select`` and ``by_id`` leave them out.
    """

    def __init__(
        self,
        schema: type[BaseModel],
        model: Any,
        *,
        joins: Sequence[Any] = (),
        children: Mapping[str, Children] | None = None,
        where: Sequence[ColumnElement[bool]] = (),
        order_by: Sequence[Any] = (),
        sort_keys: bool = False,
        tenant: bool = True,
        through: Sequence[Any] = (),
    ) -> None:
        self.schema = schema
        self.model = model
        self.order_by = tuple(order_by)
        self.through = tuple(through)
        self.sort_keys = sort_keys
        self.tenant = tenant
        self.fields = self._fields(schema, model, dict(children or {}), sort_keys)
        columns: list[Any] = [model.id]
        for field in self.fields:
            if isinstance(field.source, Children):
                if field.source.ids_of is not None:
                    columns.append(field.source.aggregate(model, field.name))
                continue
            for column in field.source.columns:
                if not any(column is known for known in columns):
                    columns.append(column)
        self.columns = tuple(columns)
        statement = _joined(select(*columns).select_from(model), joins)
        self.select: Select[Any] = statement.where(*where)
        self.by_id = statement.where(model.id == bindparam("id"))
        if tenant:
            self.by_id = self.by_id.where(model.site_id == bindparam("site_id"))
        self.raw = self._read_raw()
        self._by_id = Prepared(self.by_id, raw=self.raw)
        # By id with variants (``read``): what every one of them reads raw, by that set.
        self._by_id_with: dict[frozenset[int], Prepared] = {}
        self.children = tuple(
            f.source
            for f in self.fields
            if isinstance(f.source, Children) and f.source.ids_of is None
        )
        self.source, self.render = self._compile()
        self._shapes: dict[tuple[str, ...], tuple[Prepared, Prepared]] = {}

    @staticmethod
    def _fields(
        schema: type[BaseModel], model: Any, children: dict[str, Children], sort_keys: bool
    ) -> list[_Field]:
        fields = []
        for name, info in schema.model_fields.items():
            sources = [m for m in info.metadata if isinstance(m, From)]
            source: From | Children
            if name in children:
                source = children.pop(name)
            elif sources:
                source = sources[0]
            else:
                column = getattr(model, name, None)
                if not isinstance(column, QueryableAttribute):
                    raise TypeError(f"{schema.__name__}.{name}: no column {name!r} on {model}")
                source = From(column)
            encode, nullable = _encoder(info.annotation, info.metadata)
            fields.append(_Field(name, source, encode, nullable))
        if children:
            raise TypeError(f"{schema.__name__} has no fields {sorted(children)}")
        return sorted(fields, key=lambda f: f.name) if sort_keys else fields

    def _read_raw(self) -> frozenset[int]:
        """The positions of the columns read raw, with no type processing (``Prepared``'s
        ``raw``): the id lists (decoded by the renderer, ``_decoded``), and the columns that
        every field using them prints as they are with an encoder that takes the stored value
        (``_TAKE_STORED``: timestamps and decimals, never parsed to be printed again)."""
        direct: set[int] = set()
        other: set[int] = {0}
        for field in self.fields:
            source = field.source
            if isinstance(source, Children):
                if source.ids_of is not None:
                    direct.add(self._index_of_label(field.name))
                continue
            kind = _TAKE_STORED.get(field.encode) if field.encode is not None else None
            for column in source.columns:
                index = self._index(column)
                stored = (
                    source.function is None
                    and kind is not None
                    and isinstance(getattr(column, "type", None), kind)
                )
                (direct if stored else other).add(index)
        return frozenset(direct - other)

    def _compile(self) -> tuple[str, Render]:
        namespace: dict[str, Any] = {}
        items = []
        for number, field in enumerate(self.fields):
            origin = field.source
            if isinstance(origin, Children) and origin.ids_of is not None:
                namespace["_decoded"] = _decoded
                value = f"_decoded(row[{self._index_of_label(field.name)}])"
                if origin.reduce is not None:
                    namespace[f"_r{number}"] = origin.reduce
                    value = f"_r{number}({value})"
                items.append(f"{field.name!r}: {value}")
                continue
            if isinstance(origin, Children):
                index = self.children.index(origin)
                items.append(f"{field.name!r}: children[{index}].get(row[0]) or []")
                continue
            arguments = [f"row[{self._index(column)}]" for column in origin.columns]
            if origin.scope:
                arguments.append("scope")
            if origin.function is not None:
                namespace[f"_f{number}"] = origin.function
                value = f"_f{number}({', '.join(arguments)})"
            else:
                value = arguments[0]
            if field.encode is not None:
                namespace[f"_e{number}"] = field.encode
                encoded = f"_e{number}(_v)" if field.nullable else f"_e{number}({value})"
                if field.nullable:
                    value = f"None if (_v := {value}) is None else {encoded}"
                else:
                    value = encoded
            items.append(f"{field.name!r}: {value}")
        body = "".join(f"        {item},\n" for item in items)
        source = f"def render(row, scope, children):\n    return {{\n{body}    }}\n"
        exec(compile(source, f"<wire {self.schema.__name__}>", "exec"), namespace)
        render: Render = namespace["render"]
        return source, render

    def _index_of_label(self, name: str) -> int:
        return next(
            i for i, known in enumerate(self.columns) if getattr(known, "name", None) == name
        )

    def _index(self, column: Any) -> int:
        return next(i for i, known in enumerate(self.columns) if known is column)

    def shaped(self, criteria: Criteria) -> tuple[Prepared, Prepared]:
        """The COUNT and page statements for ``criteria``'s shape, built once per shape.

        Building a statement and its cache key costs more than running it on SQLite, so each
        filter shape's pair is kept, keyed by its names (which say everything that changes the
        SQL, and nothing else: ``tests/test_filters.py``). The page's ids are chosen on the
        table's own indexes, then only those rows are joined: with the joins in the same
        statement, PostgreSQL joins every row OFFSET skips.
        """
        key = criteria.key
        shaped = self._shapes.get(key)
        if shaped is None:
            if len(self._shapes) >= _SHAPE_LIMIT:
                self._shapes.clear()
            model = self.model
            conditions = [build() for build in criteria.builders]
            if self.tenant:
                conditions.insert(0, model.site_id == bindparam("site_id"))
            order = (*self.order_by, model.id)
            through = self.through
            count = _joined(select(func.count()).select_from(model), through).where(*conditions)
            window = (
                _joined(select(model.id).select_from(model), through)
                .where(*conditions)
                .order_by(*order)
                .limit(bindparam("limit", type_=Integer))
                .offset(bindparam("offset", type_=Integer))
            )
            page = _joined(self.select, through).where(model.id.in_(window))
            if through:
                page = page.where(*conditions)
            page = page.order_by(*order)
            self._shapes[key] = shaped = (Prepared(count), Prepared(page, raw=self.raw))
        return shaped

    def rows(
        self, connection: Connection, rows: Sequence[RowLike], values: Mapping[str, Any]
    ) -> list[Grouped]:
        """Fetch every ``Children`` field for ``rows`` at once: one dict per field."""
        if not self.children:
            return []
        found: list[Grouped] = []
        ids = [row[0] for row in rows]
        for children in self.children:
            assert children.prepared is not None
            grouped: Grouped = {}
            if ids:
                # All at once: iterating a result fetches row by row, a call per row.
                result = children.prepared.all(connection, {**values, "ids": ids})
                if children.wire is None:
                    for parent, child in result:
                        grouped.setdefault(parent, []).append(child)
                else:
                    render = children.wire.render
                    for row in result:
                        grouped.setdefault(row[0], []).append(render(row[1:], None, ()))
            found.append(grouped)
        return found

    def alphabetical(self) -> Wire:
        """This wire with its keys in alphabetical order, as Thinkific's webhook payloads are.

        It shares this wire's statements, so that one fetch renders both (``read``).
        """
        variant = copy.copy(self)
        variant.fields = sorted(self.fields, key=lambda field: field.name)
        variant.sort_keys = True
        variant.source, variant.render = variant._compile()
        return variant

    def read(
        self,
        connection: Connection,
        values: Mapping[str, Any],
        scope: Scope | None,
        variants: Sequence[Wire] = (),
    ) -> list[JSONObject] | None:
        """The body of one row by ``:id`` (and ``:site_id``), then its ``variants``' bodies
        (wires sharing this one's statements), or None."""
        prepared = self._by_id
        if variants:
            raw = self.raw
            for variant in variants:
                if variant.select is not self.select:
                    raise ValueError(f"{variant.schema.__name__} does not share this wire's select")
                raw &= variant.raw
            if raw != self.raw:
                prepared = self._by_id_with.get(raw) or self._by_id_with.setdefault(
                    raw, Prepared(self.by_id, raw=raw)
                )
        row = prepared.first(connection, values)
        if row is None:
            return None
        children = self.rows(connection, [row], values)
        bodies = [self.render(row, scope, children)]
        bodies += [variant.render(row, scope, children) for variant in variants]
        return bodies

    def page(
        self,
        connection: Connection,
        criteria: Criteria,
        params: PageParams,
        values: Mapping[str, Any],
        scope: Scope | None,
    ) -> JSONObject:
        """One page of bodies in Thinkific's list envelope (``items`` and ``meta.pagination``)."""
        count, page = self.shaped(criteria)
        bound = {**values, **criteria.values}
        total = int(count.scalar(connection, bound) or 0)
        items: list[JSONObject] = []
        if params.offset < total:
            rows = page.all(connection, {**bound, "limit": params.limit, "offset": params.offset})
            children = self.rows(connection, rows, values)
            render = self.render
            items = [render(row, scope, children) for row in rows]
        return {"items": items, "meta": {"pagination": pagination(len(items), total, params)}}
