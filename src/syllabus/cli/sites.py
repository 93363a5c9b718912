"""``syllabus sites``, ``syllabus keys`` and ``syllabus tokens``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from syllabus.cli.app import DatabaseUrlOption, app, console, fail, unit_of_work
from syllabus.kit.schemas import format_timestamp
from syllabus.sites.service import (
    SiteError,
    create_access_token,
    create_api_key,
    create_site,
    describe_rate_limit,
    get_site,
    list_sites,
    rate_limit_from,
    set_rate_limit,
)

sites_app = typer.Typer(no_args_is_help=True, help="Create, list and update sites.")
keys_app = typer.Typer(no_args_is_help=True, help="API keys (X-Auth-API-Key).")
tokens_app = typer.Typer(no_args_is_help=True, help="Bearer access tokens.")
app.add_typer(sites_app, name="sites")
app.add_typer(keys_app, name="keys")
app.add_typer(tokens_app, name="tokens")


@sites_app.command("create")
def sites_create(
    subdomain: str,
    api_key: Annotated[
        str | None, typer.Option("--api-key", help="Use this 32-hex-character key.")
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Create a site and print its API key."""
    try:
        with unit_of_work(database_url) as session:
            issued = create_site(session, subdomain, api_key=api_key)
    except SiteError as error:
        raise fail(str(error)) from error
    typer.echo(issued.secret)


@sites_app.command("list")
def sites_list(database_url: DatabaseUrlOption = None) -> None:
    """List every site."""
    with unit_of_work(database_url, write=False) as session:
        sites = list_sites(session)
        # Narrow terminals shorten the other columns, never a subdomain.
        widest = max((len(site.subdomain) for site in sites), default=0)
        table = Table("id")
        table.add_column("subdomain", no_wrap=True, min_width=widest)
        for name in ("global id", "created at", "rate limit"):
            table.add_column(name)
        for site in sites:
            limit = site.rate_limit_per_minute
            table.add_row(
                str(site.id),
                site.subdomain,
                site.global_id,
                format_timestamp(site.created_at),
                "default" if limit is None else "off" if limit == 0 else f"{limit}/min",
            )
    console.print(table)


@sites_app.command("update")
def sites_update(
    subdomain: str,
    rate_limit: Annotated[
        str,
        typer.Option(
            "--rate-limit",
            help="Requests a minute across the site's APIs: N, off, or default (the server's "
            "SYLLABUS_RATE_LIMIT_PER_MINUTE).",
        ),
    ],
    database_url: DatabaseUrlOption = None,
) -> None:
    """Change a site's settings: its own rate limit."""
    try:
        limit = rate_limit_from(rate_limit)
        with unit_of_work(database_url) as session:
            site = get_site(session, subdomain)
            set_rate_limit(site, limit)
            name = site.subdomain
    except SiteError as error:
        raise fail(str(error)) from error
    console.print(f"{name} rate limit: {describe_rate_limit(limit)}", soft_wrap=True)


@keys_app.command("create")
def keys_create(subdomain: str, database_url: DatabaseUrlOption = None) -> None:
    """Create another API key for a site and print it."""
    try:
        with unit_of_work(database_url) as session:
            issued = create_api_key(session, subdomain)
    except SiteError as error:
        raise fail(str(error)) from error
    typer.echo(issued.secret)


@tokens_app.command("create")
def tokens_create(subdomain: str, database_url: DatabaseUrlOption = None) -> None:
    """Mint a bearer access token for a site and print it."""
    try:
        with unit_of_work(database_url) as session:
            issued = create_access_token(session, subdomain)
    except SiteError as error:
        raise fail(str(error)) from error
    typer.echo(issued.secret)
