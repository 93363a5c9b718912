"""Swagger UI at ``/docs``, served offline from the ``fastapi-swagger`` package.

FastAPI emits OpenAPI 3.1, which only Swagger UI 5 can render (4.x shows "Unable to render this
definition"). ``fastapi-swagger`` 0.4.64 ships Swagger UI 5.34.0 (``swagger-ui-bundle.js``,
``swagger-ui.css`` and ``favicon-32x32.png`` in ``fastapi_swagger/resources``) and is re-released
as Swagger UI moves on. Only those files are used, mounted at ``/docs/static``: not its
``patch_fastapi``, which would also redirect ``/`` to the docs. No CDN is ever asked for anything.

``persistAuthorization`` stays off: the API key typed into "Authorize" lives only as long as the
tab, never in the browser's local storage. Its OAuth form runs the authorization code flow with
PKCE against ``/oauth2`` and brings the code back to ``/docs/oauth2-redirect``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

DOCS_URL = "/docs"
STATIC_URL = "/docs/static"
# Where Swagger UI's "Authorize" sends an OAuth app's code back: register
# http://HOST:PORT/docs/oauth2-redirect as one of the app's redirect URIs to use it.
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
# Merged by FastAPI over its defaults (deep linking, BaseLayout): show each request's duration.
SWAGGER_UI_PARAMETERS: dict[str, Any] = {"displayRequestDuration": True}


def install_docs(app: FastAPI) -> None:
    """Serve Swagger UI 5 at ``/docs`` (left out of the schema) and its assets below it."""
    app.mount(
        STATIC_URL,
        StaticFiles(packages=[("fastapi_swagger", "resources")]),
        name="swagger-ui",
    )

    @app.get(DOCS_URL, include_in_schema=False)
    async def docs(request: Request) -> Response:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"),
            title="Syllabus API",
            swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{STATIC_URL}/favicon-32x32.png",
            swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
            oauth2_redirect_url=root + OAUTH2_REDIRECT_URL,
            init_oauth={"usePkceWithAuthorizationCodeGrant": True},
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def oauth2_redirect() -> Response:
        return get_swagger_ui_oauth2_redirect_html()
