"""The request context every Admin API handler receives: credentials, and a unit of work.

A handler hands ``Api`` a plain function of a ``Scope``. ``Api`` runs it as one transaction that
first authenticates the caller, then does the work, then commits, all before the response exists.
Everything inside runs synchronously, so the whole unit is one inline call on SQLite and one
thread hop on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from syllabus.auth import Credentials, SiteRef, authenticate, credentials_from
from syllabus.clock import clock
from syllabus.config import Settings
from syllabus.db import Database
from syllabus.kit.responses import json_response, no_content


@dataclass(slots=True)
class Scope:
    """One unit of work for one site: its session, the site, the site's "now", the settings."""

    session: Session
    site: SiteRef
    now: datetime
    settings: Settings


class Api:
    def __init__(self, request: Request) -> None:
        self.database: Database = request.app.state.database
        self.settings: Settings = request.app.state.settings
        self.credentials: Credentials | None = credentials_from(request.headers)

    async def run(self, work: Callable[[Scope], Any], *, write: bool) -> Any:
        credentials, settings = self.credentials, self.settings

        def unit(session: Session) -> Any:
            site = authenticate(session, credentials, clock.now())
            return work(Scope(session, site, clock.now(site.clock_offset_seconds), settings))

        return await self.database.run(unit, write=write)

    async def read(self, work: Callable[[Scope], Any]) -> Response:
        return json_response(await self.run(work, write=False))

    async def write(self, work: Callable[[Scope], Any], *, status_code: int = 200) -> Response:
        result = await self.run(work, write=True)
        if status_code == 204:
            return no_content()
        return json_response(result, status_code=status_code)


async def get_api(request: Request) -> Api:
    # `async def`, so FastAPI builds it inline rather than in the threadpool.
    return Api(request)


ApiDep = Annotated[Api, Depends(get_api)]
