"""``syllabus requests``: a site's request journal from the shell, and a live tail of it.

It reads the database, where servers write their journals every 0.1 s (``journal/``).
"""

from __future__ import annotations

import time
from typing import Annotated, Any

import orjson
import typer
from rich.syntax import Syntax
from rich.text import Text

from syllabus.cli.app import DatabaseUrlOption, app, console, database_for, fail, unit_of_work
from syllabus.errors import ApiError
from syllabus.journal import service
from syllabus.journal.filters import JOURNAL_FILTERS
from syllabus.kit.filters import Filters

POLL_SECONDS = 0.5
# Entries read per poll of --follow (a busy site's next poll reads the rest).
FOLLOW_BATCH = 500
MAX_LIMIT = 1000


@app.command("requests")
def requests_command(
    subdomain: str,
    method: Annotated[str | None, typer.Option(help="Only requests of this method.")] = None,
    path: Annotated[
        str | None,
        typer.Option(
            help="Only this path after /api/public/v1 or /api/v2, or a glob: * any "
            "characters, ? one."
        ),
    ] = None,
    status: Annotated[
        int | None, typer.Option(help="Only requests answered with this status.")
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=MAX_LIMIT, help="How many of the newest to show.")
    ] = 25,
    follow: Annotated[
        bool,
        typer.Option(
            "--follow", "-f", help="Then print each new request as it is answered, until Ctrl-C."
        ),
    ] = False,
    bodies: Annotated[
        bool, typer.Option("--bodies", help="Print each request's body and its answer's.")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """The site's request journal: its newest Admin API and /api/v2 requests, oldest first,
    one a line: time, method, path, the status answered (or "dropped"), latency, credential,
    and the fault that changed the answer, if one did."""
    given = {"method": method, "path": path, "status": None if status is None else str(status)}
    filters = JOURNAL_FILTERS.parse(
        {f"query[{name}]": value for name, value in given.items() if value is not None}
    )
    try:
        with unit_of_work(database_url, write=False) as session:
            site_id = service.site_id(session, subdomain)
            entries: list[dict[str, Any]] = service.latest(session, site_id, filters, limit)
    except ApiError as error:
        raise fail(f"no site {subdomain!r}") from error
    if not entries and not follow:
        console.print("no requests")
    for entry in entries:
        _line(entry, bodies)
    if follow:
        _follow(database_url, site_id, filters, entries[-1]["id"] if entries else 0, bodies)


def _follow(
    database_url: str | None, site_id: int, filters: Filters, last_id: int, bodies: bool
) -> None:
    """Print the entries after ``last_id`` as they are written, until Ctrl-C."""
    console.print(Text("following (Ctrl-C to stop)", style="dim"))
    database = database_for(database_url)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            with database.transaction(write=False) as session:
                entries: list[dict[str, Any]] = service.after(
                    session, site_id, filters, last_id, FOLLOW_BATCH
                )
            for entry in entries:
                _line(entry, bodies)
                last_id = entry["id"]
    except KeyboardInterrupt:
        pass
    finally:
        database.dispose()


def _status(status: int | None) -> Text:
    if status is None:
        return Text("dropped", style="bold red")
    style = (
        "green" if status < 300 else "cyan" if status < 400 else "yellow" if status < 500 else "red"
    )
    return Text(str(status), style=style)


def _target(entry: dict[str, Any]) -> str:
    prefix = "/api/v2" if entry["api"] == "v2" else ""
    query = f"?{entry['query']}" if entry["query"] else ""
    return f"{prefix}{entry['path']}{query}"


def _clock(entry: dict[str, Any]) -> str:
    return str(entry["created_at"])[11:23]


def _line(entry: dict[str, Any], bodies: bool) -> None:
    line = Text.assemble(
        (_clock(entry), "dim"),
        " ",
        (f"{entry['method']:<6}", "bold"),
        " ",
        _target(entry),
        " ",
        _status(entry["status"]),
        (f" {entry['latency_ms']:.1f} ms {entry['credential']}", "dim"),
    )
    if entry["fault"]:
        line.append(f" fault: {entry['fault']}", style="magenta")
    console.print(line, soft_wrap=True)
    if bodies:
        _body("request", entry["request_body"], entry["request_truncated"])
        _body("answer", entry["response_body"], entry["response_truncated"])


def _body(label: str, body: str | None, truncated: bool) -> None:
    if body is None:
        return
    cut = " (cut)" if truncated else ""
    console.print(Text(f"  {label}{cut}:", style="dim"))
    try:
        pretty = orjson.dumps(orjson.loads(body), option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONDecodeError:
        console.print(Text(body), soft_wrap=True)
        return
    console.print(Syntax(pretty, "json", theme="ansi_dark", background_color="default"))
