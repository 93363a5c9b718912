"""The control plane's OAuth apps: ``/_syllabus/sites/{subdomain}/apps``. Guarded by the admin
token like the rest of ``/_syllabus``."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.responses import Response

from syllabus.config import Settings
from syllabus.control.context import AdminDep, control_router
from syllabus.errors import RecordNotFound, Unprocessable, found
from syllabus.kit.wire import JSONObject
from syllabus.models import Site
from syllabus.oauth import apps
from syllabus.oauth.repository import OAuthRepository
from syllabus.oauth.schemas import AppCreate, AppCreated, AppRead
from syllabus.pagination import Page, PageParams, PageParamsDep
from syllabus.sites.service import find_site

router = control_router()


def _site(session: Session, subdomain: str) -> Site:
    return found(find_site(session, subdomain))


def _create(session: Session, settings: Settings, subdomain: str, data: AppCreate) -> JSONObject:
    site = _site(session, subdomain)
    try:
        issued = apps.create_app(
            session,
            settings,
            site,
            redirect_uris=data.redirect_uris,
            scopes=data.scopes,
            name=data.name,
        )
    except apps.AppError as error:
        raise Unprocessable({error.field: [str(error)]}) from error
    body = OAuthRepository(session, site.id).app_body(issued.app.id)
    return {**body, "client_secret": issued.client_secret}


def _list(session: Session, subdomain: str, params: PageParams) -> JSONObject:
    return OAuthRepository(session, _site(session, subdomain).id).app_page(params)


def _delete(session: Session, subdomain: str, client_id: str) -> None:
    if not apps.delete_app(session, _site(session, subdomain), client_id):
        raise RecordNotFound()


@router.post("/sites/{subdomain}/apps", status_code=201, response_model=AppCreated)
async def create_app(admin: AdminDep, subdomain: str, body: AppCreate) -> Response:
    """Register an OAuth app on a site. Its `client_secret` is shown only here."""
    return await admin.write(lambda s: _create(s, admin.settings, subdomain, body))


@router.get("/sites/{subdomain}/apps", response_model=Page[AppRead])
async def list_apps(admin: AdminDep, subdomain: str, page: PageParamsDep) -> Response:
    """List a site's OAuth apps."""
    return await admin.read(lambda s: _list(s, subdomain, page))


@router.delete("/sites/{subdomain}/apps/{client_id}", status_code=204)
async def delete_app(admin: AdminDep, subdomain: str, client_id: str) -> Response:
    """Delete an app: its tokens answer 401 from now on."""
    return await admin.write(lambda s: _delete(s, subdomain, client_id))
