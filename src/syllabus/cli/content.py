"""``syllabus seed``, ``syllabus load`` and ``syllabus demo``: content the API cannot create.

Each command migrates the database first (as ``serve`` does), then runs one transaction: the
site (created if missing) and everything written with it commit together, or not at all. A new
site's API key is printed as an ``api_key: ...`` line.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy.orm import Session

from syllabus.cli.app import (
    DatabaseUrlOption,
    app,
    console,
    database_for,
    err_console,
    fail,
    settings_for,
    unit_of_work,
)
from syllabus.models import Site
from syllabus.seed.demo import (
    kept_admin_token,
    key_file_for,
    prepare_demo,
    rate_limit_line,
    read_key,
    save_key,
)
from syllabus.seed.generator import (
    ProgressCallback,
    SeedError,
    SeedSummary,
    check_counts,
    seed_site,
    vacuum_after,
)
from syllabus.seed.loader import LoadError, LoadSummary, load_content, read_content
from syllabus.sites.service import SiteError, create_site, find_site

API_PREFIX = "/api/public/v1"
DEFAULT_ENROLLMENTS = 150


@contextmanager
def _progress_bar() -> Iterator[ProgressCallback]:
    """A progress callback whose bar appears on its first report (so none when nothing runs)."""
    progress = Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
    )
    task: list[TaskID] = []

    def report(step: str, done: int, total: int) -> None:
        if not task:
            progress.start()
            task.append(progress.add_task(step, total=total))
        progress.update(task[0], description=step, completed=done, total=total)

    try:
        yield report
    finally:
        if task:
            progress.stop()


def _site(session: Session, subdomain: str) -> tuple[Site, str | None]:
    """The site, created if missing; the key is set only for a new site."""
    site = find_site(session, subdomain)
    if site is not None:
        return site, None
    issued = create_site(session, subdomain)
    return issued.site, issued.secret


def _print_problems(headline: str, problems: list[str]) -> typer.Exit:
    error = fail(escape(headline))
    for problem in problems:
        # No wrapping: each problem stays one line that names its entry.
        err_console.print(f"  {escape(problem)}", soft_wrap=True)
    return error


def _seed_lines(summary: SeedSummary) -> list[str]:
    return [
        f"{summary.users} users ({summary.course_admins} course admins, "
        f"{summary.affiliates} affiliates, {summary.profile_field_values} profile field values)",
        f"{summary.courses} courses with {summary.chapters} chapters and {summary.contents} "
        f"contents, {summary.instructors} instructors",
        f"{summary.enrollments} enrollments",
        f"{summary.groups} new groups, {summary.group_memberships} group memberships, "
        f"{summary.profile_field_definitions} new custom profile field definitions",
        f"{summary.bundles} bundles, {summary.categories} new categories, {summary.promotions} "
        f"promotions with {summary.coupons} coupons, {summary.orders} orders, "
        f"{summary.external_orders} external orders",
        f"{summary.group_analysts} group analyst assignments, {summary.reviews} course reviews, "
        f"{summary.site_scripts} site scripts, {summary.publish_requests} publish requests",
    ]


@app.command("seed")
def seed_command(
    subdomain: str,
    users: Annotated[int, typer.Option(help="Users to add.")] = 50,
    courses: Annotated[int, typer.Option(help="Courses to add, each with its product.")] = 6,
    enrollments: Annotated[
        int | None,
        typer.Option(
            help="Enrollments to add, each a distinct (user, course) pair "
            "(default 150, or users x courses if fewer).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 1,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Add deterministic demo data to a site, creating the site if needed."""
    if enrollments is None:
        enrollments = min(DEFAULT_ENROLLMENTS, max(users, 0) * max(courses, 0))
    try:
        check_counts(users, courses, enrollments)
    except SeedError as error:
        raise fail(escape(str(error))) from error
    started = time.perf_counter()
    try:
        with (
            unit_of_work(database_url) as session,
            _progress_bar() as progress,
        ):
            site, key = _site(session, subdomain)
            summary = seed_site(
                session,
                site,
                users=users,
                courses=courses,
                enrollments=enrollments,
                seed=seed,
                progress=progress,
            )
            subdomain = site.subdomain
    except (SiteError, SeedError) as error:
        raise fail(escape(str(error))) from error
    database = database_for(database_url)
    try:
        vacuum_after(database, summary)
    finally:
        database.dispose()
    if key is not None:
        typer.echo(f"api_key: {key}")
    console.print(
        f"Seeded site {escape(subdomain)!r} in {time.perf_counter() - started:.1f}s:",
        soft_wrap=True,
    )
    for line in _seed_lines(summary):
        console.print(f"  {line}", soft_wrap=True)


