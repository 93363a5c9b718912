"""OAuth 2.0 apps, their authorization codes, and the server's own signing key.

An app belongs to one site (``syllabus apps create SUBDOMAIN``). Its tokens are ``Credential``
rows of kind ``oauth`` (models/site.py), so the Admin API finds every credential one way.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Base, Id, SiteRecord, table_args


class OAuthApp(SiteRecord):
    """A registered OAuth client. Only a SHA-256 of its secret is stored: the secret itself is
    derived from the server's key and ``secret_salt`` (oauth/secrets.py), so that webhooks and
    site scripts can be signed with it and a database dump alone cannot recover it."""

    __tablename__ = "oauth_apps"
    __table_args__ = table_args(Index("ix_oauth_apps_site_id_id", "site_id", "id"))

    name: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    secret_salt: Mapped[str] = mapped_column(String(32))
    # One registered redirect URI per line; the first is the default.
    redirect_uris: Mapped[str] = mapped_column(Text)
    # The scopes the app may ask for, space-separated.
    scopes: Mapped[str] = mapped_column(Text)
    # What the site approved on the consent page: asking again within it skips the page.
    consented_scopes: Mapped[str | None] = mapped_column(Text)


class OAuthCode(SiteRecord):
    """An authorization code: single use, short-lived, bound to its redirect URI and PKCE
    challenge. Only a SHA-256 of the code is stored."""

    __tablename__ = "oauth_codes"

    app_id: Mapped[int] = mapped_column(
        Id, ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    redirect_uri: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    code_challenge_method: Mapped[str | None] = mapped_column(String(10))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ServerSecret(Base):
    """Named secrets of the server itself: the key that app secrets are derived from, when
    ``SYLLABUS_SECRET_KEY`` does not give one. Made once, shared by every process."""

    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
