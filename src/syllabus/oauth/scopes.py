"""Scopes on the Admin API (FIDELITY §2.3, §10 #16): ``read:<resource>`` allows its GETs and
``write:<resource>`` its writes, for OAuth tokens only. API keys and CLI-minted tokens are
unrestricted. A route's resource is its path's first segment under the API's prefix
(``/courses/{id}/chapters`` is ``courses``), which is its resource router's prefix.
"""

from __future__ import annotations

from functools import cache

from fastapi import Request

from syllabus.errors import Forbidden
from syllabus.kit.routing import ADMIN_PREFIX
from syllabus.oauth.consent import describe

# What Thinkific's docs answer a token without the scope (FIDELITY §5).
OUT_OF_SCOPE = (
    "App does not have permission to perform this action. Please check the access token permissions"
)
# The Site Scripts spec's own 403 text.
SITE_SCRIPTS_OUT_OF_SCOPE = "Access token has insufficient scope."
# OpenID Connect's scopes, which an app may ask for beside permissions (they open no route).
OPENID_SCOPES = frozenset({"openid", "profile", "email", "site"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Resources outside the Admin API's routers that tokens may be scoped to.
OTHER_RESOURCES = ("webhooks", "events")


def resource_of(path: str) -> str:
    """``/api/public/v1/courses/{id}/chapters`` (or ``/courses/...``) -> ``courses``."""
    for prefix in (ADMIN_PREFIX, "/api/v2"):
        if path.startswith(prefix + "/"):
            path = path[len(prefix) :]
            break
    return path.strip("/").split("/", 1)[0]


def scope_for(method: str, path: str) -> str:
    action = "read" if method.upper() in READ_METHODS else "write"
    return f"{action}:{resource_of(path)}"


@cache
def known_scopes() -> frozenset[str]:
    """Every scope an app may be registered with: read and write of each resource, and
    OpenID Connect's."""
    from syllabus.api import resource_routers  # the routers import this module's users

    resources = [router.prefix.strip("/") for router in resource_routers()]
    resources += OTHER_RESOURCES
    permissions = {f"{action}:{name}" for name in resources for action in ("read", "write")}
    return frozenset(permissions) | OPENID_SCOPES


_required: dict[tuple[str, str], str] = {}


def require_scope(request: Request, granted: frozenset[str]) -> None:
    """403 unless ``granted`` holds the scope the matched route needs for this method."""
    route_path: str = request.scope["route"].path
    key = (request.method, route_path)
    needed = _required.get(key)
    if needed is None:
        needed = _required[key] = scope_for(request.method, route_path)
    if needed not in granted:
        message = SITE_SCRIPTS_OUT_OF_SCOPE if needed.endswith(":site_scripts") else OUT_OF_SCOPE
        raise Forbidden(message)


def oauth_security_scheme() -> dict[str, object]:
    """OpenAPI's description of the OAuth flow: its endpoints and every scope, in words. Each
    Admin API operation names the one scope it needs."""
    urls = {"authorizationUrl": "/oauth2/authorize", "tokenUrl": "/oauth2/token"}
    return {
        "type": "oauth2",
        "description": "Apps registered with `syllabus apps create` or the control plane. The "
        "site is the host's subdomain (SUBDOMAIN.localhost), the `subdomain` parameter, or the "
        "app's own. Tokens are sent as `Authorization: Bearer`.",
        "flows": {
            "authorizationCode": {
                **urls,
                "refreshUrl": urls["tokenUrl"],
                "scopes": {scope: describe(scope) for scope in sorted(known_scopes())},
            }
        },
    }
