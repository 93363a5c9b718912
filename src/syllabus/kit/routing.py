"""The APIs' prefixes, and the router every resource declares its routes on."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope

ADMIN_PREFIX = "/api/public/v1"
# Webhooks and events (FIDELITY §1): api_v2.py.
V2_PREFIX = "/api/v2"


class ResourceRouter(APIRouter):
    """A resource's routes, under its own prefix (``/users``) of the Admin API.

    Requests are matched against the resources' routers one after another, and matching a
    router means trying each of its routes' patterns. A resource router first checks that the
    path lies under its prefix: one string comparison, so that the Admin API's routing stays
    cheap however many resources there are (``POST /users`` matched behind every other
    resource's patterns cost a fifth of the request, and ``GET /products`` more).

    ``api`` is the prefix of the API the router is included in: the Admin API's, or
    ``V2_PREFIX`` for the ``/api/v2`` resources (``webhooks/v2.py``).
    """

    def __init__(self, *, api: str = ADMIN_PREFIX, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api = api

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope["path"]
        head = self.api + self.prefix
        if path.startswith(head) and (len(path) == len(head) or path[len(head)] == "/"):
            return super().matches(scope)
        return Match.NONE, {}
