"""Snapshots: save a site's state under a name, list them, restore one, delete one, and say
what changed since one. Each call is one step of the caller's unit of work; none commits, so a
restore is one transaction: all of it, or nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from syllabus.auth import forget_credentials
from syllabus.categories.repository import default_category
from syllabus.clock import clock
from syllabus.errors import RecordNotFound, Unprocessable, found
from syllabus.kit.schemas import format_timestamp
from syllabus.models import Site, Snapshot
from syllabus.models.base import stamp
from syllabus.sites.service import find_site
from syllabus.snapshots import repository
from syllabus.snapshots.diff import diff
from syllabus.snapshots.repository import Tables
from syllabus.snapshots.tables import site_tables

TAKEN = "has already been taken"


def _body(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "name": snapshot.name,
        "created_at": format_timestamp(snapshot.created_at),
        "clock_offset_seconds": snapshot.clock_offset_seconds,
        "tables": snapshot.row_counts,
    }


class SnapshotService:
    def __init__(self, session: Session, site: Site) -> None:
        self.session = session
        self.site = site

    @classmethod
    def of(cls, session: Session, subdomain: str) -> SnapshotService:
        """The snapshots of the site ``subdomain``: a 404 when there is none."""
        return cls(session, found(find_site(session, subdomain)))

    def save(self, name: str) -> dict[str, Any]:
        """Save every row of the site's state, and its clock, as ``name``."""
        if repository.find(self.session, self.site.id, name) is not None:
            raise Unprocessable.field("name", TAKEN)
        tables = repository.current_rows(self.session.connection(), self.site.id)
        snapshot = Snapshot(
            name=name,
            clock_offset_seconds=self.site.clock_offset_seconds,
            row_counts={table.name: len(tables[table.name]) for table in site_tables()},
            data=repository.pack(tables),
        )
        stamp(snapshot, self.site.id, clock.now(self.site.clock_offset_seconds))
        try:
            repository.add(self.session, snapshot)
        except IntegrityError as error:  # a concurrent save of the same name got there first
            raise Unprocessable.field("name", TAKEN) from error
        return _body(snapshot)

    def list(self) -> dict[str, Any]:
        return {"items": repository.listed(self.session, self.site.id)}

    def restore(self, name: str) -> None:
        """Make the site's state exactly the snapshot's: the same rows with the same ids, and
        its clock. Nothing of another site is touched, nor the site's keys, tokens and apps."""
        snapshot = found(repository.find(self.session, self.site.id, name))
        tables = repository.unpack(snapshot.data)
        repository.restore_rows(self.session.connection(), self.site.id, tables)
        self.site.clock_offset_seconds = snapshot.clock_offset_seconds
        # The clock travels with cached credentials (auth.py): make this process see it at once.
        forget_credentials()

    def delete(self, name: str) -> None:
        if not repository.remove(self.session, self.site.id, name):
            raise RecordNotFound()

    def diff(self, since: str | None) -> dict[str, Any]:
        """What changed since the snapshot ``since``, or (None) since the site was made."""
        after = repository.current_rows(self.session.connection(), self.site.id)
        if since is None:
            return diff(since, self._as_made(after), after)
        snapshot = found(repository.find(self.session, self.site.id, since))
        return diff(since, repository.unpack(snapshot.data), after)

    def _as_made(self, now: Tables) -> Tables:
        """The site's state when it was made (``sites.service.create_site``): its default
        category, as new, if the site still has that one (a reset makes another)."""
        table = next(table for table in site_tables() if table.name == "collections")
        made = repository.stored_row(table, default_category(self.site.id, self.site.created_at))
        columns = table.columns
        first = [
            row
            for row in now.get(table.name, [])
            if row[columns.index("is_default")]
            and row[columns.index("created_at")] == made[columns.index("created_at")]
        ]
        if not first:
            return {}
        made[columns.index("id")] = first[0][columns.index("id")]
        return {table.name: [made]}
