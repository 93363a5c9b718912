"""``syllabus simulate``: the control plane's simulation of student activity from the command
line."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Run, one_line
from tests.events.helpers import alphabetical, assert_recorded, topics
from tests.factories import make_user
from tests.orders.helpers import NO_SUCH_ID, NOW_TEXT, frozen_clock
from tests.simulate.helpers import (
    attempts,
    completions,
    lesson_payload,
    new_classroom,
    quiz_payload,
)
from tests.support import SiteClient
from tests.users.helpers import user_body

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)


def test_lesson_completed_prints_the_progress(cli: Run, site: SiteClient) -> None:
    classroom = new_classroom(site, ("Lesson", "Lesson"))
    first, last = classroom.lessons
    student = str(classroom.student.id)

    def complete(lesson: int) -> str:
        result = cli(
            "simulate",
            "lesson-completed",
            site.subdomain,
            "--user",
            student,
            "--content",
            str(lesson),
        )
        assert result.exit_code == 0, result.output
        return result.stdout

    assert complete(first.id) == (
        f"lesson {first.id} completed: recorded lesson.completed, enrollment.progress\n"
        f"enrollment {classroom.enrollment}: percentage_completed 0.5\n"
    )
    assert complete(first.id) == (
        f"lesson {first.id} was already completed: nothing recorded\n"
        f"enrollment {classroom.enrollment}: percentage_completed 0.5\n"
    )
    assert complete(last.id) == (
        f"lesson {last.id} completed: recorded lesson.completed, enrollment.progress, "
        "enrollment.completed\n"
        f"enrollment {classroom.enrollment}: percentage_completed 1.0, completed at {NOW_TEXT}\n"
    )
    done = classroom.body(
        percentage_completed="1.0",
        completed=True,
        completed_at=NOW_TEXT,
        started_at=NOW_TEXT,
        updated_at=NOW_TEXT,
    )
    assert site.get(f"/enrollments/{classroom.enrollment}").json() == done
    payload = classroom.payload(
        percentage_completed="1.0", completed_at=NOW_TEXT, started_at=NOW_TEXT, updated_at=NOW_TEXT
    )
    assert_recorded(
        site,
        ("lesson.completed", lesson_payload(classroom, first)),
        (
            "enrollment.progress",
            classroom.payload(percentage_completed="0.5", started_at=NOW_TEXT, updated_at=NOW_TEXT),
        ),
        ("lesson.completed", lesson_payload(classroom, last)),
        ("enrollment.progress", payload),
        ("enrollment.completed", payload),
    )


def test_user_signin(cli: Run, site: SiteClient) -> None:
    user = make_user(site, first_name="Bob", last_name="Smith", email="bob@example.com")
    result = cli("simulate", "user-signin", site.subdomain, "--user", str(user))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"user {user} (bob@example.com) signed in: recorded user.signin\n"
    assert_recorded(
        site, ("user.signin", alphabetical(user_body(user, "2024-02-22T20:32:52.726Z")))
    )


def test_quiz_attempted(cli: Run, site: SiteClient) -> None:
    classroom = new_classroom(site, ("Quiz",))
    quiz = classroom.lessons[0]
    arguments = ["--user", str(classroom.student.id), "--content", str(quiz.id)]

    first = cli("simulate", "quiz-attempted", site.subdomain, *arguments)
    second = cli(
        "simulate",
        "quiz-attempted",
        site.subdomain,
        *arguments,
        "--correct",
        "3",
        "--incorrect",
        "1",
    )

    assert (first.exit_code, second.exit_code) == (0, 0), first.output + second.output
    assert (
        first.stdout
        == f"quiz {quiz.id}: attempt 1, grade 100.0 (1 right, 0 wrong): recorded quiz.attempted\n"
    )
    assert (
        second.stdout
        == f"quiz {quiz.id}: attempt 2, grade 75.0 (3 right, 1 wrong): recorded quiz.attempted\n"
    )
    ids = [row[0] for row in attempts(site)]
    assert_recorded(
        site,
        ("quiz.attempted", quiz_payload(classroom, quiz, ids[0])),
        (
            "quiz.attempted",
            quiz_payload(
                classroom, quiz, ids[1], attempts=2, correct_count=3, incorrect_count=1, grade=75.0
            ),
        ),
    )
    assert completions(site) == []


@pytest.mark.parametrize(
    ("command", "user", "content", "message"),
    [
        ("lesson-completed", NO_SUCH_ID, None, "user_id: User could not be found."),
        ("lesson-completed", None, NO_SUCH_ID, "content_id: Content could not be found."),
        ("lesson-completed", None, "elsewhere", "user_id: is not enrolled in this course"),
        ("quiz-attempted", None, "lesson", "content_id: is not a quiz"),
        ("quiz-attempted", None, "elsewhere", "user_id: is not enrolled in this course"),
        ("user-signin", NO_SUCH_ID, None, "user_id: User could not be found."),
    ],
    ids=[
        "lesson-unknown-user",
        "lesson-unknown-content",
        "lesson-not-enrolled",
        "quiz-not-a-quiz",
        "quiz-not-enrolled",
        "signin-unknown-user",
    ],
)
def test_refused_input_exits_1_with_the_reason_and_writes_nothing(
    cli: Run,
    site: SiteClient,
    command: str,
    user: int | None,
    content: int | str | None,
    message: str,
) -> None:
    classroom = new_classroom(site, ("Lesson", "Quiz"))
    elsewhere = new_classroom(site, ("Quiz",))
    contents = {
        None: classroom.lessons[1].id,
        "lesson": classroom.lessons[0].id,
        "elsewhere": elsewhere.lessons[0].id,
    }
    arguments = ["--user", str(user or classroom.student.id)]
    if command != "user-signin":
        arguments += ["--content", str(contents.get(content, content))]

    result = cli("simulate", command, site.subdomain, *arguments)

    assert result.exit_code == 1
    assert one_line(result.stderr) == f"error: {message}"
    assert result.stdout == ""
    assert (topics(site), completions(site), attempts(site)) == ([], [], [])
    assert site.get(f"/enrollments/{classroom.enrollment}").json() == classroom.body()


def test_a_quiz_attempt_with_no_answers_exits_1(cli: Run, site: SiteClient) -> None:
    classroom = new_classroom(site, ("Quiz",))
    result = cli(
        "simulate",
        "quiz-attempted",
        site.subdomain,
        "--user",
        str(classroom.student.id),
        "--content",
        str(classroom.lessons[0].id),
        "--correct",
        "0",
    )
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        "error: base: correct_count and incorrect_count are both 0: an attempt answers a question"
    )
    assert attempts(site) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["lesson-completed", "--user", "1", "--content", "1"],
        ["user-signin", "--user", "1"],
        ["quiz-attempted", "--user", "1", "--content", "1"],
    ],
    ids=["lesson", "signin", "quiz"],
)
def test_an_unknown_site_exits_1(cli: Run, arguments: list[str]) -> None:
    command, *options = arguments
    result = cli("simulate", command, "no-such-site", *options)
    assert result.exit_code == 1
    assert one_line(result.stderr) == "error: no site with subdomain 'no-such-site'"


@pytest.mark.parametrize(
    "arguments",
    [
        ["lesson-completed", "--user", "one", "--content", "1"],
        ["quiz-attempted", "--user", "1", "--content", "1", "--correct", "-1"],
    ],
    ids=["user-not-a-number", "negative-count"],
)
def test_malformed_options_are_usage_errors(
    cli: Run, site: SiteClient, arguments: list[str]
) -> None:
    command, *options = arguments
    result = cli("simulate", command, site.subdomain, *options)
    assert result.exit_code == 2
    assert topics(site) == []
