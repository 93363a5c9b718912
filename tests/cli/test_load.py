"""``syllabus load``: declarative content, upserted by natural keys, all or nothing."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import Result

from syllabus.db import Database
from syllabus.models import (
    Base,
    Chapter,
    Content,
    Course,
    CustomProfileFieldDefinition,
    Enrollment,
    Event,
    Group,
    GroupMembership,
    Instructor,
    Product,
    User,
)
from tests.cli.conftest import Run, client_for, one_line, printed_key, site_id_of

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo.yaml"


def site_rows(database: Database, site_id: int | None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the site owns, in every table: what 'nothing changed' compares."""
    assert site_id is not None
    rows = {}
    with database.transaction(write=False) as session:
        for table in Base.metadata.sorted_tables:
            if "site_id" in table.c:
                statement = (
                    select(table)
                    .where(table.c.site_id == site_id)
                    .order_by(*table.primary_key.columns)
                )
                rows[table.name] = [tuple(row) for row in session.execute(statement)]
        admins = Base.metadata.tables["course_admins"]
        statement = (
            select(admins)
            .where(admins.c.user_id.in_(select(User.id).where(User.site_id == site_id)))
            .order_by(admins.c.course_id, admins.c.user_id)
        )
        rows["course_admins"] = [tuple(row) for row in session.execute(statement)]
    return rows


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "content.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@dataclass
class Loader:
    """``syllabus load`` into one fresh subdomain, and what that site then owns."""

    cli: Run
    subdomain: str
    database: Database
    tmp_path: Path

    def __call__(self, content: Path | str = EXAMPLE) -> Result:
        """Load ``content``: a file, or YAML text (dedented and written to content.yaml)."""
        path = content if isinstance(content, Path) else write(self.tmp_path, content)
        return self.cli("load", self.subdomain, str(path))

    @property
    def site_id(self) -> int | None:
        return site_id_of(self.database, self.subdomain)

    def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        return site_rows(self.database, self.site_id)

    def example(self) -> dict[str, list[tuple[Any, ...]]]:
        """Load the example, which must succeed: every row the site then owns."""
        result = self()
        assert result.exit_code == 0, result.output
        return self.rows()


@pytest.fixture
def load(cli: Run, subdomain: str, database: Database, tmp_path: Path) -> Loader:
    return Loader(cli, subdomain, database, tmp_path)


