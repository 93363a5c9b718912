"""The request context every Admin API handler receives: the caller's site, and a unit of work.

The site comes from ``auth.authenticated``, every operation's first parameter. A handler hands
``Api`` a plain function of a ``Scope``; ``Api`` runs it as one transaction that commits before
the response exists. Everything inside runs synchronously, so the whole unit is one inline call
on SQLite and one thread hop on PostgreSQL. The status code of a success is the one the route
declares (``@router.post(..., status_code=201)``), written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from starlette.responses import Response

from syllabus.auth import Caller, SiteRef, authenticated, signing_secret
from syllabus.clock import clock
from syllabus.config import Settings
from syllabus.db import Database, connection_of
from syllabus.kit.responses import json_response, no_content
from syllabus.models import Site
from syllabus.oauth.scopes import require_scope

T = TypeVar("T")


@dataclass(slots=True)
class Scope:
    """One unit of work for one site: what it runs on, the site, the site's "now", the settings.

    A write runs on an ORM session; a read on a Core connection (``Database.reading``), and
    gets a session bound to that connection only if it asks for one.
    """

    bind: Session | Connection
    site: SiteRef
    now: datetime
    settings: Settings
    # A quiet unit of work records no events (`syllabus seed` writes through services too).
    quiet: bool = False
    # What the caller signs with (`auth.signing_secret`): none outside the Admin API.
    signing_secret: str | None = field(default=None, repr=False)
    # Whom the request's credentials name: none outside the Admin API.
    caller: Caller | None = None
    _session: Session | None = field(default=None, init=False, repr=False)

    @property
    def session(self) -> Session:
        """The unit's ORM session: a write's own, or one bound to a read's connection."""
        if isinstance(self.bind, Session):
            return self.bind
        if self._session is None:
            self._session = Session(bind=self.bind)
        return self._session

    @property
    def connection(self) -> Connection:
        """The unit's connection, for Core statements: a read's own, or the session's."""
        return self.bind if isinstance(self.bind, Connection) else connection_of(self.bind)

    def close(self) -> None:
        """Let go of the session a read made, if it made one."""
        if self._session is not None:
            self._session.close()

    @classmethod
    def for_site(
        cls, session: Session, site: Site, settings: Settings, *, quiet: bool = False
    ) -> Scope:
        """A unit of work on ``site`` outside the Admin API (the control plane, the CLI)."""
        ref = SiteRef(site.id, site.subdomain, site.global_id, site.clock_offset_seconds)
        return cls(session, ref, clock.now(site.clock_offset_seconds), settings, quiet)


class Api:
    def __init__(self, request: Request, caller: Caller) -> None:
        self.database: Database = request.app.state.database
        self.settings: Settings = request.app.state.settings
        self.caller = caller
        self.site = caller.site
        self.signing_secret = signing_secret(request.headers)
        self.status_code: int = request.scope["route"].status_code or 200

    async def run(self, work: Callable[[Scope], T], *, write: bool) -> T:
        caller, settings, secret = self.caller, self.settings, self.signing_secret
        site = caller.site

        def unit(bind: Session | Connection) -> T:
            now = clock.now(site.clock_offset_seconds)
            scope = Scope(bind, site, now, settings, False, secret, caller)
            try:
                return work(scope)
            finally:
                scope.close()

        if write:
            return await self.database.run(unit)
        return await self.database.read(unit)

    async def read(self, work: Callable[[Scope], object]) -> Response:
        return json_response(await self.run(work, write=False), status_code=self.status_code)

    async def write(self, work: Callable[[Scope], object]) -> Response:
        """Run ``work`` and answer the route's status code, with the body it returns (none for
        a 204, or when it returns None: Thinkific answers some creates with an empty 201)."""
        result = await self.run(work, write=True)
        if self.status_code == 204:
            return no_content()
        if result is None:
            return Response(status_code=self.status_code)
        return json_response(result, status_code=self.status_code)


async def get_api(request: Request) -> Api:
    """Every site API operation's first parameter (``api: ApiDep``): authentication, then the
    context. FastAPI solves sub-dependencies before the path, query and body, so this comes
    first (``api.include_site_api`` checks that every operation declares it first)."""
    # `async def`, so FastAPI builds it inline rather than in the threadpool.
    caller = await authenticated(request)
    if caller.scopes is not None:
        require_scope(request, caller.scopes)
    return Api(request, caller)


ApiDep = Annotated[Api, Depends(get_api)]
