"""``syllabus apps``: OAuth apps of a site."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from syllabus.cli.app import DatabaseUrlOption, app, console, fail, settings_for, unit_of_work
from syllabus.oauth import apps
from syllabus.sites.service import SiteError, get_site

apps_app = typer.Typer(
    no_args_is_help=True, help="OAuth 2.0 apps (/oauth2/authorize, /oauth2/token)."
)
app.add_typer(apps_app, name="apps")


@apps_app.command("create")
def apps_create(
    subdomain: str,
    redirect_uri: Annotated[
        list[str], typer.Option("--redirect-uri", help="A registered redirect URI (repeatable).")
    ],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="A scope the app may ask for (repeatable, or space-separated), like read:users. "
            "Default: every read: and write: scope.",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Shown on the consent page.")] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Register an app and print its client_id and client_secret (shown once)."""
    settings = settings_for(database_url)
    try:
        with unit_of_work(database_url) as session:
            issued = apps.create_app(
                session,
                settings,
                get_site(session, subdomain),
                redirect_uris=redirect_uri,
                scopes=scope,
                name=name,
            )
            client_id = issued.app.client_id
    except (SiteError, apps.AppError) as error:
        raise fail(str(error)) from error
    typer.echo(f"client_id: {client_id}")
    typer.echo(f"client_secret: {issued.client_secret}")


@apps_app.command("list")
def apps_list(subdomain: str, database_url: DatabaseUrlOption = None) -> None:
    """List a site's apps."""
    try:
        with unit_of_work(database_url, write=False) as session:
            table = Table("name", "redirect URIs", "scopes")
            table.add_column("client id", no_wrap=True)
            for row in apps.list_apps(session, get_site(session, subdomain)):
                table.add_row(
                    row.name,
                    "\n".join(apps.redirect_uris(row)),
                    "\n".join(apps.scopes_of(row)),
                    row.client_id,
                )
    except SiteError as error:
        raise fail(str(error)) from error
    console.print(table)


@apps_app.command("delete")
def apps_delete(subdomain: str, client_id: str, database_url: DatabaseUrlOption = None) -> None:
    """Delete an app: its tokens answer 401 from now on."""
    try:
        with unit_of_work(database_url) as session:
            deleted = apps.delete_app(session, get_site(session, subdomain), client_id)
    except SiteError as error:
        raise fail(str(error)) from error
    if not deleted:
        raise fail(f"no app {client_id!r} on {subdomain!r}")
    typer.echo(f"deleted {client_id}")