def when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class TestLoadExample:
    def test_creates_the_site_and_every_section(
        self, load: Loader, subdomain: str, http: TestClient, database: Database
    ) -> None:
        result = load()

        assert result.exit_code == 0, result.output
        site = client_for(http, database, subdomain, printed_key(result))

        response = site.get("/users")
        assert response.status_code == 200
        users = {user["email"]: user for user in response.json()["items"]}
        assert list(users) == [
            "ada@example.com",
            "grace@example.com",
            "Linus@Example.com",
            "margaret@example.com",
            "alan@example.com",
        ]
        ada = users["ada@example.com"]
        assert ada["roles"] == ["site_admin"]
        assert ada["company"] == "Analytical Engines Ltd"
        assert ada["headline"] == "Mathematician and first programmer"
        assert {f["label"]: f["value"] for f in ada["custom_profile_fields"]} == {
            "Country": "United Kingdom",
            "Company size": "11-50",
        }
        grace = users["grace@example.com"]
        assert grace["roles"] == ["course_admin"]
        assert len(grace["administered_course_ids"]) == 2
        linus = users["Linus@Example.com"]
        assert linus["roles"] == ["affiliate"]
        assert linus["affiliate_code"] == "LINUS10"
        assert linus["affiliate_commission"] == "10.0"
        assert linus["affiliate_commission_type"] == "%"
        assert linus["affiliate_payout_email"] == "linus.payouts@example.com"
        assert {f["label"]: f["value"] for f in linus["custom_profile_fields"]} == {
            "Country": "Finland",
            "Student number": "2024-0042",
        }
        assert users["margaret@example.com"]["roles"] == ["group_analyst"]
        assert users["alan@example.com"]["external_source"] == "bletchley-sync"

        with database.transaction(write=False) as session:
            definitions = session.scalars(
                select(CustomProfileFieldDefinition)
                .where(CustomProfileFieldDefinition.site_id == site.id)
                .order_by(CustomProfileFieldDefinition.id)
            ).all()
            assert [(d.label, d.field_type, d.required) for d in definitions] == [
                ("Country", "text", False),
                ("Company size", "text", False),
                ("Student number", "text", False),
            ]
            margaret = session.scalars(
                select(User).where(
                    User.site_id == site.id, User.email_key == "margaret@example.com"
                )
            ).one()
            assert margaret.password_hash is not None

            instructors = {
                i.slug: i
                for i in session.scalars(select(Instructor).where(Instructor.site_id == site.id))
            }
            assert set(instructors) == {"grace-hopper", "edsger-dijkstra"}
            hopper = instructors["grace-hopper"]
            assert (hopper.first_name, hopper.last_name, hopper.title) == (
                "Grace",
                "Hopper",
                "Rear Admiral",
            )
            assert hopper.user_id == grace["id"]
            assert instructors["edsger-dijkstra"].user_id is None
            assert (
                instructors["edsger-dijkstra"].avatar_url
                == "https://example.com/avatars/dijkstra.png"
            )

            courses = {
                c.slug: c
                for c in session.scalars(
                    select(Course).where(Course.site_id == site.id).order_by(Course.id)
                )
            }
            assert list(courses) == ["intro-to-python", "data-viz-basics", "algorithms-preview"]
            python = courses["intro-to-python"]
            assert python.name == "Introduction to Python"
            assert python.subtitle == "From zero to scripts in a weekend"
            assert python.duration == "6 hours"
            assert python.reviews_enabled is True
            assert python.instructor_id == hopper.id
            assert set(grace["administered_course_ids"]) == {
                python.id,
                courses["data-viz-basics"].id,
            }
            products = {
                slug: session.get(Product, course.product_id) for slug, course in courses.items()
            }
            product = products["intro-to-python"]
            assert product is not None
            assert product.productable_type == "Course"
            assert product.productable_id == python.id
            assert product.name == "Introduction to Python"
            assert product.slug == "intro-to-python"
            assert product.price == Decimal("49.00")
            assert (product.status, product.hidden, product.private) == ("published", False, False)
            assert product.has_certificate is True
            assert product.days_until_expiry == 365
            viz = products["data-viz-basics"]
            assert viz is not None
            assert (viz.price, viz.hidden) == (Decimal("99.99"), True)
            draft = products["algorithms-preview"]
            assert draft is not None
            assert (draft.price, draft.status, draft.private) == (Decimal("0"), "draft", True)

            structure = []
            for chapter in session.scalars(
                select(Chapter).where(Chapter.course_id == python.id).order_by(Chapter.position)
            ):
                contents = session.scalars(
                    select(Content)
                    .where(Content.chapter_id == chapter.id)
                    .order_by(Content.position)
                ).all()
                assert all(content.course_id == python.id for content in contents)
                structure.append(
                    (
                        chapter.position,
                        chapter.name,
                        [(c.position, c.name, c.contentable_type, c.free) for c in contents],
                    )
                )
            assert structure == [
                (
                    0,
                    "Getting Started",
                    [
                        (0, "Welcome", "Lesson", True),
                        (1, "Installing Python", "Lesson", False),
                        (2, "Setup Checklist", "Download", False),
                    ],
                ),
                (
                    1,
                    "Core Concepts",
                    [
                        (0, "Variables and Types", "Lesson", False),
                        (1, "Functions", "Presentation", False),
                        (2, "Talk Through Functions", "Audio", False),
                        (3, "Check Your Understanding", "Quiz", False),
                    ],
                ),
                (
                    2,
                    "Wrapping Up",
                    [
                        (0, "Final Project", "Assignment", False),
                        (1, "Course Feedback", "Survey", False),
                    ],
                ),
            ]
            types = set(
                session.scalars(select(Content.contentable_type).where(Content.site_id == site.id))
            )
            assert len(types) == 13

            emails = {u["id"]: u["email"].lower() for u in users.values()}
            slugs = {c.id: slug for slug, c in courses.items()}
            enrollments = {
                (emails[e.user_id], slugs[e.course_id]): e
                for e in session.scalars(select(Enrollment).where(Enrollment.site_id == site.id))
            }
            assert len(enrollments) == 5
            done = enrollments["ada@example.com", "intro-to-python"]
            assert done.activated_at == when("2024-01-15T09:00:00")
            assert done.started_at == when("2024-01-15T09:30:00")
            assert done.completed_at == when("2024-02-20T18:00:00")
            assert done.percentage_completed == 1.0
            assert done.is_free_trial is False
            halfway = enrollments["linus@example.com", "intro-to-python"]
            assert halfway.percentage_completed == 0.5
            assert halfway.expiry_date == when("2099-12-31T23:59:59")
            assert halfway.completed_at is None
            assert halfway.started_at == halfway.activated_at == when("2024-03-01T12:00:00")
            expired = enrollments["margaret@example.com", "intro-to-python"]
            assert expired.expiry_date == when("2024-06-01T00:00:00")
            trial = enrollments["alan@example.com", "data-viz-basics"]
            assert (trial.is_free_trial, trial.activated_at) == (True, None)
            assert trial.percentage_completed == 0.0
            waiting = enrollments["margaret@example.com", "data-viz-basics"]
            assert waiting.activated_at == when("2024-05-10T00:00:00")
            assert (waiting.started_at, waiting.completed_at) == (None, None)

            groups = {}
            for group in session.scalars(select(Group).where(Group.site_id == site.id)):
                assert len(group.token) == 8
                groups[group.name] = sorted(
                    emails[user_id]
                    for user_id in session.scalars(
                        select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
                    )
                )
            assert groups == {
                "Apollo Team": ["ada@example.com", "margaret@example.com"],
                "Founders Circle": ["alan@example.com", "grace@example.com", "linus@example.com"],
            }
            events = session.scalars(select(Event).where(Event.site_id == site.id)).all()
            assert events == []

        response = site.get("/users", params={"query[group_id]": 0})
        assert response.status_code == 200

    def test_loading_twice_changes_nothing(self, load: Loader) -> None:
        before = load.example()

        second = load()

        assert second.exit_code == 0, second.output
        assert "api_key:" not in second.stdout
        assert "nothing changed" in one_line(second.stdout)
        assert load.rows() == before

    def test_prints_what_it_created(self, load: Loader) -> None:
        result = load()

        assert result.exit_code == 0, result.output
        lines = {
            " ".join(line.strip("│ ").split("│")[0].split()): line
            for line in result.stdout.splitlines()
        }
        assert [cell.strip() for cell in lines["users"].strip("│").split("│")] == [
            "users",
            "5",
            "0",
            "0",
            "0",
        ]
        assert [cell.strip() for cell in lines["contents"].strip("│").split("│")][1] == "17"


