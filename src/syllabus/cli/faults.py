"""``syllabus faults add|list|clear``: a site's fault rules from the shell.

Each command is one transaction on the database; running servers apply a change within a
second (``faults/book.py``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from syllabus.cli.app import DatabaseUrlOption, app, console, fail, problems_of, unit_of_work
from syllabus.errors import ApiError
from syllabus.faults import service
from syllabus.faults.schemas import FaultCreate
from syllabus.pagination import PageParams

faults_app = typer.Typer(
    no_args_is_help=True,
    help="Fault and latency injection: rules that fail, slow or drop a site's requests.",
)
app.add_typer(faults_app, name="faults")


class Action(StrEnum):
    status = "status"
    delay = "delay"
    drop = "drop"
    commit_then_fail = "commit_then_fail"


def describe(rule: dict[str, Any]) -> str:
    """A rule on one line: ``POST /enrollments: status 503, 1 time``."""
    action = rule["action"]
    what = f"status {rule['status']}" if action == "status" else action.replace("_", " ")
    if rule["delay_ms"] and action != "delay":
        what = f"wait {rule['delay_ms']} ms, then {what}"
    elif action == "delay":
        what = f"delay {rule['delay_ms']} ms"
    if rule["times"] is not None:
        how = f"{rule['remaining']} of {rule['times']} left"
    elif rule["probability"] is not None:
        how = f"probability {rule['probability']:g}, seed {rule['seed']}"
    else:
        how = "every time"
    return f"{rule['method'] or 'any'} {rule['path']}: {what}, {how}"


@faults_app.command("add")
def add_command(
    subdomain: str,
    action: Annotated[Action, typer.Option(help="What matching requests get.")],
    method: Annotated[
        str | None, typer.Option(help="GET, POST, PUT, PATCH or DELETE (default: any).")
    ] = None,
    path: Annotated[
        str,
        typer.Option(
            help="A glob over the path after /api/public/v1 or /api/v2: * any characters, ? one."
        ),
    ] = "*",
    status: Annotated[
        int | None, typer.Option(help="With --action status: 429, 500, 502 or 503.")
    ] = None,
    delay_ms: Annotated[
        int | None,
        typer.Option(help="Milliseconds to wait first (required by --action delay)."),
    ] = None,
    times: Annotated[
        int | None, typer.Option(help="Act on this many matches, then expire.")
    ] = None,
    probability: Annotated[
        float | None, typer.Option(help="Act on each match with this chance (0 to 1).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="With --probability: the draws' seed (default 0).")
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Add a fault rule to the site; running servers apply it within a second."""
    given = {
        "method": method,
        "path": path,
        "action": action.value,
        "status": status,
        "delay_ms": delay_ms,
        "times": times,
        "probability": probability,
        "seed": seed,
    }
    try:
        data = FaultCreate.model_validate({k: v for k, v in given.items() if v is not None})
    except ValidationError as error:
        reasons = "; ".join(
            f"--{'-'.join(map(str, problem['loc'])).replace('_', '-')}: {problem['msg']}"
            for problem in error.errors()
        )
        raise fail(escape(reasons)) from error
    try:
        with unit_of_work(database_url) as session:
            rule = service.create_fault(session, subdomain, data)
    except ApiError as error:
        raise fail(escape(_refusal(subdomain, error))) from error
    console.print(f"fault {rule['id']} added: {escape(describe(rule))}", soft_wrap=True)


@faults_app.command("list")
def list_command(subdomain: str, database_url: DatabaseUrlOption = None) -> None:
    """The site's fault rules, in the order they are tried."""
    rules: list[dict[str, Any]] = []
    try:
        with unit_of_work(database_url, write=False) as session:
            page: int | None = 1
            while page is not None:
                body: dict[str, Any] = service.list_faults(
                    session, subdomain, PageParams(page, 250)
                )
                rules += body["items"]
                page = body["meta"]["pagination"]["next_page"]
    except ApiError as error:
        raise fail(escape(_refusal(subdomain, error))) from error
    if not rules:
        console.print("no fault rules")
        return
    table = Table()
    for name in ("id", "method", "path", "action", "status", "delay ms", "limit", "matched"):
        table.add_column(name, no_wrap=name != "path", overflow="fold")
    for rule in rules:
        if rule["times"] is not None:
            limit = f"{rule['remaining']} of {rule['times']} left"
        elif rule["probability"] is not None:
            limit = f"p={rule['probability']:g} seed={rule['seed']}"
        else:
            limit = "always"
        table.add_row(
            str(rule["id"]),
            rule["method"] or "any",
            rule["path"],
            rule["action"],
            "" if rule["status"] is None else str(rule["status"]),
            "" if rule["delay_ms"] is None else str(rule["delay_ms"]),
            limit,
            str(rule["matched"]),
        )
    console.print(table)


@faults_app.command("clear")
def clear_command(subdomain: str, database_url: DatabaseUrlOption = None) -> None:
    """Delete every fault rule of the site."""
    try:
        with unit_of_work(database_url) as session:
            service.clear_faults(session, subdomain)
    except ApiError as error:
        raise fail(escape(_refusal(subdomain, error))) from error
    console.print(f"fault rules of {subdomain} cleared")


def _refusal(subdomain: str, error: ApiError) -> str:
    return f"no site {subdomain!r}" if error.status_code == 404 else problems_of(error)
