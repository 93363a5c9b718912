"""The declarative base: naming convention, UTC datetimes, 64-bit global ids.

Ids are global across sites (one sequence per table), as on Thinkific, and never reused:
SQLite tables use AUTOINCREMENT.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from syllabus.kit.schemas import utc_from_text

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC on every backend; read back as aware UTC.

    On SQLite the value is text in SQLAlchemy's DATETIME format, converted here with
    ``datetime.fromisoformat`` (C) rather than SQLAlchemy's regular expression: a page of
    enrollments carries 150 timestamps, and the regex cost more than the query.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        if dialect.name == "sqlite":
            # SQLAlchemy's own SQLite DATETIME text, so that text comparisons order correctly.
            return value.isoformat(sep=" ", timespec="microseconds")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = utc_from_text(value) if isinstance(value, str) else value
        if moment.tzinfo is UTC:
            return moment
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
        return moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Record(Base):
    """A row with a global id and Thinkific's ``created_at``/``updated_at``."""

    __abstract__ = True

    @declared_attr.directive
    def __table_args__(cls) -> Any:
        return {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


def site_fk() -> Mapped[int]:
    return mapped_column(Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False)


class SiteRecord(Record):
    """A ``Record`` that belongs to one site: every table but ``sites`` itself."""

    __abstract__ = True

    site_id: Mapped[int] = site_fk()


def stamp(row: SiteRecord, site_id: int, now: datetime) -> None:
    """Give a new row its site and, unless already set, its timestamps."""
    row.site_id = site_id
    if getattr(row, "created_at", None) is None:
        row.created_at = now
    if getattr(row, "updated_at", None) is None:
        row.updated_at = row.created_at


def stamped(site_id: int, now: datetime, **values: Any) -> dict[str, Any]:
    """A new row's values for a Core insert, stamped as ``stamp`` stamps an ORM row."""
    values.setdefault("created_at", now)
    values.setdefault("updated_at", values["created_at"])
    return {"site_id": site_id, **values}


def table_args(*items: Any) -> tuple[Any, ...]:
    """``__table_args__`` for a ``Record`` that also declares indexes or constraints."""
    return (*items, {"sqlite_autoincrement": True})


def index_foreign_keys(metadata: MetaData) -> None:
    """Index every foreign key column that no index, primary key or unique constraint leads.

    PostgreSQL does not index a foreign key by itself, and deleting a row then scans every
    table that refers to it (deleting a site's users, a reset, a snapshot's restore). Applied
    once to the whole schema (``models/__init__.py``), so a new table gets its indexes too; the
    migrations create them (``tests/migrations`` compares the two).
    """
    for table in metadata.sorted_tables:
        leading = {next(iter(index.columns)).name for index in table.indexes if index.columns}
        for constraint in table.constraints:
            columns = list(getattr(constraint, "columns", ()))
            if columns and isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint):
                leading.add(columns[0].name)
        for column in list(table.columns):
            if column.foreign_keys and not column.unique and column.name not in leading:
                if column.name == TENANT and (parent := _parent_column(table)) is not None:
                    Index(f"ix_{table.name}_{TENANT}_{parent.name}", column, parent)
                else:
                    Index(f"ix_{table.name}_{column.name}", column)


TENANT = "site_id"


def _parent_column(table: Table) -> Column[Any] | None:
    """The column a row of ``table`` is looked up by besides its site: the first column of its
    first unique constraint, or else its first other foreign key.

    The site's own index goes with it, ``(site_id, parent)``. On its own, an index of ``site_id``
    is a trap for SQLite's planner, which has no statistics: for ``site_id = ? AND user_id IN
    (...)`` it weighs the two one-column indexes alike and took the site's, reading every
    custom profile field of the site to render one user (7.5 ms, against 0.5).
    """
    position = {column.name: number for number, column in enumerate(table.columns)}
    uniques = sorted(
        (c for c in table.constraints if isinstance(c, UniqueConstraint)),
        key=lambda constraint: [position[column.name] for column in constraint.columns],
    )
    for constraint in uniques:
        columns = [c for c in constraint.columns if c.name != TENANT]
        if columns:
            return columns[0]
    for column in table.columns:
        if column.foreign_keys and column.name != TENANT:
            return column
    return None


class DecimalText(TypeDecorator[Decimal]):
    """A decimal kept exactly as text: SQLite has no decimal type, and we never do sums in SQL."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
