"""The control plane's request context: an admin token check and a unit of work without a site."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.errors import AuthenticationError
from syllabus.kit.body import raise_deferred
from syllabus.kit.responses import json_response, no_content

CONTROL_PREFIX = "/_syllabus"

T = TypeVar("T")


class Admin:
    """Checks ``Authorization: Bearer <SYLLABUS_ADMIN_TOKEN>`` (or ``X-Syllabus-Admin-Token``).

    With no admin token configured the control plane is closed: every call is 401.
    """

    def __init__(self, request: Request) -> None:
        expected = request.app.state.settings.admin_token
        scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
        given = request.headers.get("x-syllabus-admin-token") or (
            bearer.strip() if scheme.lower() == "bearer" else None
        )
        if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
            raise AuthenticationError()
        raise_deferred(request.scope)
        self.database: Database = request.app.state.database
        self.settings: Settings = request.app.state.settings
        self.status_code: int = request.scope["route"].status_code or 200

    async def run(
        self, work: Callable[[Session], T], *, write: bool = True, inline: bool = True
    ) -> T:
        """One unit of work; ``inline=False`` for long work (seeding), which then runs in a
        worker thread and leaves the event loop to answer other requests meanwhile."""
        return await self.database.run(work, write=write, inline=inline)

    async def read(self, work: Callable[[Session], object]) -> Response:
        return json_response(await self.run(work, write=False), status_code=self.status_code)

    async def write(self, work: Callable[[Session], object], *, inline: bool = True) -> Response:
        """Run ``work`` and answer the route's status code (204: no body)."""
        result = await self.run(work, inline=inline)
        if self.status_code == 204:
            return no_content()
        return json_response(result, status_code=self.status_code)


async def get_admin(request: Request) -> Admin:
    # `async def`, so FastAPI builds it inline rather than in the threadpool.
    return Admin(request)


AdminDep = Annotated[Admin, Depends(get_admin)]


def control_router(prefix: str = CONTROL_PREFIX) -> APIRouter:
    """A router of control-plane operations: under ``/_syllabus``, in the "Control plane" tag,
    every route guarded by the admin token. Each module of operations makes its own."""
    from syllabus.api import COMMON_RESPONSES  # the API module imports the routers' packages

    return APIRouter(
        prefix=prefix,
        tags=["Control plane"],
        responses=COMMON_RESPONSES,
        dependencies=[Depends(get_admin)],
    )
