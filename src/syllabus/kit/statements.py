"""``Prepared``: a prebuilt statement, compiled once per dialect and run on the DBAPI cursor.

The reads of every resource go through a few prebuilt statements (a wire's row by id, its COUNT
and page, a child list; a repository's lookups). SQLAlchemy's ``Connection.execute`` costs about
100 us of Python per statement on top of the query (events, the execution context, the result's
metadata), against 4 us for the same statement on the DBAPI cursor: three times what SQLite
takes to run the query. ``Prepared`` keeps what SQLAlchemy computes for a statement (its SQL
string, the order of its parameters, the bind and result processors of their types) and pays
only for the cursor:

* the statement is compiled by SQLAlchemy for the connection's dialect, once (``compile``), so
  the SQL is exactly what ``Connection.execute`` would send, expanding ``IN`` parameters too
  (``construct_expanded_state``, per call);
* parameters go through their types' bind processors, in the compiled order;
* each column goes through its type's result processor (SQLite's text timestamps to
  ``datetime``, JSON to Python, numerics to ``Decimal``), chosen on the first execution from the
  cursor's description, as SQLAlchemy chooses them.

It runs inside the unit of work's transaction (the connection's own DBAPI connection), so it
sees what the unit sees. Writes stay on the ORM and ``Connection.execute``, except batches that only append
(``many``: the request journal's rows).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Executable

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


@dataclass
class _Compiled:
    compiled: SQLCompiler
    sql: str
    # Parameter names in the statement's order (positional paramstyles), or None (named).
    names: tuple[str, ...] | None
    # Values the statement carries itself (literals the expression bound), under their names.
    defaults: dict[str, Any]
    binds: dict[str, Processor]
    expanding: bool
    # Per column, chosen on the first execution (they may depend on the cursor's types).
    results: list[Processor] | None = field(default=None)


class Prepared:
    """A statement run on the DBAPI cursor of a unit of work's connection.

    The columns at the positions in ``raw`` are returned as the driver gives them, with no
    result processing: their reader takes the stored value (``Wire``'s timestamps).
    """

    __slots__ = ("_dialects", "raw", "statement")

    def __init__(self, statement: Executable, *, raw: frozenset[int] = frozenset()) -> None:
        self.statement = statement
        self.raw = raw
        self._dialects: dict[str, _Compiled] = {}

    def all(self, connection: Connection, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """Every row, each in the statement's column order."""
        compiled = self._dialects.get(connection.dialect.name) or self._compile(connection.dialect)
        sql, arguments = _arguments(compiled, params)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            # Listeners of the engine's statements (SQL logging, a test counting queries) see
            # these too; with none, this costs one attribute lookup.
            listeners = connection.dispatch.before_cursor_execute
            if listeners:
                listeners(connection, cursor, sql, arguments, None, False)
            cursor.execute(sql, arguments)
            rows: list[Sequence[Any]] = list(cursor.fetchall())
            results = compiled.results
            if results is None:
                results = compiled.results = _result_processors(
                    compiled, connection.dialect, cursor.description, self.raw
                )
        finally:
            cursor.close()
        processed = [(index, p) for index, p in enumerate(results) if p is not None]
        if not processed:
            return rows
        converted: list[Sequence[Any]] = []
        for row in rows:
            values = list(row)
            for index, process in processed:
                values[index] = process(values[index])
            converted.append(tuple(values))
        return converted

    def many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once per row of parameters (an INSERT of a batch), in one
        ``executemany``: a batch of a thousand rows costs what the database takes, not a
        thousand times SQLAlchemy's per-row work."""
        if not rows:
            return
        compiled = self._dialects.get(connection.dialect.name) or self._compile(connection.dialect)
        if compiled.expanding:
            raise ValueError("many() takes no expanding parameters")
        arguments = [_arguments(compiled, row)[1] for row in rows]
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            listeners = connection.dispatch.before_cursor_execute
            if listeners:
                listeners(connection, cursor, compiled.sql, arguments, None, True)
            cursor.executemany(compiled.sql, arguments)
        finally:
            cursor.close()

    def first(self, connection: Connection, params: Mapping[str, Any]) -> Sequence[Any] | None:
        """The first row, or None."""
        rows = self.all(connection, params)
        return rows[0] if rows else None

    def scalar(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        """The first column of the first row, or None."""
        row = self.first(connection, params)
        return None if row is None else row[0]

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled: SQLCompiler = self.statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        expanding = any(getattr(bind, "expanding", False) for bind in compiled.binds.values())
        if compiled.escaped_bind_names:
            raise ValueError(f"parameter names that need escaping: {compiled.escaped_bind_names}")
        defaults = {
            name: bind.value
            for name, bind in compiled.binds.items()
            if not bind.required and bind.callable is None
        }
        processors = compiled._bind_processors
        binds: dict[str, Processor] = {
            name: processors.get(name)  # type: ignore[misc]
            for name in compiled.binds
        }
        names = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        found = _Compiled(compiled, compiled.string, names, defaults, binds, expanding)
        self._dialects[dialect.name] = found
        return found


def _arguments(compiled: _Compiled, params: Mapping[str, Any]) -> tuple[str, Any]:
    """The SQL and the DBAPI parameters for ``params``."""
    if compiled.expanding:
        state = compiled.compiled.construct_expanded_state({**compiled.defaults, **params})
        values = state.parameters
        processors: Mapping[str, Processor] = state.processors
        if state.positiontup is not None:
            return state.statement, tuple(
                _bound(processors.get(name), values[name]) for name in state.positiontup
            )
        return state.statement, {
            name: _bound(processors.get(name), value) for name, value in values.items()
        }
    values = {**compiled.defaults, **params} if compiled.defaults else params
    binds = compiled.binds
    if compiled.names is not None:
        return compiled.sql, tuple(_bound(binds[name], values[name]) for name in compiled.names)
    return compiled.sql, {name: _bound(binds[name], values[name]) for name in binds}


def _bound(processor: Processor, value: Any) -> Any:
    return value if processor is None or value is None else processor(value)


def _result_processors(
    compiled: _Compiled, dialect: Dialect, description: Sequence[Any] | None, raw: frozenset[int]
) -> list[Processor]:
    columns = compiled.compiled._result_columns
    found: list[Processor] = []
    for index, column in enumerate(columns):
        if index in raw:
            found.append(None)
            continue
        coltype = description[index][1] if description else None
        found.append(column.type._cached_result_processor(dialect, coltype))
    return found
