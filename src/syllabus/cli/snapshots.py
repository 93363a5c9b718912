"""``syllabus snapshot save|restore|list|delete``, ``syllabus diff`` and ``syllabus export``:
a site's saved states, what changed since one, and the site as a ``syllabus load`` file.

The same work as ``/_syllabus/sites/{subdomain}/snapshots``, ``/diff`` and ``/export``
(``snapshots/``), each command one transaction on the database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from syllabus.cli.app import DatabaseUrlOption, app, console, fail, problems_of, unit_of_work
from syllabus.errors import ApiError, RecordNotFound
from syllabus.snapshots.export import export_site, to_yaml
from syllabus.snapshots.schemas import NAME_PATTERN
from syllabus.snapshots.service import SnapshotService

T = TypeVar("T")

snapshot_app = typer.Typer(
    no_args_is_help=True,
    help="A site's saved states: save one under a name, restore it, list them, delete one.",
)
app.add_typer(snapshot_app, name="snapshot")


def _run(
    subdomain: str,
    database_url: str | None,
    work: Callable[[SnapshotService], T],
    *,
    write: bool = True,
    missing: str = "",
) -> T:
    """``work`` on the site's snapshots, in one transaction; ``missing`` names what a 404 means
    beside the site."""
    try:
        with unit_of_work(database_url, write=write) as session:
            try:
                service = SnapshotService.of(session, subdomain)
            except RecordNotFound as error:
                raise fail(f"no site {subdomain!r}") from error
            return work(service)
    except RecordNotFound as error:
        raise fail(missing or "not found") from error
    except ApiError as error:
        raise fail(escape(problems_of(error))) from error


def _name(name: str) -> str:
    if not NAME_PATTERN.match(name) or len(name) > 100:
        raise fail(f"invalid name {name!r}: use letters, digits, dots, hyphens and underscores")
    return name


@snapshot_app.command("save")
def save(subdomain: str, name: str, database_url: DatabaseUrlOption = None) -> None:
    """Save the site's whole state (every row, with its ids, and its clock) as NAME."""
    saved = _run(subdomain, database_url, lambda service: service.save(_name(name)))
    total = sum(saved["tables"].values())
    console.print(f"saved {escape(name)}: {total} rows of {escape(subdomain)}")


@snapshot_app.command("restore")
def restore(subdomain: str, name: str, database_url: DatabaseUrlOption = None) -> None:
    """Bring the site back to the snapshot NAME: every row as it was, with the same ids, and its
    clock. Keys, tokens and OAuth apps stay as they are."""
    _run(
        subdomain,
        database_url,
        lambda service: service.restore(name),
        missing=f"no snapshot {name!r} of {subdomain!r}",
    )
    console.print(f"restored {escape(subdomain)} to {escape(name)}")


@snapshot_app.command("list")
def list_snapshots(subdomain: str, database_url: DatabaseUrlOption = None) -> None:
    """The site's snapshots, oldest first."""
    items = _run(subdomain, database_url, lambda service: service.list()["items"], write=False)
    if not items:
        console.print(f"{escape(subdomain)} has no snapshots")
        return
    table = Table()
    for column in ("name", "created_at", "rows", "clock offset (s)"):
        table.add_column(column, no_wrap=True)
    for item in items:
        table.add_row(
            item["name"],
            item["created_at"],
            str(sum(item["tables"].values())),
            f"{item['clock_offset_seconds']:g}",
        )
    console.print(table)


@snapshot_app.command("delete")
def delete(subdomain: str, name: str, database_url: DatabaseUrlOption = None) -> None:
    """Delete the snapshot NAME (the site stays as it is)."""
    _run(
        subdomain,
        database_url,
        lambda service: service.delete(name),
        missing=f"no snapshot {name!r} of {subdomain!r}",
    )
    console.print(f"deleted {escape(name)}")


@app.command("diff")
def diff(
    subdomain: str,
    since: Annotated[
        str | None,
        typer.Option(help="A snapshot's name; without it, since the site was made."),
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """What changed in the site since a snapshot, by table, as JSON: rows created, updated
    (each changed column, [before, after]) and deleted."""
    body = _run(
        subdomain,
        database_url,
        lambda service: service.diff(since),
        write=False,
        missing=f"no snapshot {since!r} of {subdomain!r}",
    )
    typer.echo(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode())


@app.command("export")
def export(
    subdomain: str,
    format: Annotated[
        Literal["yaml", "json"], typer.Option("--format", help="yaml or json.")
    ] = "yaml",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here rather than to stdout.")
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """The site as a `syllabus load` file: loading it into a new site reproduces every Admin API
    response but the ids."""
    try:
        with unit_of_work(database_url, write=False) as session:
            document = export_site(session, subdomain)
    except RecordNotFound as error:
        raise fail(f"no site {subdomain!r}") from error
    except ApiError as error:
        raise fail(escape(problems_of(error))) from error
    if format == "json":
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
    else:
        text = to_yaml(document)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
