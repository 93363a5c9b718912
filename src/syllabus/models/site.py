from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, Record, SiteRecord, table_args


class Site(Record):
    """A Thinkific site, known by its subdomain. Every other row belongs to one."""

    __tablename__ = "sites"

    subdomain: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    # The site's global id (a UUID): OAuth's ``gid`` and webhooks' ``tenant_global_id``.
    global_id: Mapped[str] = mapped_column(String(36), unique=True)
    # The site's virtual clock: seconds added to the wall clock for everything this site does.
    clock_offset_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # Requests a minute across the site's APIs: None follows SYLLABUS_RATE_LIMIT_PER_MINUTE,
    # 0 turns limiting off for this site.
    rate_limit_per_minute: Mapped[int | None]


class Credential(SiteRecord):
    """An API key, a bearer access token minted by the CLI, or an OAuth app's access token with
    its refresh token. Only SHA-256 digests of the secrets are stored."""

    __tablename__ = "credentials"
    __table_args__ = table_args(Index("ix_credentials_site_id_kind", "site_id", "kind"))

    kind: Mapped[str] = mapped_column(String(20))  # "api_key" | "access_token" | "oauth"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The last four characters, so a person can tell keys apart in `syllabus keys list`.
    hint: Mapped[str] = mapped_column(String(8))
    label: Mapped[str | None] = mapped_column(String(255))
    # Space-separated; only an OAuth token's are enforced.
    scopes: Mapped[str | None] = mapped_column(String(2000))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # OAuth tokens: the app, the refresh token issued beside the access token (single use:
    # ``refreshed_at`` is set when it is spent), and the authorization code they descend from.
    app_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True
    )
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    refreshed_at: Mapped[datetime | None]
    code_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("oauth_codes.id", ondelete="SET NULL"), index=True
    )
