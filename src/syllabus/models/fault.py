"""Fault and latency injection: a site's rules, in the database so that every server process
applies the same ones (``faults/``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, Id, site_fk

FAULT_ACTIONS = ("status", "delay", "drop", "commit_then_fail")


class FaultRule(Base):
    """Requests to the site matching ``method`` (None: any) and the glob ``path`` (after the
    API's prefix) get ``action``: a ``status`` answer, a ``delay``, a ``drop``ped connection,
    or a ``commit_then_fail``. ``matched`` counts the requests it matched, across processes; a
    rule with ``times`` expires once it matched that many, one with ``probability`` fires on
    each match with that chance, drawn from its ``seed``."""

    __tablename__ = "fault_rules"
    __table_args__ = (
        Index("ix_fault_rules_site_id_id", "site_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = site_fk()
    created_at: Mapped[datetime]
    method: Mapped[str | None] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(2048))
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[int | None] = mapped_column(Integer)
    delay_ms: Mapped[int | None] = mapped_column(Integer)
    times: Mapped[int | None] = mapped_column(Integer)
    probability: Mapped[float | None] = mapped_column(Float)
    seed: Mapped[int | None] = mapped_column(Integer)
    matched: Mapped[int] = mapped_column(Integer, default=0)
