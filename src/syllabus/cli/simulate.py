"""``syllabus simulate``: student activity, which Thinkific's Admin API cannot cause.

The same simulation as ``POST /_syllabus/sites/{subdomain}/simulate/...``
(``simulate/service.py``), each command one transaction on the database: what it changes and
the events it records commit together, or, on bad input, nothing does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import typer
from rich.markup import escape

from syllabus.cli.app import (
    DatabaseUrlOption,
    app,
    fail,
    problems_of,
    settings_for,
    unit_of_work,
)
from syllabus.context import Scope
from syllabus.errors import ApiError
from syllabus.simulate.schemas import MAX_ANSWERS
from syllabus.simulate.service import SimulationService
from syllabus.sites.service import SiteError, get_site

T = TypeVar("T")

simulate_app = typer.Typer(
    no_args_is_help=True,
    help="Student activity, recorded with its webhook topics: lessons completed, sign-ins, "
    "quiz attempts.",
)
app.add_typer(simulate_app, name="simulate")

UserOption = Annotated[int, typer.Option("--user", help="The student's user id.")]
ContentOption = Annotated[int, typer.Option("--content", help="The content's id.")]


def _simulate(
    subdomain: str, database_url: str | None, work: Callable[[SimulationService], T]
) -> T:
    settings = settings_for(database_url)
    try:
        with unit_of_work(database_url) as session:
            scope = Scope.for_site(session, get_site(session, subdomain), settings)
            return work(SimulationService(scope))
    except SiteError as error:
        raise fail(escape(str(error))) from error
    except ApiError as error:
        raise fail(escape(problems_of(error))) from error


@simulate_app.command("lesson-completed")
def lesson_completed(
    subdomain: str,
    user: UserOption,
    content: ContentOption,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Complete a lesson (any content) of a course the user is enrolled in; print the
    enrollment's progress and the topics recorded."""
    progress = _simulate(subdomain, database_url, lambda s: s.lesson_completed(user, content))
    if progress.recorded:
        typer.echo(f"lesson {content} completed: recorded {', '.join(progress.recorded)}")
    else:
        typer.echo(f"lesson {content} was already completed: nothing recorded")
    enrollment = progress.enrollment
    line = (
        f"enrollment {enrollment['id']}: percentage_completed {enrollment['percentage_completed']}"
    )
    if enrollment["completed"]:
        line += f", completed at {enrollment['completed_at']}"
    typer.echo(line)


@simulate_app.command("user-signin")
def user_signin(subdomain: str, user: UserOption, database_url: DatabaseUrlOption = None) -> None:
    """Sign a user in; record user.signin."""
    signed_in = _simulate(subdomain, database_url, lambda s: s.user_signin(user))
    typer.echo(f"user {user} ({signed_in['email']}) signed in: recorded user.signin")


@simulate_app.command("quiz-attempted")
def quiz_attempted(
    subdomain: str,
    user: UserOption,
    content: Annotated[int, typer.Option("--content", help="The quiz's content id.")],
    correct: Annotated[
        int, typer.Option("--correct", min=0, max=MAX_ANSWERS, help="Answers right.")
    ] = 1,
    incorrect: Annotated[
        int, typer.Option("--incorrect", min=0, max=MAX_ANSWERS, help="Answers wrong.")
    ] = 0,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Attempt a quiz of a course the user is enrolled in; record quiz.attempted. The attempt
    does not complete the quiz: lesson-completed does."""
    payload = _simulate(
        subdomain, database_url, lambda s: s.quiz_attempted(user, content, correct, incorrect)
    )
    typer.echo(
        f"quiz {content}: attempt {payload['attempts']}, grade {payload['grade']} "
        f"({correct} right, {incorrect} wrong): recorded quiz.attempted"
    )
