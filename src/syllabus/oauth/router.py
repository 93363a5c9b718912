"""``/oauth2/authorize``, ``/oauth2/token`` and ``/oauth2/revoke`` (FIDELITY §2.3).

The site is the Host's subdomain (``SUB.localhost``, or ``SUB.`` + ``SYLLABUS_BASE_DOMAIN``),
else an explicit ``subdomain`` parameter, else the site of the app the request names. Each
request is one unit of work; authlib (oauth/server.py) answers it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from urllib.parse import parse_qsl

import orjson
from authlib.oauth2.rfc6749 import InvalidClientError, InvalidRequestError, OAuth2Error
from fastapi import APIRouter
from fastapi import Request as HttpRequest
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.kit.body import NUL_MESSAGE, read_body
from syllabus.kit.responses import json_response
from syllabus.models import Site
from syllabus.oauth.consent import consent_page, error_page
from syllabus.oauth.repository import site_by_subdomain, site_of_client
from syllabus.oauth.server import (
    Answer,
    OAuthUnit,
    Request,
    SiteAuthorizationServer,
    client_id_of,
)

router = APIRouter(prefix="/oauth2", include_in_schema=False)

Params = list[tuple[str, str]]
NO_SITE = "No site: send the request to SUBDOMAIN.<base domain>, or name its subdomain or client."
UNKNOWN_CLIENT = "The client does not exist on this server."
# Headers authlib sets that our responses set their own way.
_OWN_HEADERS = frozenset({"content-type", "content-length"})


class BadBody(Exception):
    """A body that is neither a JSON object nor a form."""


def subdomain_of_host(host: str | None, base_domain: str) -> str | None:
    """``demo.localhost:8000`` -> ``demo`` (one label before the base domain)."""
    if not host:
        return None
    name = host.rsplit(":", 1)[0].strip().lower().rstrip(".")
    suffix = "." + base_domain.strip(".").lower()
    label = name[: -len(suffix)] if name.endswith(suffix) else ""
    return label if label and "." not in label else None


def site_for(
    session: Session, settings: Settings, request: HttpRequest, params: Params
) -> Site | None:
    subdomain = subdomain_of_host(request.headers.get("host"), settings.base_domain)
    if subdomain is not None:
        return site_by_subdomain(session, subdomain)
    named = dict(params)
    if named.get("subdomain"):
        return site_by_subdomain(session, named["subdomain"])
    client_id = client_id_of(request.headers, named)
    return site_of_client(session, client_id) if client_id else None


async def read_params(request: HttpRequest, limit: int) -> Params:
    """The query string's parameters, then the body's: a form or a JSON object (Thinkific's
    clients send JSON to /oauth2/token; RFC 6749 says form)."""
    params = list(request.query_params.multi_items())
    body = await read_body(request.scope, request.receive, limit)
    if not body.strip():
        return params
    if "json" in request.headers.get("content-type", ""):
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise BadBody("The body is not valid JSON.") from error
        if not isinstance(data, dict):
            raise BadBody("The body must be a JSON object.")
        return params + [
            (str(name), _text(value)) for name, value in data.items() if value is not None
        ]
    try:
        return params + parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as error:
        raise BadBody("The body is not UTF-8.") from error


def refusal(request: HttpRequest, params: Params) -> OAuth2Error | None:
    """What is wrong with a request no unit of work should see: a NUL in a parameter
    (PostgreSQL cannot store one), or HTTP Basic credentials that are not base64 of UTF-8."""
    if any("\x00" in name or "\x00" in value for name, value in params):
        return InvalidRequestError(description=NUL_MESSAGE)
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return InvalidClientError(
                status_code=401, description="The Basic credentials cannot be read."
            )
    return None


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def answer(result: Answer) -> Response:
    """authlib's answer as a response: a JSON body, or a redirect."""
    status, body, headers = result
    extra = {name: value for name, value in headers if name.lower() not in _OWN_HEADERS}
    if status == 302:
        return RedirectResponse(extra.pop("Location"), status_code=302, headers=extra)
    return json_response(body, status_code=status, headers=extra)


def _invalid_request(description: str) -> Response:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    body = {"error": "invalid_request", "error_description": description}
    return json_response(body, status_code=400, headers=headers)