class TestLoadUpdates:
    def test_changes_only_what_the_file_changes(self, load: Loader, database: Database) -> None:
        before = load.example()
        site_id = load.site_id
        result = load(
            """\
            courses:
              - slug: intro-to-python
                name: Introduction to Python
                price: 59
                chapters:
                  - name: Core Concepts
                    contents:
                      - { name: Functions, type: Presentation }
                      - { name: Variables and Types }
                      - { name: Generators, type: Quiz }
            users:
              - email: ADA@example.com
                first_name: Ada
                last_name: Byron
                custom_profile_fields: { Company size: null, Country: France }
                administered_courses: [algorithms-preview]
            groups:
              - name: Apollo Team
                members: [alan@example.com]
            enrollments:
              - user: linus@example.com
                course: intro-to-python
                percentage_completed: 1
            """
        )

        assert result.exit_code == 0, result.output
        after = load.rows()
        assert after["instructors"] == before["instructors"]
        assert (
            after["custom_profile_field_definitions"] == before["custom_profile_field_definitions"]
        )
        with database.transaction(write=False) as session:
            course = session.scalars(
                select(Course).where(Course.site_id == site_id, Course.slug == "intro-to-python")
            ).one()
            assert course.subtitle == "From zero to scripts in a weekend"
            product = session.get(Product, course.product_id)
            assert product is not None
            assert product.price == Decimal("59")
            assert product.has_certificate is True
            chapters = session.scalars(
                select(Chapter).where(Chapter.course_id == course.id).order_by(Chapter.position)
            ).all()
            assert [c.name for c in chapters] == ["Core Concepts"]
            contents = session.scalars(
                select(Content)
                .where(Content.chapter_id == chapters[0].id)
                .order_by(Content.position)
            ).all()
            assert [(c.name, c.contentable_type) for c in contents] == [
                ("Functions", "Presentation"),
                ("Variables and Types", "Lesson"),
                ("Generators", "Quiz"),
            ]
            assert not session.scalars(
                select(Content).where(Content.course_id == course.id, Content.name == "Welcome")
            ).all()
            ada = session.scalars(
                select(User).where(User.site_id == site_id, User.email_key == "ada@example.com")
            ).one()
            assert ada.email == "ADA@example.com"
            assert ada.last_name == "Byron"
            assert ada.company == "Analytical Engines Ltd"
            assert ada.roles == ["course_admin", "site_admin"]
            enrollment = session.scalars(
                select(Enrollment)
                .join(User, User.id == Enrollment.user_id)
                .where(User.site_id == site_id, User.email_key == "linus@example.com")
            ).one()
            assert enrollment.percentage_completed == 1.0
            assert enrollment.completed_at is not None
            assert enrollment.expiry_date == when("2099-12-31T23:59:59")

    def test_a_second_file_can_reference_what_the_first_loaded(
        self, load: Loader, database: Database
    ) -> None:
        load.example()
        result = load(
            """\
            users:
              - email: new@example.com
                first_name: New
                last_name: Student
                custom_profile_fields: { Country: Chile }
            enrollments:
              - { user: new@example.com, course: algorithms-preview }
              - { user: ADA@EXAMPLE.COM, course: data-viz-basics, percentage_completed: 0.2 }
            """
        )

        assert result.exit_code == 0, result.output
        site_id = load.site_id
        with database.transaction(write=False) as session:
            enrollments = session.scalars(
                select(Enrollment).where(Enrollment.site_id == site_id)
            ).all()
        assert len(enrollments) == 7
        started = [e for e in enrollments if e.percentage_completed == 0.2]
        assert len(started) == 1
        assert started[0].started_at is not None

    def test_loads_into_a_seeded_site(self, load: Loader, database: Database) -> None:
        assert load.cli("seed", load.subdomain, "--users", "10", "--courses", "2").exit_code == 0
        result = load()

        assert result.exit_code == 0, result.output
        assert "api_key:" not in result.stdout
        with database.transaction(write=False) as session:
            labels = session.scalars(
                select(CustomProfileFieldDefinition.label).where(
                    CustomProfileFieldDefinition.site_id == load.site_id
                )
            ).all()
        assert sorted(labels) == ["Company size", "Country", "Job title", "Student number"]


