"""The snapshots' SQL: reading a site's rows, writing them back, and the ``snapshots`` table.

A site's rows are read and written in the driver's own SQL (``SiteTable.sql``), on the unit of
work's connection, as the stored values: SQLAlchemy's type conversions (text to datetime and
back, for every timestamp) and its per-statement machinery cost more than the queries on a
10,000-row site, and a snapshot of a new site runs 30-odd statements that find nothing.

A row is a list of JSON values in the order of the table's columns, as SQLite stores them:
datetimes as ``2024-01-15 09:00:00.000000`` text (what ``UTCDateTime`` writes), JSON columns as
their text, booleans as the driver gives them (``present`` shows them to people). PostgreSQL's
driver gives datetimes and parsed JSON: they are turned into that text when read, and
PostgreSQL reads the text back when they are inserted.

A snapshot stores them as one zlib-compressed JSON document,
``{"tables": {name: {"columns": [...], "rows": [[...], ...]}}}``: a 10,000-row site takes a few
hundred kilobytes, in one row of the ``snapshots`` table.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from syllabus.kit.schemas import format_timestamp
from syllabus.models import Snapshot
from syllabus.snapshots.tables import SiteTable, site_tables

# Rows of one table, each a list of values in the order of ``SiteTable.columns``.
Rows = list[list[Any]]
Tables = dict[str, Rows]

# zlib's fastest level: a snapshot is written far more often than it is kept.
COMPRESSION = 1
# Keeps ``IN (...)`` lists well under SQLite's bound-parameter limit.
CHUNK = 500

_BY_NAME = select(Snapshot).where(
    Snapshot.site_id == bindparam("site_id"), Snapshot.name == bindparam("name")
)
_LIST = (
    select(Snapshot.name, Snapshot.created_at, Snapshot.clock_offset_seconds, Snapshot.row_counts)
    .where(Snapshot.site_id == bindparam("site_id"))
    .order_by(Snapshot.id)
)
_DELETE = delete(Snapshot).where(
    Snapshot.site_id == bindparam("site_id"), Snapshot.name == bindparam("name")
)


# --- the driver's SQL -----------------------------------------------------------------------


def _fetch(connection: Connection, sql: str, site_id: int) -> list[Sequence[Any]]:
    cursor = connection.connection.cursor()
    try:
        qmark = connection.dialect.paramstyle == "qmark"
        cursor.execute(sql, (site_id,) if qmark else {"site_id": site_id})
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _each(connection: Connection, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(sql, [tuple(row) for row in rows])
    finally:
        cursor.close()


def _insert(connection: Connection, table: SiteTable, rows: Rows) -> None:
    """Insert stored rows: through COPY on PostgreSQL, much faster than a statement a row."""
    statements = table.sql(connection.dialect)
    if connection.dialect.name != "postgresql":
        _each(connection, statements.insert, rows)
        return
    cursor = connection.connection.cursor()
    try:
        with cursor.copy(statements.copy) as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


def _stored_time(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    return value


def _stored_document(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else orjson.dumps(value).decode()


def _stored(table: SiteTable, rows: list[Sequence[Any]]) -> Rows:
    """Rows as SQLite stores them (PostgreSQL's driver gives datetimes and parsed JSON)."""
    converters = [
        _stored_time
        if name in table.times
        else _stored_document
        if name in table.documents
        else None
        for name in table.columns
    ]
    if not any(converters):
        return [list(row) for row in rows]
    return [
        [
            value if convert is None else convert(value)
            for convert, value in zip(converters, row, strict=True)
        ]
        for row in rows
    ]


def stored_row(table: SiteTable, row: Any) -> list[Any]:
    """An ORM row of ``table`` as a stored row (see the module)."""
    return _stored(table, [[getattr(row, name) for name in table.columns]])[0]


def current_rows(connection: Connection, site_id: int) -> Tables:
    """Every saved table's rows of the site now, as stored values (see the module)."""
    dialect = connection.dialect
    sqlite = dialect.name == "sqlite"
    tables: Tables = {}
    for table in site_tables():
        rows = _fetch(connection, table.sql(dialect).rows, site_id)
        tables[table.name] = list(map(list, rows)) if sqlite else _stored(table, rows)
    return tables


def present(table: SiteTable, name: str, value: Any) -> Any:
    """A stored value as people read it: ISO 8601 times, booleans, parsed JSON."""
    if value is None:
        return None
    if name in table.times:
        return str(value).replace(" ", "T") + "Z"
    if name in table.flags:
        return bool(value)
    if name in table.documents:
        return orjson.loads(value)
    return value


# --- the snapshots table --------------------------------------------------------------------


def pack(tables: Tables) -> bytes:
    document = {
        "tables": {
            table.name: {"columns": table.columns, "rows": tables[table.name]}
            for table in site_tables()
            if tables.get(table.name)
        }
    }
    return zlib.compress(orjson.dumps(document), COMPRESSION)


def unpack(data: bytes) -> Tables:
    """A snapshot's rows by table, each row in the order of today's ``SiteTable.columns``
    (a column added since it was taken is None; one dropped since is left out)."""
    document = orjson.loads(zlib.decompress(data))
    tables: Tables = {}
    for table in site_tables():
        saved = document["tables"].get(table.name)
        if saved is None:
            tables[table.name] = []
        elif list(saved["columns"]) == list(table.columns):
            tables[table.name] = saved["rows"]
        else:
            positions = [
                saved["columns"].index(name) if name in saved["columns"] else None
                for name in table.columns
            ]
            tables[table.name] = [
                [None if at is None else row[at] for at in positions] for row in saved["rows"]
            ]
    return tables


def find(session: Session, site_id: int, name: str) -> Snapshot | None:
    return session.scalars(_BY_NAME, {"site_id": site_id, "name": name}).first()


def listed(session: Session, site_id: int) -> list[dict[str, Any]]:
    rows = session.connection().execute(_LIST, {"site_id": site_id})
    return [
        {
            "name": name,
            "created_at": format_timestamp(at),
            "clock_offset_seconds": offset,
            "tables": counts,
        }
        for name, at, offset, counts in rows
    ]


def add(session: Session, snapshot: Snapshot) -> None:
    session.add(snapshot)
    session.flush()


def remove(session: Session, site_id: int, name: str) -> bool:
    result = session.connection().execute(_DELETE, {"site_id": site_id, "name": name})
    return bool(result.rowcount)


# --- restoring ------------------------------------------------------------------------------


def _existing(connection: Connection, target: Any, ids: Iterable[Any]) -> set[Any]:
    found: set[Any] = set()
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        found.update(connection.execute(select(target).where(target.in_(chunk))).scalars())
    return found


def _still_linked(connection: Connection, table: SiteTable, rows: Rows) -> Rows:
    """Do to rows naming a row outside the snapshot that is gone since (a deleted OAuth app)
    what its deletion did: leave them out, or clear the column."""
    for outside in table.outside:
        at = table.columns.index(outside.column)
        named = {row[at] for row in rows if row[at] is not None}
        missing = named - _existing(connection, outside.target, named)
        if not missing:
            continue
        if outside.cascade:
            rows = [row for row in rows if row[at] not in missing]
        else:
            rows = [
                [None if i == at and v in missing else v for i, v in enumerate(row)] for row in rows
            ]
    return rows


@dataclass
class _Plan:
    """What one table needs to be as saved: rows to delete (by key), to update, to insert."""

    table: SiteTable
    removed: list[Any]
    changed: Rows
    missing: Rows

    def key_params(self) -> list[tuple[Any, ...]]:
        return [key if isinstance(key, tuple) else (key,) for key in self.removed]

    def update_params(self) -> list[list[Any]]:
        """Each changed row's values but its key, then its key: ``Statements.update``'s."""
        columns = self.table.columns
        keys = [columns.index(name) for name in self.table.key]
        order = [at for at in range(len(columns)) if at not in keys] + keys
        return [[row[at] for at in order] for row in self.changed]


def _plans(connection: Connection, site_id: int, saved: Tables) -> list[_Plan]:
    current = current_rows(connection, site_id)
    plans = []
    for table in site_tables():
        old = table.keyed(current[table.name])
        new = table.keyed(_still_linked(connection, table, saved.get(table.name, [])))
        plans.append(
            _Plan(
                table,
                removed=[key for key in old if key not in new],
                changed=[row for key, row in new.items() if key in old and old[key] != row],
                missing=[row for key, row in new.items() if key not in old],
            )
        )
    return plans


def _apply(connection: Connection, site_id: int, plans: list[_Plan]) -> None:
    """Delete the rows made since (children first), then, parents first, put back the rows
    changed since and insert those deleted since. A changed row that a delete took with it
    (ON DELETE CASCADE from a row made since) is inserted again."""
    dialect = connection.dialect
    for plan in reversed(plans):
        if plan.removed:
            _each(connection, plan.table.sql(dialect).delete, plan.key_params())
    for plan in plans:
        statements = plan.table.sql(dialect)
        if plan.changed and statements.update is not None:
            _each(connection, statements.update, plan.update_params())
            keys = _fetch(connection, statements.keys, site_id)
            there = {key[0] if len(key) == 1 else tuple(key) for key in keys}
            changed = plan.table.keyed(plan.changed)
            plan.missing += [row for key, row in changed.items() if key not in there]
        if plan.missing:
            _insert(connection, plan.table, plan.missing)


def _replace(connection: Connection, site_id: int, saved: Tables) -> None:
    """Delete every saved table's rows, children first, then insert the saved ones."""
    params = {"site_id": site_id}
    for table in reversed(site_tables()):
        connection.execute(table.delete, params)
    for table in site_tables():
        rows = _still_linked(connection, table, saved.get(table.name, []))
        if rows:
            _insert(connection, table, rows)


def restore_rows(connection: Connection, site_id: int, saved: Tables) -> None:
    """Make the site's rows exactly ``saved``, with their own primary keys.

    Only what changed since is written: restoring a 10,000-row site that a test has touched
    costs one read of the site and a few writes. Should putting rows back one by one break a
    unique constraint on the way (two rows that swapped a unique value), every row is deleted
    and inserted again instead.
    """
    plans = _plans(connection, site_id, saved)
    savepoint = connection.begin_nested()
    try:
        _apply(connection, site_id, plans)
    except (IntegrityError, connection.dialect.loaded_dbapi.IntegrityError):
        savepoint.rollback()
        _replace(connection, site_id, saved)
    else:
        savepoint.commit()
