"""The tables a snapshot holds, found in the metadata rather than listed, so that a new
resource's table is saved, restored and diffed without anyone adding it anywhere.

A table is the site's when it has a ``site_id`` column (every ``SiteRecord``), or when it links
rows of such a table without one of its own (``bundle_courses``, ``course_admins``...): its rows
are then the site's through the first of its foreign keys that names a site's table.

Some of the site's tables are not its state, and are never saved nor restored:

* ``credentials``, ``oauth_apps`` and ``oauth_codes``: who may call the site. Restoring must not
  revoke the key a test is using, nor bring back a token revoked since;
* what observes or steers the site rather than being it: the request journal
  (``journal_entries``) and the fault rules (``fault_rules``), which a test sets up around the
  site's state and expects to keep across a restore;
* a table whose ``info`` says ``{"snapshot": False}``: the snapshots themselves, and any new
  table that is no part of the site's state. A new table is saved unless it says so.

Everything else is: content, progress, the recorded events, webhook subscriptions and their
delivery log. (The diff leaves out what only records what happened: see ``diff.py``.)

Rows are read and written as the database driver gives and takes them, without SQLAlchemy's
type conversions, which cost more than the queries on a 10,000-row site: see ``repository.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ColumnElement,
    DateTime,
    Delete,
    Select,
    Table,
    bindparam,
    delete,
    select,
)
from sqlalchemy.engine import Dialect

from syllabus.models import Base
from syllabus.models.base import UTCDateTime

# Who may call the site: kept by a restore as they are now (sites/service.py keeps the same
# ones on a reset).
ACCESS = frozenset({"credentials", "oauth_apps", "oauth_codes"})
# What observes or steers the site: the request journal and the fault rules.
HARNESS = frozenset({"journal_entries", "fault_rules"})


@dataclass(frozen=True)
class Outside:
    """A foreign key from a saved table to a table a snapshot does not hold (a webhook's OAuth
    app): restoring a row whose target is gone since does what deleting the target did."""

    column: str
    target: Column[Any]
    cascade: bool  # ON DELETE CASCADE: leave the row out; else SET NULL: clear the column


@dataclass(frozen=True)
class SiteTable:
    """One table of the site's state, with its statements built once."""

    table: Table
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the primary key: how the diff pairs a saved row with a current one
    times: frozenset[str]  # datetime columns
    flags: frozenset[str]  # boolean columns
    documents: frozenset[str]  # JSON columns
    outside: tuple[Outside, ...]
    rows: Select[Any]  # every row of :site_id, in key order
    delete: Delete
    keys: Select[Any]  # the primary keys of :site_id's rows
    _sql: dict[str, Statements] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return str(self.table.name)  # not SQLAlchemy's quoted_name: JSON keys must be str

    def keyed(self, rows: list[list[Any]]) -> dict[Any, list[Any]]:
        """Rows by primary key: the value of a one-column key, a tuple of a longer one's."""
        key = itemgetter(*(self.columns.index(name) for name in self.key))
        return {key(row): row for row in rows}

    def key_fields(self, key: Any) -> dict[str, Any]:
        """A key of ``keyed`` as its columns and values."""
        values = key if len(self.key) > 1 else (key,)
        return dict(zip(self.key, values, strict=True))

    def sql(self, dialect: Dialect) -> Statements:
        """This table's statements in the driver's own SQL on ``dialect``."""
        found = self._sql.get(dialect.name)
        if found is None:
            found = self._sql[dialect.name] = Statements.of(self, dialect)
        return found


@dataclass(frozen=True)
class Statements:
    """A table's SQL as the driver takes it: ``rows`` and ``keys`` take the site's id; a
    row's values are in the order of the table's columns, its key in the order of the key."""

    rows: str  # select the site's rows
    keys: str  # select the primary keys of the site's rows
    insert: str  # one row: its values
    copy: str  # PostgreSQL's bulk insert of rows as ``insert`` takes them
    delete: str  # one row: its key
    update: str | None  # one row: its values but the key, then its key (None: all key)

    @classmethod
    def of(cls, table: SiteTable, dialect: Dialect) -> Statements:
        quote = dialect.identifier_preparer.quote
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        name = quote(table.name)
        where = " AND ".join(f"{quote(column)} = {marker}" for column in table.key)
        values = [column for column in table.columns if column not in table.key]
        assignments = ", ".join(f"{quote(column)} = {marker}" for column in values)
        columns = ", ".join(quote(column) for column in table.columns)
        return cls(
            rows=str(table.rows.compile(dialect=dialect)),
            keys=str(table.keys.compile(dialect=dialect)),
            insert=(
                f"INSERT INTO {name} ({columns}) VALUES ({', '.join(marker for _ in table.columns)})"
            ),
            copy=f"COPY {name} ({columns}) FROM STDIN",
            delete=f"DELETE FROM {name} WHERE {where}",
            update=f"UPDATE {name} SET {assignments} WHERE {where}" if values else None,
        )


def saved(table: Table) -> bool:
    if table.name in ACCESS or table.name in HARNESS:
        return False
    return table.info.get("snapshot", True) is not False


def _scope(table: Table, owners: dict[str, Table]) -> ColumnElement[bool] | None:
    """``table``'s rows of ``:site_id``, or None when the table is not a site's."""
    if "site_id" in table.c:
        return table.c.site_id == bindparam("site_id")
    for foreign_key in sorted(table.foreign_keys, key=lambda key: key.parent.name):
        owner = owners.get(foreign_key.column.table.name)
        if owner is not None and "site_id" in owner.c:
            parent = select(foreign_key.column).where(owner.c.site_id == bindparam("site_id"))
            return foreign_key.parent.in_(parent.scalar_subquery())
    return None


def _outside(table: Table, tables: set[str]) -> tuple[Outside, ...]:
    return tuple(
        Outside(key.parent.name, key.column, key.ondelete == "CASCADE")
        for key in sorted(table.foreign_keys, key=lambda key: key.parent.name)
        if key.column.table.name not in tables and key.column.table.name != "sites"
    )


def _columns(table: Table, *kinds: type) -> frozenset[str]:
    return frozenset(str(column.name) for column in table.c if isinstance(column.type, kinds))


@cache
def site_tables() -> tuple[SiteTable, ...]:
    """The site's saved tables, parents before children (the order rows are inserted in)."""
    found: list[tuple[Table, ColumnElement[bool]]] = []
    owners: dict[str, Table] = {}
    for table in Base.metadata.sorted_tables:
        where = _scope(table, owners)
        if where is None or not saved(table):
            continue
        owners[table.name] = table
        found.append((table, where))
    names = {table.name for table, _ in found}
    return tuple(
        SiteTable(
            table=table,
            columns=tuple(str(column.name) for column in table.c),
            key=tuple(str(column.name) for column in table.primary_key.columns),
            times=_columns(table, UTCDateTime, DateTime),
            flags=_columns(table, Boolean),
            documents=_columns(table, JSON),
            outside=_outside(table, names),
            rows=select(table).where(where).order_by(*table.primary_key.columns),
            delete=delete(table).where(where),
            keys=select(*table.primary_key.columns).where(where),
        )
        for table, where in found
    )