def _summary_table(summary: LoadSummary) -> Table:
    table = Table("rows", "created", "updated", "unchanged", "deleted")
    for name, tally in summary.tallies.items():
        if tally.changes or tally.unchanged:
            table.add_row(
                name,
                str(len(tally.created)),
                str(len(tally.updated)),
                str(len(tally.unchanged)),
                str(tally.deleted),
            )
    return table


@app.command("load")
def load_command(
    subdomain: str,
    file: Annotated[Path, typer.Argument(help="A YAML file; see docs/load-format.md.")],
    database_url: DatabaseUrlOption = None,
) -> None:
    """Create or update content declared in a YAML file, all or nothing."""
    try:
        content = read_content(file)
    except LoadError as error:
        raise _print_problems(f"{file} is not valid:", error.problems) from error
    try:
        with unit_of_work(database_url) as session:
            site, key = _site(session, subdomain)
            summary = load_content(session, site, content, settings_for(database_url))
    except LoadError as error:
        raise _print_problems(f"{file} cannot be loaded:", error.problems) from error
    except SiteError as error:
        raise fail(escape(str(error))) from error
    if key is not None:
        typer.echo(f"api_key: {key}")
    if not summary.changes:
        console.print(f"Loaded {escape(str(file))} into {summary.site!r}: nothing changed.")
    else:
        console.print(f"Loaded {escape(str(file))} into {summary.site!r}:")
    console.print(_summary_table(summary))


@app.command("demo")
def demo_command(
    subdomain: Annotated[str, typer.Argument(help="The demo site's subdomain.")] = "demo",
    host: Annotated[str, typer.Option(envvar="SYLLABUS_HOST", help="Host in the URL.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(envvar="SYLLABUS_PORT", help="Port in the URL.")] = 8000,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="Where the demo key is kept (default: beside the SQLite file, or ./var/).",
            show_default=False,
        ),
    ] = None,
    admin_token: Annotated[
        str | None,
        typer.Option(
            envvar="SYLLABUS_ADMIN_TOKEN",
            help="The server's control-plane token, to print how to call /_syllabus/.",
            show_default=False,
        ),
    ] = None,
    admin_token_file: Annotated[
        Path | None,
        typer.Option(
            "--admin-token-file",
            help="Without an admin token, generate one once and keep it here (make serve "
            "hands it to the server).",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Create and seed a demo site once, then print how to call it (and the control plane)."""
    settings = settings_for(database_url)
    url = settings.database_url
    path = key_file or key_file_for(url, subdomain.strip().lower())
    try:
        with (
            unit_of_work(database_url) as session,
            _progress_bar() as progress,
        ):
            demo = prepare_demo(session, subdomain, read_key(path), progress)
    except SiteError as error:
        raise fail(escape(str(error))) from error
    if demo.new_key:
        save_key(path, demo.key)
    if demo.seeded is not None:
        state = "created and seeded" if demo.created else "seeded"
    else:
        state = "already seeded"
    base = f"http://{host}:{port}{API_PREFIX}"
    console.print(
        f"Demo site {demo.subdomain!r} {state}: {demo.users} users, {demo.courses} courses, "
        f"{demo.enrollments} enrollments.",
        soft_wrap=True,
    )
    console.print(f"API key kept in {escape(str(path))}", soft_wrap=True)
    # Plain echo, never wrapped: these lines are meant to be copied.
    typer.echo(f"api_key: {demo.key}")
    typer.echo(f"Base URL: {base}")
    typer.echo(
        f"curl -s {base}/courses -H 'X-Auth-API-Key: {demo.key}' "
        f"-H 'X-Auth-Subdomain: {demo.subdomain}'"
    )
    console.print(
        rate_limit_line(demo.subdomain, demo.rate_limit, settings.rate_limit_per_minute),
        soft_wrap=True,
    )
    if not admin_token and admin_token_file is not None:
        admin_token, new = kept_admin_token(admin_token_file)
        verb = "generated and kept" if new else "kept"
        console.print(f"Admin token {verb} in {escape(str(admin_token_file))}", soft_wrap=True)
    if not admin_token:
        console.print("The control plane (/_syllabus/) is closed: set SYLLABUS_ADMIN_TOKEN.")
        return
    typer.echo(f"admin_token: {admin_token}")
    typer.echo(
        f"curl -s http://{host}:{port}/_syllabus/sites -H 'Authorization: Bearer {admin_token}'"
    )
