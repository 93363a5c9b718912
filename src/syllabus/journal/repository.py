"""The journal's SQL: appending a batch (and keeping each site's newest entries), and reading a
site's entries as wire bodies."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from syllabus.db import connection_of
from syllabus.journal.schemas import JournalEntryRead
from syllabus.kit.filters import Criteria
from syllabus.kit.statements import Prepared
from syllabus.kit.wire import JSONObject, Wire
from syllabus.models import JournalEntry, Site
from syllabus.pagination import PageParams

JOURNAL = Wire(JournalEntryRead, JournalEntry)


def page(session: Session, site_id: int, criteria: Criteria, params: PageParams) -> JSONObject:
    return JOURNAL.page(connection_of(session), criteria, params, {"site_id": site_id}, None)


def _conditions(
    site_id: int, criteria: Criteria
) -> tuple[list[ColumnElement[bool]], dict[str, Any]]:
    conditions = [JournalEntry.site_id == site_id, *(build() for build in criteria.builders)]
    return conditions, dict(criteria.values)


def latest(session: Session, site_id: int, criteria: Criteria, limit: int) -> list[JSONObject]:
    """The newest ``limit`` entries that match, oldest first (a tail)."""
    conditions, values = _conditions(site_id, criteria)
    statement = JOURNAL.select.where(*conditions).order_by(JournalEntry.id.desc()).limit(limit)
    rows = connection_of(session).execute(statement, values).all()
    return [JOURNAL.render(row, None, ()) for row in reversed(rows)]


def after(
    session: Session, site_id: int, criteria: Criteria, last_id: int, limit: int
) -> list[JSONObject]:
    """The entries that match after the one ``last_id``, oldest first (a follow)."""
    conditions, values = _conditions(site_id, criteria)
    statement = (
        JOURNAL.select.where(*conditions, JournalEntry.id > last_id)
        .order_by(JournalEntry.id)
        .limit(limit)
    )
    rows = connection_of(session).execute(statement, values).all()
    return [JOURNAL.render(row, None, ()) for row in rows]


_EXISTING = select(Site.id).where(Site.id.in_(bindparam("ids", expanding=True)))
# Every column named, so that one compiled INSERT takes every row (kit/statements.py).
_INSERT = Prepared(
    insert(JournalEntry).values(
        {
            column.name: bindparam(column.name)
            for column in JournalEntry.__table__.columns
            if column.name != "id"
        }
    )
)
# Each site's newest `keep` entries stay: those up to the one `keep` places below its newest go.
_TRIM = delete(JournalEntry).where(
    JournalEntry.site_id == bindparam("site_id"),
    JournalEntry.id
    <= (
        select(JournalEntry.id)
        .where(JournalEntry.site_id == bindparam("site_id"))
        .order_by(JournalEntry.id.desc())
        .limit(1)
        .offset(bindparam("keep", type_=Integer))
        .scalar_subquery()
    ),
)


def append(session: Session, rows: Sequence[Mapping[str, Any]], keep: int) -> int:
    """Insert ``rows`` (of sites that still exist) and keep each of their sites' newest
    ``keep`` entries; how many rows were written."""
    connection = session.connection()
    site_ids: Collection[int] = {row["site_id"] for row in rows}
    existing = set(connection.execute(_EXISTING, {"ids": list(site_ids)}).scalars())
    kept = [row for row in rows if row["site_id"] in existing]
    if not kept:
        return 0
    _INSERT.many(connection, kept)
    connection.execute(_TRIM, [{"site_id": site_id, "keep": keep} for site_id in existing])
    return len(kept)