INVALID = [
    pytest.param(
        """\
        courses:
          - slug: c
            name: C
            chapters:
              - name: One
                contents:
                  - { name: A }
                  - { name: B, type: Video }
        """,
        "courses[0].chapters[0].contents[1].type: must be one of Assignment, Audio, Download, "
        "BrilliumExam, Disqus, HtmlItem, Iframe, LiveLesson, Lesson, Pdf, Presentation, Quiz, "
        "Survey (got 'Video')",
        id="content-type",
    ),
    pytest.param(
        "users:\n  - { email: a@example.com, last_name: A }\n",
        "users[0].first_name: is required",
        id="missing-field",
    ),
    pytest.param(
        "courses:\n  - { slug: c, name: C, prise: 10 }\n",
        "courses[0].prise: is not a known field",
        id="unknown-field",
    ),
    pytest.param(
        "lessons: []\n",
        "lessons: is not a known field",
        id="unknown-section",
    ),
    pytest.param(
        "users:\n  - { email: not-an-email, first_name: A, last_name: B }\n",
        "users[0].email: is invalid",
        id="bad-email",
    ),
    pytest.param(
        "users:\n  - { email: a@example.com, first_name: '  ', last_name: B }\n",
        "users[0].first_name: can't be blank",
        id="blank",
    ),
    pytest.param(
        "users:\n  - { email: a@example.com, first_name: A, last_name: B, roles: [admin] }\n",
        "users[0].roles[0]: must be one of 'affiliate', 'course_admin', 'group_analyst' or "
        "'site_admin' (got 'admin')",
        id="bad-role",
    ),
    pytest.param(
        "courses:\n  - { slug: Not A Slug, name: C }\n",
        "courses[0].slug: must be lowercase letters, digits and single hyphens",
        id="bad-slug",
    ),
    pytest.param(
        "courses:\n  - { slug: c, name: C, price: -1 }\n",
        "courses[0].price: input should be greater than or equal to 0",
        id="negative-price",
    ),
    pytest.param(
        "courses:\n  - { slug: c, name: C, status: live }\n",
        "courses[0].status: must be one of 'published' or 'draft' (got 'live')",
        id="bad-status",
    ),
    pytest.param(
        """\
        users:
          - { email: a@example.com, first_name: A, last_name: B }
          - { email: A@Example.com, first_name: A, last_name: B }
        """,
        "users[1].email: 'a@example.com' is already given by users[0]",
        id="duplicate-user",
    ),
    pytest.param(
        "courses:\n  - { slug: c, name: C }\n  - { slug: c, name: D }\n",
        "courses[1].slug: 'c' is already given by courses[0]",
        id="duplicate-course",
    ),
    pytest.param(
        """\
        users:
          - { email: a@example.com, first_name: A, last_name: B }
        courses:
          - { slug: c, name: C }
        enrollments:
          - { user: a@example.com, course: c }
          - { user: a@example.com, course: x }
        """,
        "enrollments[1].course: no course with slug 'x' in the file or the site",
        id="unknown-course",
    ),
    pytest.param(
        """\
        courses:
          - { slug: c, name: C }
        enrollments:
          - { user: ghost@example.com, course: c }
        """,
        "enrollments[0].user: no user with email 'ghost@example.com' in the file or the site",
        id="unknown-user",
    ),
    pytest.param(
        "groups:\n  - { name: G, members: [ghost@example.com] }\n",
        "groups[0].members[0]: no user with email 'ghost@example.com' in the file or the site",
        id="unknown-member",
    ),
    pytest.param(
        "courses:\n  - { slug: c, name: C, instructor: nobody }\n",
        "courses[0].instructor: no instructor with slug 'nobody' in the file or the site",
        id="unknown-instructor",
    ),
    pytest.param(
        """\
        users:
          - email: a@example.com
            first_name: A
            last_name: B
            custom_profile_fields: { Shoe size: '42' }
        """,
        "users[0].custom_profile_fields: no custom profile field definition labelled "
        "'Shoe size' in the file or the site",
        id="unknown-label",
    ),
    pytest.param(
        """\
        custom_profile_field_definitions:
          - { label: Country, required: true }
        users:
          - { email: a@example.com, first_name: A, last_name: B }
        """,
        "users[0].custom_profile_fields: 'Country' is required for a new user",
        id="required-field",
    ),
    pytest.param(
        """\
        users:
          - { email: a@example.com, first_name: A, last_name: B, administered_courses: [x] }
        """,
        "users[0].administered_courses[0]: no course with slug 'x' in the file or the site",
        id="unknown-administered-course",
    ),
    pytest.param(
        """\
        enrollments:
          - { user: a@example.com, course: c, is_free_trial: true, activated_at: 2024-01-01 }
        """,
        "enrollments[0].activated_at: a free trial is not activated; remove it",
        id="activated-trial",
    ),
    pytest.param(
        """\
        enrollments:
          - { user: a@example.com, course: c, percentage_completed: 1.5 }
        """,
        "enrollments[0].percentage_completed: input should be less than or equal to 1",
        id="percentage",
    ),
    pytest.param(
        """\
        enrollments:
          - { user: a@example.com, course: c, activated_at: someday }
        """,
        "enrollments[0].activated_at: input should be a valid datetime",
        id="bad-date",
    ),
    pytest.param(
        "# broken\ncourses: [\n",
        "content.yaml: line 3, column 1: expected the node content, but found '<stream end>'",
        id="yaml-syntax",
    ),
    pytest.param(
        "- just\n- a list\n",
        "(top level): must be a mapping with sections like 'courses:' and 'users:'",
        id="not-a-mapping",
    ),
    pytest.param(
        "users: {email: a@example.com}\n",
        "users: input should be a valid list",
        id="section-not-a-list",
    ),
]


