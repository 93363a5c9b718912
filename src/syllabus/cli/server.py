"""``syllabus serve`` and ``syllabus migrate``."""

from __future__ import annotations

import copy
import os
from typing import Annotated, Any

import typer
import uvicorn
from pydantic import ValidationError
from uvicorn.config import LOGGING_CONFIG

from syllabus.cli.app import DatabaseUrlOption, app, console, fail, settings_for
from syllabus.config import Settings
from syllabus.migrate import upgrade


@app.command()
def migrate(database_url: DatabaseUrlOption = None) -> None:
    """Apply every migration to the database."""
    settings = settings_for(database_url)
    upgrade(settings.database_url)
    console.print("migrated")


def invalid_settings(error: ValidationError) -> str:
    """Which settings (environment variables, or the flags that set them) are wrong, and why."""
    return "; ".join(
        f"invalid SYLLABUS_{'_'.join(map(str, problem['loc'])).upper()} "
        f"{problem.get('input')!r}: {problem['msg']}"
        for problem in error.errors()
    )


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, with our own loggers (webhook deliveries, rate limits) beside its."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["syllabus"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    return config


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
    sqlite_synchronous: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_SQLITE_SYNCHRONOUS",
            help="SQLite: NORMAL (default) survives a killed process; FULL, a power loss too.",
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(envvar="SYLLABUS_LOG_LEVEL")] = "info",
    rate_limit: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_RATE_LIMIT_PER_MINUTE",
            help="Requests a minute per site (default 120); 0 or off: no limit.",
        ),
    ] = None,
    max_in_flight: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_MAX_IN_FLIGHT",
            help="Requests in flight per site while limited (default 10); 0 or off: no cap.",
        ),
    ] = None,
    redis_url: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_REDIS_URL",
            help="redis://host:port/db: processes share one rate-limit budget.",
        ),
    ] = None,
    oauth_auto_approve: Annotated[
        bool,
        typer.Option(
            envvar="SYLLABUS_OAUTH_AUTO_APPROVE",
            help="/oauth2/authorize redirects at once, without the consent page.",
        ),
    ] = False,
    secret_key: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_SECRET_KEY",
            help="Key that OAuth app secrets are derived from (default: kept in the database).",
            show_default=False,
        ),
    ] = None,
    deliver_webhooks: Annotated[
        bool | None,
        typer.Option(
            "--deliver-webhooks/--no-deliver-webhooks",
            envvar="SYLLABUS_DELIVER_WEBHOOKS",
            help="Send webhook deliveries in this server (default), or leave them to "
            "`syllabus worker`.",
            show_default=False,
        ),
    ] = None,
    webhook_retries: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_WEBHOOK_RETRIES",
            help="Seconds before each retry of a failed delivery (default 60,300,1800).",
        ),
    ] = None,
    webhook_timeout: Annotated[
        float | None,
        typer.Option(
            envvar="SYLLABUS_WEBHOOK_TIMEOUT", help="Seconds a receiver has to answer (default 10)."
        ),
    ] = None,
    strict_webhook_urls: Annotated[
        bool,
        typer.Option(
            envvar="SYLLABUS_STRICT_WEBHOOK_URLS",
            help="Thinkific's rule for webhook URLs: https only, no localhost.",
        ),
    ] = False,
    journal_size: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_JOURNAL_SIZE",
            help="Requests kept in each site's journal (default 1000); 0 or off: no journal.",
        ),
    ] = None,
    journal_body_bytes: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_JOURNAL_BODY_BYTES",
            help="Bytes of each request and response body the journal keeps (default 4096).",
        ),
    ] = None,
) -> None:
    """Migrate the database, then serve the API."""
    # Worker processes build their app from the environment, so flags travel through it.
    chosen = {
        "SYLLABUS_DATABASE_URL": database_url,
        "SYLLABUS_ADMIN_TOKEN": admin_token,
        "SYLLABUS_BASE_DOMAIN": base_domain,
        "SYLLABUS_MAX_BODY_BYTES": None if max_body_bytes is None else str(max_body_bytes),
        "SYLLABUS_SQLITE_SYNCHRONOUS": sqlite_synchronous,
        "SYLLABUS_RATE_LIMIT_PER_MINUTE": rate_limit,
        "SYLLABUS_MAX_IN_FLIGHT": max_in_flight,
        "SYLLABUS_REDIS_URL": redis_url,
        "SYLLABUS_OAUTH_AUTO_APPROVE": "1" if oauth_auto_approve else None,
        "SYLLABUS_SECRET_KEY": secret_key,
        "SYLLABUS_DELIVER_WEBHOOKS": None if deliver_webhooks is None else str(deliver_webhooks),
        "SYLLABUS_WEBHOOK_RETRIES": webhook_retries,
        "SYLLABUS_WEBHOOK_TIMEOUT": None if webhook_timeout is None else str(webhook_timeout),
        "SYLLABUS_STRICT_WEBHOOK_URLS": "1" if strict_webhook_urls else None,
        "SYLLABUS_JOURNAL_SIZE": journal_size,
        "SYLLABUS_JOURNAL_BODY_BYTES": journal_body_bytes,
    }
    os.environ.update({name: value for name, value in chosen.items() if value is not None})
    try:
        settings = Settings()  # as every worker will read it
    except ValidationError as error:
        raise fail(invalid_settings(error)) from error
    upgrade(settings.database_url)
    console.print(f"Syllabus serving on http://{host}:{port}")
    if workers > 1 and settings.rate_limit_per_minute and not settings.redis_url:
        console.print(
            f"rate limits are per process: each of the {workers} workers allows "
            f"{settings.rate_limit_per_minute} requests a minute per site "
            "(set SYLLABUS_REDIS_URL to share one budget)"
        )
    # The collector is still off (cli/app.py): the lifespan freezes what startup built, then
    # collects again (main.py).
    uvicorn.run(
        "syllabus.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        log_config=log_config(log_level),
        access_log=False,
        # asyncio's own loop, not uvloop: under load uvloop served some connections ten times
        # later than others (one worker, 32 connections: p99 0.9 s against a 3 ms request,
        # where asyncio's loop gave 0.1 s at the same throughput; bench/README.md).
        loop="asyncio",
        http="syllabus.protocol:NoDelayHttpToolsProtocol",
    )
