"""The request journal: what each Admin API and ``/api/v2`` request to a site was, and what the
client got. Written in batches off the request path (``journal/recorder.py``); a site keeps its
newest ``SYLLABUS_JOURNAL_SIZE`` entries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, Id, site_fk


class JournalEntry(Base):
    __tablename__ = "journal_entries"
    __table_args__ = (
        Index("ix_journal_entries_site_id_id", "site_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = site_fk()
    # When the answer was sent: the wall clock, not the site's.
    created_at: Mapped[datetime]
    api: Mapped[str] = mapped_column(String(8))  # "admin" (/api/public/v1) | "v2" (/api/v2)
    method: Mapped[str] = mapped_column(String(16))
    # After the API's prefix, as the client sent it.
    path: Mapped[str] = mapped_column(String(2048))
    query: Mapped[str] = mapped_column(Text)
    # What the client got; None: the connection closed without an answer.
    status: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column(Float)
    credential: Mapped[str] = mapped_column(String(20))  # auth.Caller.kind
    # The action of the fault rule that changed the answer, if one did.
    fault: Mapped[str | None] = mapped_column(String(20))
    # Cut at SYLLABUS_JOURNAL_BODY_BYTES, secrets redacted (journal/redact.py).
    request_body: Mapped[str | None] = mapped_column(Text)
    request_truncated: Mapped[bool] = mapped_column(Boolean)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_truncated: Mapped[bool] = mapped_column(Boolean)