class TestLoadValidation:
    @pytest.mark.parametrize(("text", "message"), INVALID)
    def test_rejects_the_file_and_creates_nothing(
        self, load: Loader, text: str, message: str
    ) -> None:
        # Valid content first, so a failure would leave something behind if it were written.
        result = load(
            "custom_profile_field_definitions:\n  - { label: Zodiac }\n" + textwrap.dedent(text)
            if text.startswith(("users", "courses", "enrollments", "groups"))
            else text
        )

        assert result.exit_code == 1, result.output
        assert message in one_line(result.stderr)
        assert "error:" in result.stderr
        assert load.site_id is None

    def test_an_invalid_file_changes_nothing_in_an_existing_site(self, load: Loader) -> None:
        before = load.example()
        result = load(
            """\
            custom_profile_field_definitions:
              - { label: Country, required: true }
            users:
              - { email: ada@example.com, first_name: Ada, last_name: Changed }
              - { email: new@example.com, first_name: N, last_name: U, custom_profile_fields: { Country: Peru } }
            courses:
              - slug: intro-to-python
                name: Renamed
                chapters: []
            enrollments:
              - { user: ada@example.com, course: data-viz-basics }
              - { user: ada@example.com, course: missing-course }
            """
        )

        assert result.exit_code == 1
        assert "enrollments[1].course: no course with slug 'missing-course'" in one_line(
            result.stderr
        )
        assert load.rows() == before

    def test_reports_every_problem(self, load: Loader) -> None:
        result = load(
            """\
            users:
              - { email: bad, first_name: A }
            courses:
              - { slug: c, name: C, hidden: maybe }
            """
        )

        assert result.exit_code == 1
        errors = one_line(result.stderr)
        assert "users[0].email: is invalid" in errors
        assert "users[0].last_name: is required" in errors
        assert "courses[0].hidden: input should be a valid boolean" in errors

    def test_a_missing_file_fails(self, load: Loader) -> None:
        result = load(load.tmp_path / "nope.yaml")

        assert result.exit_code == 1
        assert "No such file or directory" in one_line(result.stderr)

    def test_an_empty_file_only_creates_the_site(self, load: Loader) -> None:
        result = load("")

        assert result.exit_code == 0, result.output
        printed_key(result)
        assert load.site_id is not None
