"""The ASGI application: ``create_app(settings)``."""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text
from starlette.responses import Response

from syllabus import __version__
from syllabus.api import include_admin_api
from syllabus.api_v2 import include_v2_api
from syllabus.config import Settings, get_settings
from syllabus.control.router import router as control_router
from syllabus.db import Database
from syllabus.docs import install_docs
from syllabus.errors import CatchUnhandled, install_error_handlers
from syllabus.faults.book import FaultBook
from syllabus.faults.control import router as faults_router
from syllabus.faults.middleware import Faults
from syllabus.journal.control import router as journal_router
from syllabus.journal.middleware import Journal
from syllabus.journal.recorder import JournalRecorder
from syllabus.kit.body import BodyNormalizer, IgnoreTrailingSlash
from syllabus.kit.responses import json_response
from syllabus.kit.routing import ADMIN_PREFIX, V2_PREFIX
from syllabus.oauth.control import router as oauth_control_router
from syllabus.oauth.router import router as oauth_router
from syllabus.oauth.scopes import oauth_security_scheme, scope_for
from syllabus.ratelimit.middleware import RateLimit
from syllabus.simulate.control import router as simulate_control_router
from syllabus.snapshots.control import router as snapshots_router
from syllabus.webhooks.control import router as deliveries_router
from syllabus.webhooks.worker import DeliveryWorker

GIL_SWITCH_SECONDS = 0.001


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = database or Database(
        settings.database_url, sqlite_synchronous=settings.sqlite_synchronous
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        database.start_checkpoints()
        # Long units of work (a seed, any unit on PostgreSQL) run in threads beside the event
        # loop: hand the GIL over every millisecond rather than every five, so that a request
        # waits less behind one (a /healthz during a 100k seed went from 90 ms to under 20).
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        # What startup built lives as long as the process: keep it out of the collector's scans,
        # which otherwise pause every thread for tens of milliseconds on a full collection. Then
        # collect again: `syllabus serve` starts with the collector off (cli/server.py).
        gc.freeze()
        gc.enable()
        # Webhook deliveries, in this process unless `syllabus worker` runs them elsewhere.
        worker = DeliveryWorker(database, settings) if settings.deliver_webhooks else None
        if worker is not None:
            worker.start()
        yield
        if worker is not None:
            await worker.stop()
        database.dispose()

    app = FastAPI(
        title="Syllabus",
        version=__version__,
        description="A stateful, persistent server that speaks Thinkific's Admin API.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # Clients disable redirects (FIDELITY §9.1): never answer 307 for a trailing slash.
        redirect_slashes=False,
        # FastAPI's built-in OpenTelemetry reads the environment on every request; we export none.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.database = database
    install_error_handlers(app)
    include_admin_api(app)
    include_v2_api(app)
    app.include_router(control_router)
    app.include_router(oauth_router)
    app.include_router(oauth_control_router)
    app.include_router(simulate_control_router)
    app.include_router(deliveries_router)
    app.include_router(journal_router)
    app.include_router(faults_router)
    app.include_router(snapshots_router)
    install_docs(app)
    app.add_middleware(IgnoreTrailingSlash)
    app.add_middleware(
        BodyNormalizer,
        max_body_bytes=settings.max_body_bytes,
        prefixes=(ADMIN_PREFIX, "/api/v2/", "/_syllabus/"),
    )
    # Injected faults (faults/), for the site the rate limiter found, before the body is read.
    app.add_middleware(Faults, book=FaultBook(database), max_body_bytes=settings.max_body_bytes)
    # Before the body is read: a refused request costs no parsing.
    app.add_middleware(RateLimit, settings=settings, database=database)
    # The request journal (journal/), around the limiter: it records what the client got.
    app.state.journal = JournalRecorder(database, settings)
    app.add_middleware(Journal, recorder=app.state.journal)
    # Outermost of ours: an unexpected exception anywhere below is a clean 500.
    app.add_middleware(CatchUnhandled)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return json_response({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        await database.run(lambda session: session.execute(text("SELECT 1")), write=False)
        return json_response({"status": "ok"})

    _install_openapi(app)
    return app


def _install_openapi(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {})["securitySchemes"] = {
            "ApiKey": {"type": "apiKey", "in": "header", "name": "X-Auth-API-Key"},
            "Subdomain": {"type": "apiKey", "in": "header", "name": "X-Auth-Subdomain"},
            "Bearer": {"type": "http", "scheme": "bearer"},
        }
        schema["components"]["securitySchemes"]["OAuth"] = oauth_security_scheme()
        schema["components"]["securitySchemes"]["AdminToken"] = {"type": "http", "scheme": "bearer"}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if path.startswith((ADMIN_PREFIX, V2_PREFIX)):
                    operation["security"] = [
                        {"ApiKey": [], "Subdomain": []},
                        {"Bearer": []},
                        {"OAuth": [scope_for(method, path)]},
                    ]
                elif path.startswith("/_syllabus"):
                    operation["security"] = [{"AdminToken": []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
