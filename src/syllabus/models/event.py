from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, site_fk

EVENT_TAIL = 10**9


class Event(Base):
    """The outbox: one row per create, update and delete, written in the same transaction.

    Its public id is Thinkific's 23-digit string: ``YYYYMMDDhhmmss`` of ``created_at`` and nine
    digits from the row's sequence number, which keeps ids unique across processes and sites
    without a second write (FIDELITY §6.1).
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_site_id_id", "site_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    site_id: Mapped[int] = site_fk()
    resource: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]

    @staticmethod
    def public_id_of(created_at: datetime, id: int) -> str:
        return created_at.strftime("%Y%m%d%H%M%S") + f"{id % EVENT_TAIL:09d}"

    @property
    def public_id(self) -> str:
        return self.public_id_of(self.created_at, self.id)

    @property
    def topic(self) -> str:
        return f"{self.resource}.{self.action}"
