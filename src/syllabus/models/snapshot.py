"""Saved states of a site: ``POST /_syllabus/sites/{sub}/snapshots`` (``syllabus/snapshots/``).

A snapshot keeps every row of every table the site owns (``snapshots/tables.py`` finds them in
the metadata) as one compressed blob, and the site's clock. It is not itself part of what it
saves: ``info={"snapshot": False}`` keeps a table out of every snapshot.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import SiteRecord


class Snapshot(SiteRecord):
    """A site's rows at ``created_at``, under a name unique on the site."""

    __tablename__ = "snapshots"
    __table_args__ = (
        UniqueConstraint("site_id", "name"),
        Index("ix_snapshots_site_id_id", "site_id", "id"),
        {"sqlite_autoincrement": True, "info": {"snapshot": False}},
    )

    name: Mapped[str] = mapped_column(String(255))
    # The site's virtual clock when it was taken: restoring sets it back.
    clock_offset_seconds: Mapped[float] = mapped_column(Float)
    # How many rows of each table it holds, by table name.
    row_counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    # zlib-compressed JSON: each table's columns and rows (snapshots/repository.py).
    data: Mapped[bytes] = mapped_column(LargeBinary)
