"""``syllabus serve`` and ``syllabus migrate``."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from syllabus.cli.app import DatabaseUrlOption, app, console, settings_for
from syllabus.migrate import upgrade


@app.command()
def migrate(database_url: DatabaseUrlOption = None) -> None:
    """Apply every migration to the database."""
    settings = settings_for(database_url)
    upgrade(settings.database_url)
    console.print("migrated")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(envvar="SYLLABUS_HOST", help="Address to bind.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="SYLLABUS_PORT", help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option(envvar="SYLLABUS_WORKERS", help="Worker processes.")] = 1,
    database_url: DatabaseUrlOption = None,
    admin_token: Annotated[
        str | None,
        typer.Option(envvar="SYLLABUS_ADMIN_TOKEN", help="Token that guards /_syllabus/."),
    ] = None,
    base_domain: Annotated[
        str | None,
        typer.Option(envvar="SYLLABUS_BASE_DOMAIN", help="Domain used in generated URLs."),
    ] = None,
    max_body_bytes: Annotated[
        int | None,
        typer.Option(envvar="SYLLABUS_MAX_BODY_BYTES", help="Larger request bodies get 413."),
    ] = None,
    log_level: Annotated[str, typer.Option(envvar="SYLLABUS_LOG_LEVEL")] = "info",
) -> None:
    """Migrate the database, then serve the API."""
    settings = settings_for(database_url)
    upgrade(settings.database_url)
    # Worker processes build their app from the environment, so flags travel through it.
    chosen = {
        "SYLLABUS_DATABASE_URL": settings.database_url,
        "SYLLABUS_ADMIN_TOKEN": admin_token,
        "SYLLABUS_BASE_DOMAIN": base_domain,
        "SYLLABUS_MAX_BODY_BYTES": None if max_body_bytes is None else str(max_body_bytes),
    }
    os.environ.update({name: value for name, value in chosen.items() if value is not None})
    console.print(f"Syllabus serving on http://{host}:{port}")
    uvicorn.run(
        "syllabus.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=False,
        loop="uvloop",
        http="httptools",
    )
