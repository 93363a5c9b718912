"""The control plane's request context: an admin token check and a unit of work without a site."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from syllabus.db import Database
from syllabus.errors import AuthenticationError

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
        self.database: Database = request.app.state.database

    async def run(self, work: Callable[[Session], T], *, write: bool = True) -> T:
        return await self.database.run(work, write=write)


async def get_admin(request: Request) -> Admin:
    # `async def`, so FastAPI builds it inline rather than in the threadpool.
    return Admin(request)


AdminDep = Annotated[Admin, Depends(get_admin)]
