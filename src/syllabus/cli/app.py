"""The typer application and the options every command shares."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.errors import ApiError, Unprocessable
from syllabus.migrate import upgrade

app = typer.Typer(
    no_args_is_help=True,
    help="Syllabus: a stateful, persistent server that speaks Thinkific's APIs.",
    add_completion=False,
)


@app.callback()
def _collect(ctx: typer.Context) -> None:
    # The console script reads the command line with the collector off (cli/entry.py); `serve`
    # keeps it off until its app has started (main.py's lifespan).
    if ctx.invoked_subcommand != "serve":
        gc.enable()


console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="SYLLABUS_DATABASE_URL",
        help="sqlite:///path or postgresql://user@host:port/db (default sqlite:///./var/syllabus.db).",
        show_default=False,
    ),
]


def settings_for(database_url: str | None) -> Settings:
    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings


def database_for(database_url: str | None) -> Database:
    settings = settings_for(database_url)
    return Database(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)


@contextmanager
def unit_of_work(database_url: str | None, *, write: bool = True) -> Iterator[Session]:
    """One transaction on a database the command migrates first, opens, and closes after."""
    settings = settings_for(database_url)
    url = settings.database_url
    upgrade(url)
    database = Database(url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        with database.transaction(write=write) as session:
            yield session
    finally:
        database.dispose()


def fail(message: str) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


def problems_of(error: ApiError) -> str:
    """What a refused request says, on one line: the error, or each field's messages."""
    if not isinstance(error, Unprocessable):
        return error.message
    if isinstance(error.errors, list):
        return "; ".join(error.errors)
    return "; ".join(
        f"{field}: {message}" for field, messages in error.errors.items() for message in messages
    )