async def _endpoint(
    request: HttpRequest, respond: Callable[[SiteAuthorizationServer, Request], Answer]
) -> Response:
    """A POST endpoint answered by authlib within one unit of work on the request's site."""
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    try:
        params = await read_params(request, settings.max_body_bytes)
    except BadBody as error:
        return _invalid_request(str(error))
    refused = refusal(request, params)
    if refused is not None:
        return answer(refused())

    def unit(session: Session) -> Response:
        site = site_for(session, settings, request, params)
        if site is None and client_id_of(request.headers, dict(params)):
            # The client named no site of its own: it is no client here (RFC 6749 §5.2).
            unknown = InvalidClientError(status_code=401, description=UNKNOWN_CLIENT)
            return answer(unknown())
        if site is None:
            return _invalid_request(NO_SITE)
        server = SiteAuthorizationServer(OAuthUnit(session, site, settings))
        query = list(request.query_params.multi_items())
        body = params[len(query) :]
        return answer(
            respond(server, Request("POST", str(request.url), request.headers, query, body))
        )

    return await database.run(unit, write=True)


@router.post("/token")
async def token(request: HttpRequest) -> Response:
    """Exchange a code, or a refresh token, for tokens."""
    return await _endpoint(request, lambda server, oauth: server.create_token_response(oauth))


@router.post("/revoke")
async def revoke(request: HttpRequest) -> Response:
    """Revoke an access or refresh token (both of its pair): it answers 401 from now on."""
    return await _endpoint(
        request, lambda server, oauth: server.create_endpoint_response("revocation", oauth)
    )


@router.get("/authorize")
async def authorize(request: HttpRequest) -> Response:
    """The consent page, or a redirect back to the app when there is nothing to ask (the site
    approved these scopes before, or ``SYLLABUS_OAUTH_AUTO_APPROVE``) or the request is bad."""
    return await _authorize(request, list(request.query_params.multi_items()), None)


@router.post("/authorize")
async def decide(request: HttpRequest) -> Response:
    """The consent page's answer: ``decision=approve`` or ``deny``, with the request's own
    parameters."""
    try:
        params = await read_params(request, request.app.state.settings.max_body_bytes)
    except BadBody as error:
        return HTMLResponse(error_page("invalid_request", str(error)), status_code=400)
    decision = dict(params).get("decision", "deny")
    return await _authorize(request, [(k, v) for k, v in params if k != "decision"], decision)


async def _authorize(request: HttpRequest, params: Params, decision: str | None) -> Response:
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    refused = refusal(request, params)
    if refused is not None:
        return HTMLResponse(
            error_page(refused.error, refused.description or ""), status_code=refused.status_code
        )

    def unit(session: Session) -> Response:
        site = site_for(session, settings, request, params)
        if site is None:
            description = (
                "No site: open SUBDOMAIN.<base domain>/oauth2/authorize, or add subdomain=."
            )
            return HTMLResponse(error_page("invalid_request", description), status_code=400)
        server = SiteAuthorizationServer(OAuthUnit(session, site, settings))
        oauth = Request("GET", str(request.url), request.headers, params, [])
        try:
            grant = server.get_consent_grant(oauth)
        except OAuth2Error as error:
            if error.redirect_uri:
                return answer(server.handle_error_response(oauth, error))
            return HTMLResponse(error_page(error.error, error.description or ""), status_code=400)
        app = oauth.client.app
        asked = oauth.scope.split()
        consented = set((app.consented_scopes or "").split())
        if decision is None and not (settings.oauth_auto_approve or set(asked) <= consented):
            page = consent_page(
                site_name=site.name,
                subdomain=site.subdomain,
                app_name=app.name,
                scopes=asked,
                params=[*params, ("subdomain", site.subdomain)]
                if "subdomain" not in dict(params)
                else params,
            )
            return HTMLResponse(page, headers={"Cache-Control": "no-store"})
        approved = decision in (None, "approve")
        if approved:
            app.consented_scopes = " ".join(sorted(consented | set(asked)))
        user = site if approved else None
        return answer(server.create_authorization_response(oauth, grant_user=user, grant=grant))

    return await database.run(unit, write=True)
