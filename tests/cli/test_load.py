"""``syllabus load``: declarative content, upserted by natural keys, all or nothing."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import Result

from syllabus.clock import clock
from syllabus.db import Database
from syllabus.errors import Unprocessable
from syllabus.models import (
    Base,
    Bundle,
    Chapter,
    Collection,
    Content,
    Coupon,
    Course,
    CourseReview,
    CustomProfileFieldDefinition,
    Enrollment,
    Event,
    ExternalOrder,
    ExternalOrderTransaction,
    Group,
    GroupMembership,
    Instructor,
    JournalEntry,
    Product,
    ProductPrice,
    ProductPublishRequest,
    Promotion,
    SiteScript,
    User,
    group_analysts,
)
from syllabus.orders.service import CheckoutService
from tests.bundles.helpers import bundle_body
from tests.categories.helpers import category_body
from tests.cli.conftest import Run, client_for, one_line, printed_key, site_id_of
from tests.control.test_seed_load import events_of
from tests.course_reviews.helpers import review_body
from tests.factories import (
    FIXED,
    make_course,
    make_instructor,
    make_publish_request,
    make_user,
)
from tests.orders.helpers import Buyer, Item, frozen_clock, order_body
from tests.product_publish_requests.helpers import request_body
from tests.products.helpers import Made, price_body, product_body
from tests.promotions.helpers import coupon_body, promotion_body
from tests.site_scripts.helpers import FIELD_ORDER, script_body
from tests.support import SiteClient, assert_answers

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo.yaml"


def site_rows(database: Database, site_id: int | None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the site owns, in every table: what 'nothing changed' compares. The request
    journal is left out: it records the test's own requests, written in the background."""
    assert site_id is not None
    rows = {}
    with database.transaction(write=False) as session:
        for table in Base.metadata.sorted_tables:
            if "site_id" in table.c and table.name != JournalEntry.__tablename__:
                statement = (
                    select(table)
                    .where(table.c.site_id == site_id)
                    .order_by(*table.primary_key.columns)
                )
                rows[table.name] = [tuple(row) for row in session.execute(statement)]
        # The link tables without a site_id, by their users.
        for name in ("course_admins", "group_analysts"):
            table = Base.metadata.tables[name]
            statement = (
                select(table)
                .where(table.c.user_id.in_(select(User.id).where(User.site_id == site_id)))
                .order_by(*table.c)
            )
            rows[name] = [tuple(row) for row in session.execute(statement)]
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
        assert len(grace["administered_course_ids"]) == 3
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
                courses["algorithms-preview"].id,
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
            # The file's five, and four that its orders made.
            assert len(enrollments) == 9
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
            # Only the courses, the products and the orders (through checkout) record events.
            events = session.scalars(select(Event).where(Event.site_id == site.id)).all()
            assert {(event.resource, event.action) for event in events} == {
                ("course", "created"),
                ("product", "created"),
                ("order", "created"),
                ("enrollment", "created"),
            }

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
                .where(
                    User.site_id == site_id,
                    User.email_key == "linus@example.com",
                    Enrollment.course_id == course.id,
                )
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
        assert len(enrollments) == 11
        started = [e for e in enrollments if e.percentage_completed == 0.2]
        assert len(started) == 1
        assert started[0].started_at is not None

    def test_names_an_instructor_by_the_slug_the_api_gave_it(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = client_for(http, database, load.subdomain, printed_key(load("")))
        # Any text, as the API takes a slug.
        instructor = make_instructor(site, first_name="Who", last_name="Ever", slug="Dr. Who_2")
        file = """\
            instructors:
              - { slug: Dr. Who_2, first_name: The, last_name: Doctor }
            courses:
              - { slug: time, name: Time, instructor: Dr. Who_2 }
            """

        result = load(file)

        assert result.exit_code == 0, result.output
        assert tally_of(result, "instructors") == ["0", "1", "0", "0"]

        def read(session: Any) -> tuple[Any, ...]:
            row = session.get_one(Instructor, instructor)
            course = session.scalars(select(Course).where(Course.site_id == site.id)).one()
            return row.slug, row.first_name, row.last_name, course.instructor_id

        assert site.db(read) == ("Dr. Who_2", "The", "Doctor", instructor)
        assert "nothing changed" in one_line(load(file).stdout)

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


NOW_TEXT = "2025-01-10T09:15:30.250Z"  # tests.orders.helpers' frozen now, as the wire writes it


def items_of(site: SiteClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = site.get(path, params={"limit": 250, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@dataclass(frozen=True)
class Sold:
    """A course or bundle the example declares, and its product (with its primary price)."""

    made: Made
    price_id: int


def sold(site: SiteClient, model: type[Course] | type[Bundle], slug: str) -> Sold:
    def read(session: Any) -> Sold:
        row = session.scalars(
            select(model).where(model.site_id == site.id, model.slug == slug)
        ).one()
        price = session.scalars(
            select(ProductPrice.id).where(ProductPrice.product_id == row.product_id)
        ).one()
        return Sold(Made(row.id, row.product_id, row.name, slug), price)

    return site.db(read)


def id_of(site: SiteClient, model: Any, **equal: Any) -> int:
    statement = select(model.id).where(
        model.site_id == site.id, *(getattr(model, k) == v for k, v in equal.items())
    )
    return int(site.db(lambda session: session.scalars(statement).one()))


def loaded_site(load: Loader, http: TestClient, database: Database, text: str = "") -> SiteClient:
    """The example loaded (then ``text``, if given), and a client of the site."""
    first = load()
    assert first.exit_code == 0, first.output
    if text:
        second = load(text)
        assert second.exit_code == 0, second.output
    return client_for(http, database, load.subdomain, printed_key(first))


@dataclass(frozen=True)
class Example:
    """The example's products, as the load leaves them."""

    python: Sold
    viz: Sold
    algorithms: Sold
    bundle: Sold

    @classmethod
    def of(cls, site: SiteClient) -> Example:
        return cls(
            sold(site, Course, "intro-to-python"),
            sold(site, Course, "data-viz-basics"),
            sold(site, Course, "algorithms-preview"),
            sold(site, Bundle, "python-and-viz"),
        )

    def viz_product(self, all_id: int, price: str) -> dict[str, Any]:
        """The product of the example's data-viz course, at ``price``."""
        viz = self.viz
        return product_body(
            viz.made,
            created_at=NOW_TEXT,
            price=price,
            position=1,
            hidden=True,
            collection_ids=[all_id],
            product_prices=[price_body(viz.price_id, viz.made.name, price=price)],
            instructor_names="Edsger Dijkstra",
        )

    def products(self, all_id: int, programming_id: int) -> list[dict[str, Any]]:
        """``GET /products``: the example's products, as the whole file leaves them."""
        python, algorithms, bundle = self.python, self.algorithms, self.bundle
        return [
            product_body(
                python.made,
                created_at=NOW_TEXT,
                price="49.0",
                has_certificate=True,
                days_until_expiry=365,
                keywords="python, programming, beginners",
                description="<p>Variables, functions, files and a first project.</p>",
                collection_ids=sorted([all_id, programming_id]),
                product_prices=[price_body(python.price_id, python.made.name)],
                instructor_names="Grace Hopper",
            ),
            self.viz_product(all_id, "99.99"),
            product_body(
                algorithms.made,
                created_at=NOW_TEXT,
                price="0.0",
                position=2,
                status="draft",
                private=True,
                collection_ids=[programming_id],
                product_prices=[
                    price_body(
                        algorithms.price_id,
                        algorithms.made.name,
                        price="0.0",
                        payment_type="free",
                    )
                ],
                instructor_names="Edsger Dijkstra",
            ),
            product_body(
                bundle.made,
                created_at=NOW_TEXT,
                productable_type="Bundle",
                price="129.0",
                position=3,
                has_certificate=True,
                description="<p>Both courses, for less.</p>",
                collection_ids=sorted([all_id, programming_id]),
                product_prices=[price_body(bundle.price_id, bundle.made.name, price="129.0")],
                instructor_names="Grace Hopper, Edsger Dijkstra",
            ),
        ]


def alphabetical(body: dict[str, Any]) -> dict[str, Any]:
    """A webhook payload: the API object with alphabetical keys (FIDELITY §7.2)."""
    return {key: body[key] for key in sorted(body)}


@pytest.mark.usefixtures(frozen_clock.__name__)
class TestLoadCommerce:
    def test_sells_the_examples_products(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(load, http, database)
        example = Example.of(site)
        all_id = id_of(site, Collection, slug="all")
        programming_id = id_of(site, Collection, slug="programming")

        expected = example.products(all_id, programming_id)
        assert items_of(site, "/products") == expected
        assert_answers(
            site.get(f"/bundles/{example.bundle.made.id}"),
            200,
            bundle_body(
                example.bundle.made.id,
                "Python and Data Viz",
                "python-and-viz",
                description="<p>Both courses, for less.</p>",
                banner_image_url="https://example.com/banners/python-and-viz.png",
                course_ids=[example.python.made.id, example.viz.made.id],
                bundle_card_image_url="https://example.com/cards/python-and-viz.png",
                tagline="Code, then chart",
            ),
        )
        assert items_of(site, "/collections") == [
            category_body(
                all_id,
                "All Courses",
                "all",
                created_at=NOW_TEXT,
                default=True,
                product_ids=sorted(
                    [
                        example.python.made.product_id,
                        example.viz.made.product_id,
                        example.bundle.made.product_id,
                    ]
                ),
            ),
            category_body(
                programming_id,
                "Programming",
                "programming",
                description="Learn to write code.",
                created_at=NOW_TEXT,
                product_ids=sorted(
                    [
                        example.python.made.product_id,
                        example.algorithms.made.product_id,
                        example.bundle.made.product_id,
                    ]
                ),
            ),
        ]
        # The products were created before the categories took them in.
        created = [e for e in events_of(site) if e["resource"] == "product"]
        assert [(e["action"], e["payload"]) for e in created] == [
            ("created", alphabetical({**body, "collection_ids": []})) for body in expected
        ]
        assert all(list(e["payload"]) == sorted(e["payload"]) for e in created)

    def test_makes_the_examples_promotions_and_orders_through_checkout(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(load, http, database)
        example = Example.of(site)
        spring = id_of(site, Promotion, name="Spring Sale")
        launch = id_of(site, Promotion, name="Bundle Launch")
        spring20 = id_of(site, Coupon, code="SPRING20")
        launch30 = id_of(site, Coupon, code="LAUNCH30")

        assert items_of(site, "/promotions") == [
            promotion_body(
                spring,
                name="Spring Sale",
                description="20% off everything",
                starts_at="2024-03-01T00:00:00.000Z",
                amount="20.0",
                coupon_ids=[spring20],
                created_at=NOW_TEXT,
            ),
            promotion_body(
                launch,
                name="Bundle Launch",
                expires_at="2099-01-01T00:00:00.000Z",
                discount_type="fixed",
                amount="30.0",
                coupon_ids=[launch30],
                product_ids=[example.bundle.made.product_id],
                created_at=NOW_TEXT,
            ),
        ]
        # Each was used once, by checkout.
        assert items_of(site, "/coupons", promotion_id=spring) == [
            coupon_body(
                spring20,
                spring,
                "SPRING20",
                note="Newsletter",
                quantity=100,
                quantity_used=1,
                created_at=NOW_TEXT,
            )
        ]
        assert items_of(site, "/coupons", promotion_id=launch) == [
            coupon_body(launch30, launch, "LAUNCH30", quantity_used=1, created_at=NOW_TEXT)
        ]

        grace = Buyer(
            id_of(site, User, email_key="grace@example.com"), "grace@example.com", "Grace", "Hopper"
        )
        linus = Buyer(
            id_of(site, User, email_key="linus@example.com"),
            "Linus@Example.com",
            "Linus",
            "Torvalds",
        )
        ada = Buyer(
            id_of(site, User, email_key="ada@example.com"), "ada@example.com", "Ada", "Lovelace"
        )
        bundle = Item(example.bundle.made.product_id, "Python and Data Viz")
        viz = Item(example.viz.made.product_id, "Data Visualization Basics")
        algorithms = Item(example.algorithms.made.product_id, "Algorithms (Coming Soon)")
        orders = items_of(site, "/orders")
        ids = [order["id"] for order in orders]
        # $129 less $30; $99.99 less 20%, to the cent; free.
        assert orders == [
            order_body(
                ids[0],
                grace,
                bundle,
                9900,
                coupon_code="LAUNCH30",
                coupon_id=launch30,
                created_at=NOW_TEXT,
            ),
            order_body(
                ids[1],
                linus,
                viz,
                7999,
                coupon_code="SPRING20",
                coupon_id=spring20,
                created_at=NOW_TEXT,
            ),
            order_body(ids[2], ada, algorithms, 0, created_at=NOW_TEXT),
        ]
        # Checkout enrolled each buyer, and recorded the order, then its enrollments.
        enrolled = {
            (e["user_email"], e["course_name"], e["activated_at"])
            for e in items_of(site, "/enrollments")
            if e["activated_at"] == NOW_TEXT
        }
        assert enrolled == {
            ("grace@example.com", "Introduction to Python", NOW_TEXT),
            ("grace@example.com", "Data Visualization Basics", NOW_TEXT),
            ("Linus@Example.com", "Data Visualization Basics", NOW_TEXT),
            ("ada@example.com", "Algorithms (Coming Soon)", NOW_TEXT),
        }
        topics = [f"{e['resource']}.{e['action']}" for e in events_of(site)]
        # Each course's product, then the course (three courses); then the bundle's product.
        assert topics == [
            *["product.created", "course.created"] * 3,
            "product.created",
            "order.created",
            "enrollment.created",
            "enrollment.created",
            "order.created",
            "enrollment.created",
            "order.created",
            "enrollment.created",
        ]
        orders_recorded = [e["payload"]["id"] for e in events_of(site) if e["resource"] == "order"]
        assert orders_recorded == ids

    def test_stores_the_examples_external_order_without_enrolling(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(load, http, database)
        margaret = id_of(site, User, email_key="margaret@example.com")
        python = Example.of(site).python.made.product_id

        def stored(session: Any) -> list[tuple[Any, ...]]:
            order = session.scalars(
                select(ExternalOrder).where(ExternalOrder.site_id == site.id)
            ).one()
            transactions = session.scalars(
                select(ExternalOrderTransaction)
                .where(ExternalOrderTransaction.external_order_id == order.id)
                .order_by(ExternalOrderTransaction.id)
            ).all()
            return [
                (order.user_id, order.product_id, order.payment_provider, order.order_type),
                *((t.action, t.amount, t.currency, t.reference) for t in transactions),
            ]

        assert site.db(stored) == [
            (margaret, python, "Stripe", "one-time"),
            ("purchase", 4900, "USD", "ch_1001"),
            ("refund", 900, "USD", "re_1001"),
        ]
        # Margaret's enrollment in the course is the file's own (expired), not a purchase's.
        enrollments = items_of(site, "/enrollments", **{"query[user_id]": margaret})
        python_enrollment = [e for e in enrollments if e["course_name"] == "Introduction to Python"]
        assert [e["activated_at"] for e in python_enrollment] == ["2023-06-01T00:00:00.000Z"]

    def test_loading_twice_buys_once_and_records_nothing_new(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(load, http, database)
        events = events_of(site)
        rows = load.rows()

        again = load()

        assert again.exit_code == 0, again.output
        assert "nothing changed" in one_line(again.stdout)
        assert tally_of(again, "orders") == ["0", "0", "3", "0"]
        assert tally_of(again, "bundles") == ["0", "0", "1", "0"]
        assert tally_of(again, "coupons") == ["0", "0", "2", "0"]
        assert events_of(site) == events
        assert load.rows() == rows

    def test_a_second_file_changes_what_it_declares(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(load, http, database)
        example = Example.of(site)
        before = len(events_of(site))
        spring = id_of(site, Promotion, name="Spring Sale")
        result = load(
            """\
            courses:
              - { slug: data-viz-basics, name: Data Visualization Basics, price: 89 }
            bundles:
              - slug: python-and-viz
                name: Python and Data Viz
                courses: [data-viz-basics, intro-to-python]
            categories:
              - { slug: programming, products: [python-and-viz] }
            promotions:
              - name: Spring Sale
                discount_type: percentage
                amount: 25
                coupons:
                  - { code: SPRING25 }
            orders:
              # Already bought: left alone.
              - { user: grace@example.com, product: python-and-viz }
              # With a coupon this same file makes.
              - { user: margaret@example.com, product: python-and-viz, coupon: SPRING25 }
            external_orders:
              - user: margaret@example.com
                product: intro-to-python
                payment_provider: Stripe
                order_type: one-time
                transactions:
                  - { action: purchase, amount: 1, currency: usd }
            """
        )

        assert result.exit_code == 0, result.output
        assert tally_of(result, "courses") == ["0", "1", "0", "0"]
        assert tally_of(result, "bundles") == ["0", "1", "0", "0"]
        assert tally_of(result, "categories") == ["0", "1", "0", "0"]
        assert tally_of(result, "promotions") == ["0", "1", "0", "0"]
        assert tally_of(result, "coupons") == ["1", "0", "0", "1"]
        assert tally_of(result, "orders") == ["1", "0", "1", "0"]
        assert tally_of(result, "external orders") == ["0", "0", "1", "0"]
        viz = example.viz
        updated = example.viz_product(id_of(site, Collection, slug="all"), "89.0")
        assert_answers(site.get(f"/products/{viz.made.product_id}"), 200, updated)
        bundle = example.bundle.made
        assert site.get(f"/bundles/{bundle.id}").json()["course_ids"] == [
            viz.made.id,
            example.python.made.id,
        ]
        programming = id_of(site, Collection, slug="programming")
        assert site.get(f"/collections/{programming}").json()["product_ids"] == [bundle.product_id]
        spring25 = id_of(site, Coupon, code="SPRING25")
        assert items_of(site, "/coupons", promotion_id=spring) == [
            coupon_body(spring25, spring, "SPRING25", quantity_used=1, created_at=NOW_TEXT)
        ]
        orders = items_of(site, "/orders")
        assert [(o["user_email"], o["product_name"], o["amount_cents"]) for o in orders] == [
            ("grace@example.com", "Python and Data Viz", 9900),
            ("Linus@Example.com", "Data Visualization Basics", 7999),
            ("ada@example.com", "Algorithms (Coming Soon)", 0),
            # $129 less 25%.
            ("margaret@example.com", "Python and Data Viz", 9675),
        ]
        assert orders[3]["coupon_code"] == "SPRING25"
        statement = select(func.count()).select_from(ExternalOrderTransaction)
        assert (
            site.db(
                lambda session: session.scalar(
                    statement.where(ExternalOrderTransaction.site_id == site.id)
                )
            )
            == 2
        )
        new = events_of(site)[before:]
        assert (new[0]["resource"], new[0]["action"]) == ("product", "updated")
        assert new[0]["payload"] == alphabetical(updated)
        # The course of the product, touched; then checkout's order.
        assert [(e["resource"], e["action"]) for e in new[1:] if e["resource"] != "enrollment"] == [
            ("course", "updated"),
            ("order", "created"),
        ]

    def test_a_file_can_set_the_default_categorys_products(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(
            load,
            http,
            database,
            """\
            categories:
              - { slug: all, name: Everything, products: [algorithms-preview] }
            """,
        )

        algorithms = Example.of(site).algorithms.made.product_id
        categories = items_of(site, "/collections")
        assert [(c["slug"], c["name"], c["default"]) for c in categories] == [
            ("all", "Everything", True),
            ("programming", "Programming", False),
        ]
        assert categories[0]["product_ids"] == [algorithms]

    def test_a_coupon_of_the_site_applies_until_it_is_used_up(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(
            load,
            http,
            database,
            """\
            promotions:
              - name: Once
                discount_type: fixed
                amount: 10
                coupons: [{ code: ONCE, quantity: 1 }]
            """,
        )
        first = load(
            "orders:\n  - { user: alan@example.com, product: intro-to-python, coupon: ONCE }\n"
        )
        assert first.exit_code == 0, first.output
        order = items_of(site, "/orders")[-1]
        assert (order["user_email"], order["amount_cents"], order["coupon_code"]) == (
            "alan@example.com",
            3900,
            "ONCE",
        )
        rows = load.rows()

        used_up = load(
            "orders:\n  - { user: margaret@example.com, product: intro-to-python, coupon: ONCE }\n"
        )

        assert used_up.exit_code == 1
        assert "orders[0].coupon: ONCE is not a valid coupon for this product" in one_line(
            used_up.stderr
        )
        assert load.rows() == rows

    def test_a_promotion_the_file_changes_is_checked_as_the_file_leaves_it(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(load, http, database)
        rows = load.rows()

        result = load(
            """\
            promotions:
              - { name: Spring Sale, discount_type: percentage, amount: 20, expires_at: 2025-01-01 }
              - name: Bundle Launch
                discount_type: fixed
                amount: 30
                products: [data-viz-basics]
            orders:
              - { user: alan@example.com, product: data-viz-basics, coupon: SPRING20 }
              - { user: alan@example.com, product: python-and-viz, coupon: LAUNCH30 }
              - { user: alan@example.com, product: algorithms-preview, coupon: LAUNCH30 }
            """
        )

        assert result.exit_code == 1
        errors = one_line(result.stderr)
        assert "orders[0].coupon: SPRING20 is not a valid coupon for this product" in errors
        assert "orders[1].coupon: LAUNCH30 is not a valid coupon for this product" in errors
        assert "orders[2].coupon: LAUNCH30 is not a valid coupon for this product" in errors
        assert load.rows() == rows
        assert site.get("/orders").json()["meta"]["pagination"]["total_items"] == 3

    def test_a_course_of_the_site_without_a_product_cannot_be_named_as_one(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = loaded_site(load, http, database)
        make_course(site, name="Bare", slug="bare", with_product=False)
        rows = load.rows()

        result = load(
            """\
            categories:
              - { slug: programming, products: [bare] }
            orders:
              - { user: ada@example.com, product: bare }
            publish_requests:
              - { product: bare }
            """
        )

        assert result.exit_code == 1
        errors = one_line(result.stderr)
        assert "categories[0].products[0]: 'bare' is sold as no product" in errors
        assert "orders[0].product: 'bare' is sold as no product" in errors
        assert "publish_requests[0].product: 'bare' is sold as no product" in errors
        assert load.rows() == rows

        # Declaring the course gives it its product, which the same file can then sell.
        sold_now = load(
            """\
            courses:
              - { slug: bare, name: Bare }
            orders:
              - { user: ada@example.com, product: bare }
            """
        )
        assert sold_now.exit_code == 0, sold_now.output
        assert items_of(site, "/orders")[-1]["product_name"] == "Bare"

    def test_a_product_it_updates_gets_its_primary_price(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        empty = load("")
        site = client_for(http, database, load.subdomain, printed_key(empty))
        course = make_course(site, name="Old", slug="old")
        made = Made(course, site.db(lambda s: s.get_one(Course, course).product_id), "Old", "old")
        file = "courses:\n  - { slug: old, name: Old }\n"

        result = load(file)

        assert result.exit_code == 0, result.output
        assert tally_of(result, "courses") == ["0", "1", "0", "0"]
        price = id_of(site, ProductPrice, product_id=made.product_id)
        # The factory's $49 product (made at FIXED), which the entry leaves at its price.
        body = product_body(made, product_prices=[price_body(price, "Old")])
        assert_answers(site.get(f"/products/{made.product_id}"), 200, body)
        events = events_of(site)
        # The course is touched with its product: course.updated, the course as the API has it.
        assert [(e["resource"], e["action"], e["payload"]) for e in events] == [
            ("product", "updated", alphabetical(body)),
            ("course", "updated", alphabetical(site.get(f"/courses/{course}").json())),
        ]
        again = load(file)
        assert "nothing changed" in one_line(again.stdout)
        assert events_of(site) == events

    def test_a_refused_checkout_stops_the_load_and_keeps_nothing(
        self, load: Loader, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def refuse(*args: Any) -> None:
            raise Unprocessable.field("coupon_code", "LAUNCH30 has been used up")

        monkeypatch.setattr(CheckoutService, "checkout", refuse)

        result = load()

        assert result.exit_code == 1
        assert "orders[0].coupon: LAUNCH30 has been used up" in one_line(result.stderr)
        assert load.site_id is None


ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
EARLIER = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
LATER = datetime(2025, 1, 11, 9, 0, tzinfo=UTC)
EARLIER_TEXT = "2025-01-10T09:00:00.000Z"
# A script's fields the API renders as they are stored.
WIRE_SCRIPT = [name for name in FIELD_ORDER if name not in ("id", "created_at", "updated_at")]


@pytest.fixture
def now() -> Iterator[list[datetime]]:
    """The clock reads ``now[0]``: a test sets it before a load (EARLIER to start)."""
    current = [EARLIER]
    clock.set_source(lambda: current[0])
    yield current
    clock.set_source(None)


class Review(NamedTuple):
    course: str
    user: str
    rating: int
    title: str
    review_text: str
    approved: bool
    created_at: datetime
    updated_at: datetime


class Script(NamedTuple):
    name: str
    description: str
    src: str | None
    content: str | None
    page_scopes: list[str]
    location: str | None
    load_method: str | None
    category: str
    app_client_id: str | None
    created_at: datetime
    updated_at: datetime


class Request(NamedTuple):
    product: str
    status: str
    requester: str | None
    responder: str | None
    response_text: str | None
    notify_requester: bool
    completed_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class People:
    """What the people sections leave in a site, read from its rows (each kind by id), naming
    users by email and courses and products by slug."""

    analysts: dict[str, list[str]]  # each group's, by the group's name
    reviews: list[Review]
    scripts: list[Script]
    requests: list[Request]

    @classmethod
    def of(cls, site: SiteClient) -> People:
        def read(session: Any) -> People:
            def of_site(model: Any) -> list[Any]:
                statement = select(model).where(model.site_id == site.id).order_by(model.id)
                return list(session.scalars(statement))

            def fields(row: Any, kind: Any, **named: Any) -> Any:
                """``kind`` of the row: its columns of the same names, and ``named``."""
                values = {name: getattr(row, name, None) for name in kind._fields}
                return kind(**{**values, **named})

            emails = {user.id: user.email_key for user in of_site(User)}
            slugs = {course.id: course.slug for course in of_site(Course)}
            products = {product.id: product.slug for product in of_site(Product)}
            analysts = select(group_analysts.c.user_id)
            return cls(
                {
                    group.name: sorted(
                        emails[id]
                        for id in session.scalars(
                            analysts.where(group_analysts.c.group_id == group.id)
                        )
                    )
                    for group in of_site(Group)
                },
                [
                    fields(r, Review, course=slugs[r.course_id], user=emails[r.user_id])
                    for r in of_site(CourseReview)
                ],
                [fields(s, Script) for s in of_site(SiteScript)],
                [
                    fields(
                        p,
                        Request,
                        product=products[p.product_id],
                        requester=emails.get(p.requesting_user_id),
                        responder=emails.get(p.responding_user_id),
                    )
                    for p in of_site(ProductPublishRequest)
                ],
            )

        return site.db(read)


def example_people(at: datetime) -> People:
    """What the example's people sections make, loaded at ``at``."""
    return People(
        {"Apollo Team": ["margaret@example.com"], "Founders Circle": []},
        [
            Review(
                "intro-to-python",
                "ada@example.com",
                5,
                "Clear from the first lesson",
                "The exercises build on each other, and the final project ties it all together.",
                True,
                at,
                at,
            ),
            Review(
                "intro-to-python",
                "linus@example.com",
                4,
                "Good pace",
                "A little slow at the start, then just right.",
                False,
                at,
                at,
            ),
        ],
        [
            Script(
                "Example Analytics",
                "Counts visits to the site's pages for the Example Analytics app.",
                "https://analytics.example.com/tracker.js",
                None,
                ["all"],
                "footer",
                "defer",
                "analytics",
                None,
                at,
                at,
            ),
            # The location and load method it leaves out: the spec's defaults.
            Script(
                "Help Widget",
                "Opens the help chat on landing pages and in the course player.",
                None,
                "<script>window.helpWidget = { team: 'support' };</script>",
                ["landing_pages", "course_player"],
                "footer",
                "async",
                "functional",
                None,
                at,
                at,
            ),
        ],
        [
            Request(
                "algorithms-preview", "pending", "grace@example.com", None, None, False, None, at
            )
        ],
    )


def script_ids(site: SiteClient) -> list[str]:
    statement = select(SiteScript.script_id).where(SiteScript.site_id == site.id)
    return list(site.db(lambda session: session.scalars(statement.order_by(SiteScript.id))))


def status_of(site: SiteClient, slug: str) -> str:
    statement = select(Product.status).where(Product.site_id == site.id, Product.slug == slug)
    return str(site.db(lambda session: session.scalars(statement).one()))


class TestLoadPeople:
    def test_loads_the_examples_people(
        self, load: Loader, http: TestClient, database: Database, now: list[datetime]
    ) -> None:
        site = loaded_site(load, http, database)

        assert People.of(site) == example_people(EARLIER)
        ids = script_ids(site)
        assert all(ULID.match(script_id) for script_id in ids), ids
        assert len(set(ids)) == 2
        # A request changes nothing about its product.
        assert status_of(site, "algorithms-preview") == "draft"
        events = {(e["resource"], e["action"]) for e in events_of(site)}
        assert events == {
            ("course", "created"),
            ("product", "created"),
            ("order", "created"),
            ("enrollment", "created"),
        }

    def test_the_api_serves_the_examples_people(
        self, load: Loader, http: TestClient, database: Database, now: list[datetime]
    ) -> None:
        site = loaded_site(load, http, database)
        example = Example.of(site)
        people = example_people(EARLIER)

        def user(email: str) -> int:
            return id_of(site, User, email_key=email)

        for name, emails in people.analysts.items():
            response = site.get(f"/groups/{id_of(site, Group, name=name)}/analysts")
            assert_answers(response, 200, {"group_analysts": [user(e) for e in emails]})
        python = example.python.made.id
        assert items_of(site, "/course_reviews", course_id=python) == [
            review_body(
                id_of(site, CourseReview, user_id=user(review.user)),
                python,
                user(review.user),
                rating=review.rating,
                title=review.title,
                review_text=review.review_text,
                approved=review.approved,
                created_at=EARLIER_TEXT,
            )
            for review in people.reviews
        ]
        assert items_of(site, "/site_scripts") == [
            script_body(
                id,
                **{name: getattr(script, name) for name in WIRE_SCRIPT},
                created_at=EARLIER_TEXT,
                updated_at=EARLIER_TEXT,
            )
            for id, script in zip(script_ids(site), people.scripts, strict=True)
        ]
        assert items_of(site, "/product_publish_requests") == [
            request_body(
                id_of(site, ProductPublishRequest, status="pending"),
                example.algorithms.made.product_id,
                requesting_user_id=user("grace@example.com"),
                created_at=EARLIER_TEXT,
                updated_at=EARLIER_TEXT,
            )
        ]

    def test_loading_twice_changes_none_of_it(
        self, load: Loader, http: TestClient, database: Database, now: list[datetime]
    ) -> None:
        site = loaded_site(load, http, database)
        rows, events, ids = load.rows(), events_of(site), script_ids(site)
        now[0] = LATER

        again = load()

        assert again.exit_code == 0, again.output
        assert tally_of(again, "groups") == ["0", "0", "2", "0"]
        assert tally_of(again, "course reviews") == ["0", "0", "2", "0"]
        assert tally_of(again, "site scripts") == ["0", "0", "2", "0"]
        assert tally_of(again, "publish requests") == ["0", "0", "1", "0"]
        assert load.rows() == rows
        assert script_ids(site) == ids
        assert events_of(site) == events

    def test_a_second_file_changes_them_in_place(
        self, load: Loader, http: TestClient, database: Database, now: list[datetime]
    ) -> None:
        site = loaded_site(load, http, database)
        ids, events = script_ids(site), events_of(site)
        now[0] = LATER

        result = load(
            """\
            users:
              - email: alan@example.com
                first_name: Alan
                last_name: Turing
                roles: [group_analyst]
            groups:
              # Its analysts left as they are.
              - name: Apollo Team
                members: [ada@example.com]
              - name: Founders Circle
                analysts: [alan@example.com, MARGARET@example.com]
            course_reviews:
              - user: LINUS@example.com
                course: intro-to-python
                rating: 2
                title: Too slow
                review_text: A little slow at the start, then just right.
                approved: true
            site_scripts:
              # Inline now: its src is cleared; the location and load method it omits are kept.
              - name: Example Analytics
                description: Counts visits.
                content: <script>track()</script>
                page_scopes: [checkout, student_dashboard]
                category: marketing
            publish_requests:
              # Already pending: left alone, requester included.
              - { product: algorithms-preview, requested_by: ada@example.com }
              - { product: python-and-viz }
            """
        )

        assert result.exit_code == 0, result.output
        assert tally_of(result, "groups") == ["0", "2", "0", "0"]
        assert tally_of(result, "course reviews") == ["0", "1", "0", "0"]
        assert tally_of(result, "site scripts") == ["0", "1", "0", "0"]
        assert tally_of(result, "publish requests") == ["1", "0", "1", "0"]
        before = example_people(EARLIER)
        ada_review, linus_review = before.reviews
        analytics, help_script = before.scripts
        assert People.of(site) == People(
            {
                "Apollo Team": ["margaret@example.com"],
                "Founders Circle": ["alan@example.com", "margaret@example.com"],
            },
            [
                ada_review,
                linus_review._replace(rating=2, title="Too slow", approved=True, updated_at=LATER),
            ],
            [
                analytics._replace(
                    description="Counts visits.",
                    src=None,
                    content="<script>track()</script>",
                    page_scopes=["checkout", "student_dashboard"],
                    category="marketing",
                    updated_at=LATER,
                ),
                help_script,
            ],
            [
                *before.requests,
                Request("python-and-viz", "pending", None, None, None, False, None, LATER),
            ],
        )
        assert script_ids(site) == ids
        assert status_of(site, "algorithms-preview") == "draft"
        assert status_of(site, "python-and-viz") == "published"
        members = (
            select(GroupMembership.user_id)
            .join(Group)
            .where(Group.site_id == site.id, Group.name == "Apollo Team")
        )
        assert site.db(lambda session: list(session.scalars(members))) == [
            id_of(site, User, email_key="ada@example.com")
        ]
        assert events_of(site) == events

    def test_a_handled_request_is_not_pending(
        self, load: Loader, http: TestClient, database: Database, now: list[datetime]
    ) -> None:
        site = loaded_site(load, http, database)

        def approve(session: Any) -> None:
            request = session.scalars(
                select(ProductPublishRequest).where(ProductPublishRequest.site_id == site.id)
            ).one()
            request.status, request.completed_at = "approved", EARLIER

        site.db(approve)
        # And one the site made for another product, pending: left alone as the file's are.
        make_publish_request(site, Example.of(site).viz.made.product_id)
        now[0] = LATER
        file = """\
            publish_requests:
              - { product: algorithms-preview, requested_by: grace@example.com }
              - { product: data-viz-basics, requested_by: grace@example.com }
            """

        result = load(file)

        assert result.exit_code == 0, result.output
        assert tally_of(result, "publish requests") == ["1", "0", "1", "0"]
        requests = People.of(site).requests
        assert [(r.product, r.status, r.requester, r.created_at) for r in requests] == [
            ("algorithms-preview", "approved", "grace@example.com", EARLIER),
            ("data-viz-basics", "pending", None, FIXED),
            ("algorithms-preview", "pending", "grace@example.com", LATER),
        ]
        assert status_of(site, "algorithms-preview") == "draft"
        again = load(file)
        assert tally_of(again, "publish requests") == ["0", "0", "2", "0"]

    def test_an_analyst_has_the_role_as_the_file_leaves_the_user(
        self, load: Loader, http: TestClient, database: Database
    ) -> None:
        site = client_for(http, database, load.subdomain, printed_key(load("")))
        make_user(site, email="analyst@example.com", roles=["group_analyst"])
        make_user(site, email="student@example.com")
        make_user(site, email="former@example.com", roles=["group_analyst", "affiliate"])
        rows = load.rows()

        refused = load(
            """\
            users:
              # The role taken away.
              - { email: former@example.com, first_name: F, last_name: A, roles: [affiliate] }
              - { email: new@example.com, first_name: N, last_name: U }
            groups:
              - name: G
                analysts: [analyst@example.com, student@example.com, former@example.com]
              - { name: H, analysts: [ghost@example.com, new@example.com] }
            """
        )

        assert refused.exit_code == 1
        assert one_line(refused.stderr).endswith(
            "groups[0].analysts[1]: 'student@example.com' is missing the group_analyst role "
            "groups[0].analysts[2]: 'former@example.com' is missing the group_analyst role "
            "groups[1].analysts[0]: no user with email 'ghost@example.com' in the file or the site "
            "groups[1].analysts[1]: 'new@example.com' is missing the group_analyst role"
        )
        assert load.rows() == rows

        accepted = load(
            """\
            users:
              # The stored roles kept; the role given.
              - { email: former@example.com, first_name: F, last_name: A }
              - { email: new@example.com, first_name: N, last_name: U, roles: [group_analyst] }
            groups:
              - { name: G, analysts: [Analyst@Example.com, former@example.com, new@example.com] }
            """
        )

        assert accepted.exit_code == 0, accepted.output
        assert People.of(site).analysts == {
            "G": ["analyst@example.com", "former@example.com", "new@example.com"]
        }


def tally_of(result: Result, name: str) -> list[str]:
    """The summary's created, updated, unchanged and deleted counts of the row ``name``."""
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if cells[0] == name:
            return cells[1:]
    raise AssertionError(f"no {name!r} row in:\n{result.stdout}")


COURSE = "courses:\n  - { slug: c, name: C }\n"
# A shop for the orders' cases: two users, two $10 courses.
SHOP = """\
users:
  - { email: a@example.com, first_name: A, last_name: B }
  - { email: b@example.com, first_name: B, last_name: C }
courses:
  - { slug: c, name: C, price: 10 }
  - { slug: d, name: D, price: 10 }
"""


def promoted(fields: str, product: str) -> str:
    """A $5-off promotion with ``fields``, and a@example.com buying ``product`` with its
    coupon ``X``."""
    return (
        f"promotions:\n  - {{ name: P, discount_type: fixed, amount: 5, {fields} }}\n"
        f"orders:\n  - {{ user: a@example.com, product: {product}, coupon: X }}\n"
    )


EXTERNAL = {"payment_provider": "Stripe", "order_type": "one-time"}


def entry(section: str, defaults: dict[str, str], fields: str, *, head: bool) -> str:
    """An entry of ``section`` (under its key if ``head``): ``fields``, YAML's ``key: value``
    pairs, and the ``defaults`` they leave out."""
    given = [f"{key}: {value}, " for key, value in defaults.items() if f"{key}:" not in fields]
    return f"{section + ':' + chr(10) if head else ''}  - {{ {''.join(given)}{fields} }}\n"


def bought_elsewhere(fields: str, *, user: str = "a@example.com", section: bool = True) -> str:
    """An external order of course ``c`` by ``user``: ``fields``, and ``EXTERNAL``'s others."""
    defaults = {"user": user, "product": "c", **EXTERNAL}
    return entry("external_orders", defaults, fields, head=section)


def reviewed(fields: str, *, section: bool = True) -> str:
    """a@example.com's review of course ``c``: ``fields``, and valid others."""
    defaults = {"user": "a@example.com", "course": "c", "rating": "4", "title": "T"}
    return entry("course_reviews", {**defaults, "review_text": "Fine."}, fields, head=section)


def scripted(fields: str, *, section: bool = True) -> str:
    """A site script named ``S`` (neither ``src`` nor ``content``): ``fields``, and valid
    others."""
    defaults = {"name": "S", "description": "D", "page_scopes": "[all]", "category": "analytics"}
    return entry("site_scripts", defaults, fields, head=section)


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
        COURSE + "bundles:\n  - { slug: b, name: B, courses: [c, x] }\n",
        "bundles[0].courses[1]: no course with slug 'x' in the file or the site",
        id="bundle-unknown-course",
    ),
    pytest.param(
        COURSE + "bundles:\n  - { slug: b, name: B, courses: [c, c] }\n",
        "bundles[0].courses[1]: 'c' is already given by courses[0]",
        id="bundle-repeats-a-course",
    ),
    pytest.param(
        "bundles:\n  - { slug: b, name: B }\n  - { slug: b, name: C }\n",
        "bundles[1].slug: 'b' is already given by bundles[0]",
        id="duplicate-bundle",
    ),
    pytest.param(
        COURSE + "bundles:\n  - { slug: c, name: B }\n",
        "bundles[0].slug: 'c' is a course's slug too",
        id="bundle-slug-of-a-course",
    ),
    pytest.param(
        COURSE + "bundles:\n  - { slug: c, name: B }\n",
        "courses[0].slug: 'c' is a bundle's slug too",
        id="course-slug-of-a-bundle",
    ),
    pytest.param(
        "bundles:\n  - { slug: b, name: B, price: '1.234' }\n",
        "bundles[0].price: decimal input should have no more than 2 decimal places",
        id="bundle-price",
    ),
    pytest.param(
        "bundles:\n  - { slug: b, name: B, courses: c }\n",
        "bundles[0].courses: input should be a valid list",
        id="bundle-courses-not-a-list",
    ),
    pytest.param(
        "categories:\n  - { slug: new, name: New, products: [x] }\n",
        "categories[0].products[0]: no course or bundle with slug 'x' in the file or the site",
        id="category-unknown-product",
    ),
    pytest.param(
        "categories:\n  - { slug: new, products: [] }\n",
        "categories[0].name: is required for a new category",
        id="category-without-name",
    ),
    pytest.param(
        "categories:\n  - { slug: all, name: null }\n",
        "categories[0].name: can't be blank",
        id="category-null-name",
    ),
    pytest.param(
        COURSE + "categories:\n  - { slug: new, name: New, products: [c, c] }\n",
        "categories[0].products[1]: 'c' is already given by products[0]",
        id="category-repeats-a-product",
    ),
    pytest.param(
        "categories:\n  - { slug: new, name: A }\n  - { slug: new, name: B }\n",
        "categories[1].slug: 'new' is already given by categories[0]",
        id="duplicate-category",
    ),
    pytest.param(
        "promotions:\n  - { name: P, discount_type: percentage, amount: 150 }\n",
        "promotions[0].amount: must be less than or equal to 100",
        id="percentage-above-100",
    ),
    pytest.param(
        "promotions:\n  - { name: P, discount_type: fixed, amount: 0 }\n",
        "promotions[0].amount: must be greater than 0",
        id="amount-zero",
    ),
    pytest.param(
        "promotions:\n  - { name: P, discount_type: fixed, amount: 1234567890123 }\n",
        "promotions[0].amount: decimal input should have no more than 12 digits in total",
        id="amount-too-long",
    ),
    pytest.param(
        "promotions:\n  - { name: P, discount_type: fixed, amount: lots }\n",
        "promotions[0].amount: input should be a valid decimal",
        id="amount-not-a-number",
    ),
    pytest.param(
        "promotions:\n  - { name: P, discount_type: half, amount: 5 }\n",
        "promotions[0].discount_type: must be one of 'fixed' or 'percentage' (got 'half')",
        id="discount-type",
    ),
    pytest.param(
        "promotions:\n  - { name: P, amount: 5 }\n",
        "promotions[0].discount_type: is required",
        id="discount-type-missing",
    ),
    pytest.param(
        """\
        promotions:
          - { name: P, discount_type: fixed, amount: 5, starts_at: 2024-02-01, expires_at: 2024-01-01 }
        """,
        "promotions[0].expires_at: must be after starts_at",
        id="expires-before-it-starts",
    ),
    pytest.param(
        """\
        promotions:
          - name: P
            discount_type: fixed
            amount: 5
            coupons: [{ code: A }, { code: B }, { code: A }]
        """,
        "promotions[0].coupons[2].code: 'A' is already given by coupons[0]",
        id="coupon-code-twice",
    ),
    pytest.param(
        """\
        promotions:
          - { name: P, discount_type: fixed, amount: 5, coupons: [{ code: A, quantity: 0 }] }
        """,
        "promotions[0].coupons[0].quantity: input should be greater than 0",
        id="coupon-quantity",
    ),
    pytest.param(
        """\
        promotions:
          - { name: P, discount_type: fixed, amount: 5, coupons: [{ code: A, quantity_used: -1 }] }
        """,
        "promotions[0].coupons[0].quantity_used: input should be greater than or equal to 0",
        id="coupon-quantity-used",
    ),
    pytest.param(
        "promotions:\n  - { name: P, discount_type: fixed, amount: 5, products: [x] }\n",
        "promotions[0].products[0]: no course or bundle with slug 'x' in the file or the site",
        id="promotion-unknown-product",
    ),
    pytest.param(
        "promotions:\n  - { name: P, discount_type: fixed, amount: 1 }\n"
        "  - { name: P, discount_type: fixed, amount: 2 }\n",
        "promotions[1].name: 'P' is already given by promotions[0]",
        id="duplicate-promotion",
    ),
    pytest.param(
        "courses:\n  - { slug: c, name: C }\norders:\n  - { user: ghost@example.com, product: c }\n",
        "orders[0].user: no user with email 'ghost@example.com' in the file or the site",
        id="order-unknown-user",
    ),
    pytest.param(
        SHOP + "orders:\n  - { user: a@example.com, product: x }\n",
        "orders[0].product: no course or bundle with slug 'x' in the file or the site",
        id="order-unknown-product",
    ),
    pytest.param(
        SHOP + "orders:\n  - { user: a@example.com, product: c, coupon: NOPE }\n",
        "orders[0].coupon: NOPE is not a valid coupon for this product",
        id="unknown-coupon",
    ),
    pytest.param(
        SHOP
        + promoted("coupons: [{ code: X, quantity: 1 }]", "c")
        + "  - { user: b@example.com, product: d, coupon: X }\n",
        "orders[1].coupon: X has been used up",
        id="coupon-used-up-by-the-file",
    ),
    pytest.param(
        SHOP + "orders:\n  - { user: a@example.com, product: c }\n"
        "  - { user: A@EXAMPLE.COM, product: c }\n",
        "orders[1]: A@EXAMPLE.COM buying 'c' is already given by orders[0]",
        id="duplicate-order",
    ),
    pytest.param(
        """\
        external_orders:
          - user: a@example.com
            product: c
            payment_provider: Stripe
            order_type: one-time
            transactions:
              - { action: purchase, amount: 100, currency: usd }
              - { action: refund, amount: 60, currency: eur }
              - { action: refund, amount: 60, currency: USD }
              - { action: refund, amount: 50, currency: usd }
        """,
        "external_orders[0].transactions[1].amount: is greater than the amount paid (0 EUR) "
        "external_orders[0].transactions[3].amount: is greater than the amount paid (40 USD)",
        id="refund-above-paid",
    ),
    pytest.param(
        bought_elsewhere("transactions: [{ action: purchase, amount: 0, currency: dollars }]"),
        "external_orders[0].transactions[0].amount: input should be greater than 0 "
        "external_orders[0].transactions[0].currency: string should match pattern "
        "'^[A-Za-z]{3}$'",
        id="transaction-amount-and-currency",
    ),
    pytest.param(
        bought_elsewhere("transactions: [{ action: chargeback, amount: 5, currency: usd }]"),
        "external_orders[0].transactions[0].action: must be one of 'purchase' or 'refund' "
        "(got 'chargeback')",
        id="transaction-action",
    ),
    pytest.param(
        "external_orders:\n"
        "  - { user: a@example.com, product: c, payment_provider: ' ', order_type: monthly }\n",
        "external_orders[0].payment_provider: can't be blank "
        "external_orders[0].order_type: must be one of 'one-time', 'subscription' or "
        "'payment-plan' (got 'monthly')",
        id="external-order-fields",
    ),
    pytest.param(
        SHOP
        + bought_elsewhere("")
        + bought_elsewhere("payment_provider: PayPal", section=False)
        + bought_elsewhere("order_type: subscription", user="A@example.com", section=False),
        "external_orders[2]: A@example.com buying 'c' through 'Stripe' is already given by "
        "external_orders[0]",
        id="duplicate-external-order",
    ),
    pytest.param(
        """\
        courses:
          - { slug: c, name: C }
        external_orders:
          - { user: ghost@example.com, product: x, payment_provider: S, order_type: one-time }
        """,
        "external_orders[0].user: no user with email 'ghost@example.com' in the file or the site "
        "external_orders[0].product: no course or bundle with slug 'x' in the file or the site",
        id="external-order-unknown-user-and-product",
    ),
    pytest.param(
        """\
        users:
          - { email: a@example.com, first_name: A, last_name: B, roles: [group_analyst] }
        groups:
          - { name: G, members: [a@example.com, A@Example.com], analysts: [a@example.com, A@example.com] }
        """,
        "groups[0].members[1]: 'a@example.com' is already given by members[0] "
        "groups[0].analysts[1]: 'a@example.com' is already given by analysts[0]",
        id="group-repeats-a-member-and-an-analyst",
    ),
    pytest.param(
        "groups:\n  - { name: G, analysts: [ghost@example.com] }\n",
        "groups[0].analysts[0]: no user with email 'ghost@example.com' in the file or the site",
        id="unknown-analyst",
    ),
    pytest.param(
        """\
        users:
          - { email: a@example.com, first_name: A, last_name: B, roles: [course_admin] }
        groups:
          - { name: G, analysts: [a@example.com] }
        """,
        "groups[0].analysts[0]: 'a@example.com' is missing the group_analyst role",
        id="analyst-without-the-role",
    ),
    pytest.param(
        SHOP + reviewed("rating: 0") + reviewed("user: b@example.com, rating: 6", section=False),
        "course_reviews[0].rating: input should be greater than or equal to 1 "
        "course_reviews[1].rating: input should be less than or equal to 5",
        id="review-rating",
    ),
    pytest.param(
        SHOP + reviewed("rating: 4.5, title: ' ', review_text: ''"),
        "course_reviews[0].rating: input should be a valid integer, got a number with a "
        "fractional part "
        "course_reviews[0].title: can't be blank "
        "course_reviews[0].review_text: string should have at least 1 character",
        id="review-fields",
    ),
    pytest.param(
        SHOP + "course_reviews:\n  - { user: a@example.com, course: c, approved: maybe }\n",
        "course_reviews[0].rating: is required "
        "course_reviews[0].title: is required "
        "course_reviews[0].review_text: is required "
        "course_reviews[0].approved: input should be a valid boolean",
        id="review-missing-fields",
    ),
    pytest.param(
        reviewed("user: ghost@example.com, course: x"),
        "course_reviews[0].course: no course with slug 'x' in the file or the site "
        "course_reviews[0].user: no user with email 'ghost@example.com' in the file or the site",
        id="review-unknown-course-and-user",
    ),
    pytest.param(
        SHOP
        + reviewed("")
        + reviewed("course: d", section=False)
        + reviewed("user: A@Example.com", section=False),
        "course_reviews[2]: A@Example.com's review of 'c' is already given by course_reviews[0]",
        id="duplicate-review",
    ),
    pytest.param(
        scripted("") + scripted("name: T, src: https://a.example/s.js, content: x", section=False),
        "site_scripts[0]: must provide one of: src or content "
        "site_scripts[1]: must provide only one of: src or content",
        id="script-src-or-content",
    ),
    pytest.param(
        scripted("src: /tracker.js")
        + scripted("name: T, src: 'ftp://example.com/s.js'", section=False)
        + scripted("name: U, content: ' '", section=False),
        "site_scripts[0].src: must be an absolute http or https URL "
        "site_scripts[1].src: must be an absolute http or https URL "
        "site_scripts[2].content: can't be blank",
        id="script-src-and-content",
    ),
    pytest.param(
        scripted("content: x, page_scopes: [everywhere, all]")
        + scripted("name: T, content: x, page_scopes: []", section=False),
        "site_scripts[0].page_scopes[0]: must be one of 'landing_pages', 'checkout', "
        "'learning_experience', 'all', 'home_landing_page', 'course_landing_page', "
        "'collections_landing_page', 'bundle_landing_page', 'coming_soon_page', "
        "'page_template', 'checkout_thankyou_page', 'student_dashboard' or 'course_player' "
        "(got 'everywhere') "
        "site_scripts[1].page_scopes: can't be blank",
        id="script-page-scopes",
    ),
    pytest.param(
        scripted("content: x, page_scopes: [all, checkout, all]"),
        "site_scripts[0].page_scopes[2]: 'all' is already given by page_scopes[0]",
        id="script-repeats-a-page-scope",
    ),
    pytest.param(
        scripted("content: x, location: body, load_method: lazy, category: ads"),
        "site_scripts[0].location: must be one of 'head' or 'footer' (got 'body') "
        "site_scripts[0].load_method: must be one of 'async', 'defer' or 'default' (got 'lazy') "
        "site_scripts[0].category: must be one of 'functional', 'analytics' or 'marketing' "
        "(got 'ads')",
        id="script-choices",
    ),
    pytest.param(
        "site_scripts:\n  - { name: S, content: x, location: null }\n",
        "site_scripts[0].description: is required "
        "site_scripts[0].page_scopes: is required "
        "site_scripts[0].location: must be one of 'head' or 'footer' (got None) "
        "site_scripts[0].category: is required",
        id="script-missing-fields",
    ),
    pytest.param(
        scripted("content: x") + scripted("src: https://a.example/s.js", section=False),
        "site_scripts[1].name: 'S' is already given by site_scripts[0]",
        id="duplicate-script",
    ),
    pytest.param(
        "publish_requests:\n  - { product: x, requested_by: ghost@example.com }\n",
        "publish_requests[0].product: no course or bundle with slug 'x' in the file or the site "
        "publish_requests[0].requested_by: no user with email 'ghost@example.com' in the file "
        "or the site",
        id="publish-request-unknown-product-and-user",
    ),
    pytest.param(
        SHOP + "publish_requests:\n  - { product: c }\n  - { product: d }\n  - { product: c }\n",
        "publish_requests[2].product: 'c' is already given by publish_requests[0]",
        id="duplicate-publish-request",
    ),
    pytest.param(
        "publish_requests:\n  - { product: Not A Slug, requested_by: nobody, status: pending }\n",
        "publish_requests[0].product: must be lowercase letters, digits and single hyphens "
        "(like 'intro-101') "
        "publish_requests[0].requested_by: is invalid "
        "publish_requests[0].status: is not a known field",
        id="publish-request-fields",
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
            if not text.startswith(("#", "-"))
            else text
        )

        assert result.exit_code == 1, result.output
        assert message in one_line(result.stderr)
        assert "error:" in result.stderr
        assert load.site_id is None

    @pytest.mark.parametrize(
        "fields",
        [
            pytest.param("products: [d]", id="another-product"),
            pytest.param("expires_at: 2020-01-01", id="expired"),
            pytest.param("starts_at: 2999-01-01", id="not-started"),
        ],
    )
    def test_rejects_a_coupon_that_does_not_apply(self, load: Loader, fields: str) -> None:
        result = load(SHOP + promoted(f"{fields}, coupons: [{{ code: X }}]", "c"))

        assert result.exit_code == 1, result.output
        message = "orders[0].coupon: X is not a valid coupon for this product"
        assert message in one_line(result.stderr)
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
