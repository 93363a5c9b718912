from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Record, SiteRecord, table_args


class Site(Record):
    """A Thinkific site, known by its subdomain. Every other row belongs to one."""

    __tablename__ = "sites"

    subdomain: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    # The site's global id (a UUID): OAuth's ``gid`` and webhooks' ``tenant_global_id``.
    global_id: Mapped[str] = mapped_column(String(36), unique=True)
    # The site's virtual clock: seconds added to the wall clock for everything this site does.
    clock_offset_seconds: Mapped[float] = mapped_column(Float, default=0.0)


class Credential(SiteRecord):
    """An API key or a bearer access token. Only a SHA-256 of the secret is stored."""

    __tablename__ = "credentials"
    __table_args__ = table_args(Index("ix_credentials_site_id_kind", "site_id", "kind"))

    kind: Mapped[str] = mapped_column(String(20))  # "api_key" | "access_token"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The last four characters, so a person can tell keys apart in `syllabus keys list`.
    hint: Mapped[str] = mapped_column(String(8))
    label: Mapped[str | None] = mapped_column(String(255))
    scopes: Mapped[str | None] = mapped_column(String(2000))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
