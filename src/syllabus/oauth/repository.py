"""Every query of OAuth: apps, codes and OAuth tokens of one site, and finding the site a request
to ``/oauth2/...`` is for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from syllabus.db import connection_of
from syllabus.errors import found
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject, Wire
from syllabus.models import Credential, OAuthApp, OAuthCode, Site
from syllabus.oauth.schemas import AppRead
from syllabus.pagination import PageParams

OAUTH = "oauth"


def site_by_subdomain(session: Session, subdomain: str) -> Site | None:
    return session.scalars(select(Site).where(Site.subdomain == subdomain.strip().lower())).first()


def site_of_client(session: Session, client_id: str) -> Site | None:
    statement = select(Site).join(OAuthApp, OAuthApp.site_id == Site.id)
    return session.scalars(statement.where(OAuthApp.client_id == client_id)).first()


# An app as the control plane renders it (never its secret).
APP = Wire(AppRead, OAuthApp)


class OAuthRepository:
    """One site's apps, codes and OAuth tokens. Every statement is scoped to the site."""

    def __init__(self, session: Session, site_id: int) -> None:
        self.session = session
        self.site_id = site_id

    def app_body(self, id: int) -> JSONObject:
        bodies = APP.read(connection_of(self.session), {"id": id, "site_id": self.site_id}, None)
        return found(bodies)[0]

    def app_page(self, params: PageParams) -> JSONObject:
        values = {"site_id": self.site_id}
        return APP.page(connection_of(self.session), Criteria(), params, values, None)

    def add(self, row: OAuthApp | OAuthCode | Credential) -> None:
        row.site_id = self.site_id
        self.session.add(row)
        self.session.flush()

    def app(self, client_id: str) -> OAuthApp | None:
        return self.session.scalars(
            select(OAuthApp).where(
                OAuthApp.site_id == self.site_id, OAuthApp.client_id == client_id
            )
        ).first()

    def app_by_id(self, id: int) -> OAuthApp | None:
        return self.session.scalars(
            select(OAuthApp).where(OAuthApp.site_id == self.site_id, OAuthApp.id == id)
        ).first()

    def apps(self) -> list[OAuthApp]:
        statement = select(OAuthApp).where(OAuthApp.site_id == self.site_id)
        return list(self.session.scalars(statement.order_by(OAuthApp.id)))

    def delete_app(self, app: OAuthApp) -> None:
        """The app, its codes and its tokens (the foreign keys cascade)."""
        self.session.delete(app)
        self.session.flush()

    def code(self, code_hash: str, app_id: int) -> OAuthCode | None:
        return self.session.scalars(
            select(OAuthCode).where(
                OAuthCode.site_id == self.site_id,
                OAuthCode.app_id == app_id,
                OAuthCode.code_hash == code_hash,
            )
        ).first()

    def claim_code(self, code_id: int, now: datetime) -> bool:
        """Spend a code, once: False when a concurrent request spent it first."""
        statement = (
            update(OAuthCode)
            .where(OAuthCode.id == code_id, OAuthCode.used_at.is_(None))
            .values(used_at=now)
        )
        return self.session.execute(statement).rowcount == 1  # type: ignore[attr-defined, no-any-return]

    def revoke_issued_from(self, code_id: int, now: datetime) -> None:
        """Revoke every token that descends from a code (a code used twice was stolen)."""
        self.session.execute(
            update(Credential)
            .where(Credential.code_id == code_id, Credential.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def token(
        self, *, access_hash: str | None = None, refresh_hash: str | None = None
    ) -> Credential | None:
        """An OAuth token of the site by the digest of its access or its refresh token."""
        statement = select(Credential).where(
            Credential.site_id == self.site_id, Credential.kind == OAUTH
        )
        if access_hash is not None:
            statement = statement.where(Credential.token_hash == access_hash)
        else:
            statement = statement.where(Credential.refresh_hash == refresh_hash)
        return self.session.scalars(statement).first()

    def claim_refresh(self, credential_id: int, now: datetime) -> bool:
        """Spend a refresh token, once: False when a concurrent refresh spent it first."""
        statement = (
            update(Credential)
            .where(
                Credential.id == credential_id,
                Credential.refreshed_at.is_(None),
                Credential.revoked_at.is_(None),
            )
            .values(refreshed_at=now)
        )
        return self.session.execute(statement).rowcount == 1  # type: ignore[attr-defined, no-any-return]
