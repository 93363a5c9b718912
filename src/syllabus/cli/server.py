"""``syllabus serve`` and ``syllabus migrate``."""

from __future__ import annotations

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
    log_level: Annotated[str, typer.Option(envvar="SYLLABUS_LOG_LEVEL")] = "info",
) -> None:
    """Migrate the database, then serve the API."""
    settings = settings_for(database_url)
    upgrade(settings.database_url)
    # Workers are separate processes: they read their settings from the environment.
    import os

    os.environ["SYLLABUS_DATABASE_URL"] = settings.database_url
    if admin_token:
        os.environ["SYLLABUS_ADMIN_TOKEN"] = admin_token
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
