"""``syllabus seed``: deterministic, consistent demo data, checked over HTTP and in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from syllabus.db import Database
from syllabus.models import (
    CONTENTABLE_TYPES,
    Bundle,
    Chapter,
    Collection,
    Content,
    Coupon,
    Course,
    CourseReview,
    CustomProfileField,
    CustomProfileFieldDefinition,
    Enrollment,
    Event,
    ExternalOrder,
    ExternalOrderTransaction,
    Group,
    GroupMembership,
    Instructor,
    Order,
    OrderItem,
    Product,
    ProductPrice,
    ProductPublishRequest,
    Promotion,
    Site,
    SiteScript,
    User,
    collection_memberships,
    course_admins,
    group_analysts,
)
from syllabus.seed import generator
from syllabus.seed.people import _seeded_with_role
from tests.cli.conftest import Run, client_for, one_line, printed_key, site_id_of


def _count(session: Session, model: Any, site_id: int | None) -> int:
    return int(session.scalar(select(func.count()).where(model.site_id == site_id)) or 0)


def _counts(session: Session, site_id: int | None, *models: Any) -> list[int]:
    return [_count(session, model, site_id) for model in models]


def snapshot(database: Database, site_id: int) -> dict[str, Any]:
    """Everything the seed decides, without ids or timestamps (which depend on the run)."""
    with database.transaction(write=False) as session:
        emails = {
            id: email
            for id, email in session.execute(
                select(User.id, User.email).where(User.site_id == site_id)
            )
        }
        definitions = {
            id: label
            for id, label in session.execute(
                select(CustomProfileFieldDefinition.id, CustomProfileFieldDefinition.label).where(
                    CustomProfileFieldDefinition.site_id == site_id
                )
            )
        }
        profile: dict[str, dict[str, str | None]] = {}
        for field in session.scalars(
            select(CustomProfileField).where(CustomProfileField.site_id == site_id)
        ):
            profile.setdefault(emails[field.user_id], {})[
                definitions[field.custom_profile_field_definition_id]
            ] = field.value
        users = sorted(
            (u.email, u.first_name, u.last_name, u.company, u.roles_text, u.affiliate_code)
            for u in session.scalars(select(User).where(User.site_id == site_id))
        )
        courses = {}
        names = {}
        for course in session.scalars(
            select(Course).where(Course.site_id == site_id).order_by(Course.id)
        ):
            names[course.id] = course.name
            product = session.get(Product, course.product_id)
            assert product is not None
            chapters = []
            for chapter in session.scalars(
                select(Chapter).where(Chapter.course_id == course.id).order_by(Chapter.position)
            ):
                contents = [
                    (c.name, c.contentable_type, c.free)
                    for c in session.scalars(
                        select(Content)
                        .where(Content.chapter_id == chapter.id)
                        .order_by(Content.position)
                    )
                ]
                chapters.append((chapter.name, contents))
            courses[course.slug] = (course.name, course.subtitle, product.price, chapters)
        now = datetime.now(UTC)
        enrollments = sorted(
            (
                emails[e.user_id],
                names[e.course_id],
                e.percentage_completed,
                e.is_free_trial,
                e.activated_at is None,
                e.completed_at is None,
                None if e.expiry_date is None else e.expiry_date < now,
            )
            for e in session.scalars(select(Enrollment).where(Enrollment.site_id == site_id))
        )
        groups = sorted(
            (
                group.name,
                sorted(
                    emails[user_id]
                    for user_id in session.scalars(
                        select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
                    )
                ),
            )
            for group in session.scalars(select(Group).where(Group.site_id == site_id))
        )
        admins = sorted(
            (emails[user_id], names[course_id])
            for course_id, user_id in session.execute(
                select(course_admins.c.course_id, course_admins.c.user_id).where(
                    course_admins.c.user_id.in_(emails)
                )
            )
        )
        instructors = sorted(
            (i.slug, i.first_name, i.last_name, i.title)
            for i in session.scalars(select(Instructor).where(Instructor.site_id == site_id))
        )
    return {
        "users": users,
        "profile": profile,
        "courses": courses,
        "enrollments": enrollments,
        "groups": groups,
        "admins": admins,
        "instructors": instructors,
    }


@dataclass
class Seeder:
    """``syllabus seed`` on fresh subdomains, which must succeed."""

    cli: Run
    subdomain: str
    database: Database

    def __call__(self, *args: str, suffix: str = "") -> int:
        """Seed the subdomain (plus ``suffix``) with ``args``: the site's id."""
        result = self.cli("seed", self.subdomain + suffix, *args)
        assert result.exit_code == 0, result.output
        site_id = site_id_of(self.database, self.subdomain + suffix)
        assert site_id is not None
        return site_id


@pytest.fixture
def seed(cli: Run, subdomain: str, database: Database) -> Seeder:
    return Seeder(cli, subdomain, database)


class TestSeed:
    def test_creates_the_site_and_prints_a_key_that_works(
        self, cli: Run, subdomain: str, http: TestClient, database: Database
    ) -> None:
        result = cli("seed", subdomain, "--users", "40", "--courses", "3", "--enrollments", "60")

        assert result.exit_code == 0, result.output
        site = client_for(http, database, subdomain, printed_key(result))
        response = site.get("/users", params={"limit": 250})
        assert response.status_code == 200
        body = response.json()
        assert body["meta"]["pagination"]["total_items"] == 40
        users = body["items"]
        assert all(
            {f["label"] for f in user["custom_profile_fields"]} >= {"Country"} for user in users
        )
        admins = [user for user in users if "course_admin" in user["roles"]]
        assert admins
        assert all(user["administered_course_ids"] for user in admins)
        affiliates = [user for user in users if "affiliate" in user["roles"]]
        assert affiliates
        assert all(user["affiliate_code"] for user in affiliates)
        assert all(user["affiliate_commission"] is not None for user in affiliates)
        assert "40 users" in result.stdout
        assert "60 enrollments" in result.stdout

    def test_honours_SYLLABUS_DATABASE_URL(
        self, cli: Run, subdomain: str, database: Database, database_url: str
    ) -> None:
        result = cli("seed", subdomain, "--users", "3", env={"SYLLABUS_DATABASE_URL": database_url})

        assert result.exit_code == 0, result.output
        site_id = site_id_of(database, subdomain)
        with database.transaction(write=False) as session:
            # Without --enrollments: 150, or every (user, course) pair when there are fewer.
            assert _count(session, Enrollment, site_id) == 3 * 6

    def test_writes_the_counts_asked_for(self, seed: Seeder, database: Database) -> None:
        site_id = seed("--users", "30", "--courses", "4", "--enrollments", "70")
        with database.transaction(write=False) as session:
            models = (User, Course, Product, Enrollment, Instructor, Group)
            # 4 courses and 1 bundle (a bundle for every 3 courses) are products.
            assert _counts(session, site_id, *models) == [30, 4, 5, 70, 2, 2]
            assert _count(session, Chapter, site_id) >= 4 * 3
            assert _count(session, GroupMembership, site_id) > 0
            definitions = session.scalars(
                select(CustomProfileFieldDefinition).where(
                    CustomProfileFieldDefinition.site_id == site_id
                )
            ).all()
            assert {d.label for d in definitions} == {"Country", "Company size", "Job title"}
            assert any(not d.required for d in definitions)
            types = set(
                session.scalars(select(Content.contentable_type).where(Content.site_id == site_id))
            )
            assert types <= set(CONTENTABLE_TYPES)
            assert {"Lesson", "Quiz"} <= types
            assert len(types) >= 5
            statuses = set(
                session.scalars(select(Product.status).where(Product.site_id == site_id))
            )
            # The last course's product waits to be published (a pending publish request).
            assert statuses == {"published", "draft"}
            prices = session.scalars(select(Product.price).where(Product.site_id == site_id)).all()
            assert all(isinstance(price, Decimal) for price in prices)

    def test_sells_its_courses(self, seed: Seeder, database: Database) -> None:
        """Prices, bundles, categories, promotions with coupons, orders and external orders,
        consistent with each other as checkout would have left them."""
        site_id = seed("--users", "40", "--courses", "7", "--enrollments", "150")
        with database.transaction(write=False) as session:
            models = (Bundle, Promotion, Order, OrderItem, ExternalOrder)
            # 7 courses: 2 bundles; welcome, launch and bundle promotions; 25 orders; 3 external.
            assert _counts(session, site_id, *models) == [2, 3, 25, 25, 3]
            products = session.scalars(select(Product).where(Product.site_id == site_id)).all()
            prices = session.scalars(
                select(ProductPrice).where(ProductPrice.site_id == site_id)
            ).all()
            assert sorted((p.product_id, p.price) for p in prices) == sorted(
                (p.id, p.price) for p in products
            )
            assert all(p.is_primary for p in prices)
            kinds = sorted(p.productable_type for p in products)
            assert kinds == ["Bundle"] * 2 + ["Course"] * 7
            default = session.scalar(
                select(Collection.id).where(
                    Collection.site_id == site_id, Collection.is_default.is_(True)
                )
            )
            in_default = session.scalar(
                select(func.count()).where(collection_memberships.c.collection_id == default)
            )
            assert in_default == len(products)
            orders = session.scalars(select(Order).where(Order.site_id == site_id)).all()
            welcome = session.scalars(
                select(Coupon).where(Coupon.site_id == site_id, Coupon.code == "WELCOME10")
            ).one()
            used = [o for o in orders if o.coupon_id is not None]
            assert welcome.quantity_used == len(used) > 0
            for order in orders:
                product = session.get(Product, order.product_id)
                assert product is not None
                full = int(product.price * 100)
                assert order.amount_cents == (
                    full if order.coupon_id is None else round(full * Decimal("0.9"))
                )
                enrollment = session.scalar(
                    select(Enrollment).where(
                        Enrollment.user_id == order.user_id,
                        Enrollment.course_id == product.productable_id,
                    )
                )
                assert enrollment is not None
                assert not enrollment.is_free_trial
            refunds = session.scalars(
                select(ExternalOrderTransaction.action).where(
                    ExternalOrderTransaction.site_id == site_id
                )
            ).all()
            assert sorted(refunds) == ["purchase"] * 3 + ["refund"]

    def test_seeds_the_people_around_the_courses(self, seed: Seeder, database: Database) -> None:
        """Group analysts, reviews by buyers, a site script and a pending publish request."""
        site_id = seed("--users", "40", "--courses", "7", "--enrollments", "150")
        with database.transaction(write=False) as session:
            analysts = session.execute(
                select(group_analysts.c.user_id).join(Group, Group.id == group_analysts.c.group_id)
            ).all()
            analyst_users = {
                row.user_id for row in analysts if session.get(User, row.user_id).site_id == site_id
            }
            assert analyst_users
            assert all("group_analyst" in session.get(User, user).roles for user in analyst_users)
            reviews = session.scalars(
                select(CourseReview).where(CourseReview.site_id == site_id)
            ).all()
            assert len(reviews) == 20
            assert all(3 <= review.rating <= 5 for review in reviews)
            for review in reviews:
                enrolled = session.scalar(
                    select(Enrollment.id).where(
                        Enrollment.user_id == review.user_id,
                        Enrollment.course_id == review.course_id,
                    )
                )
                assert enrolled is not None
            assert _count(session, SiteScript, site_id) == 1
            (request,) = session.scalars(
                select(ProductPublishRequest).where(ProductPublishRequest.site_id == site_id)
            ).all()
            assert request.status == "pending"
            assert session.get(Product, request.product_id).status == "draft"

    def test_enrollments_have_varied_progress(self, seed: Seeder, database: Database) -> None:
        site_id = seed("--users", "60", "--courses", "5", "--enrollments", "250")
        with database.transaction(write=False) as session:
            enrollments = session.scalars(
                select(Enrollment).where(Enrollment.site_id == site_id)
            ).all()
        now = datetime.now(UTC)
        assert len({(e.user_id, e.course_id) for e in enrollments}) == 250
        not_started = [e for e in enrollments if e.percentage_completed == 0 and e.activated_at]
        partial = [e for e in enrollments if 0 < e.percentage_completed < 1]
        completed = [e for e in enrollments if e.percentage_completed == 1]
        trials = [e for e in enrollments if e.is_free_trial]
        expired = [e for e in enrollments if e.expiry_date and e.expiry_date <= now]
        running = [e for e in enrollments if e.expiry_date and e.expiry_date > now]
        assert all(len(kind) >= 3 for kind in (not_started, partial, completed, trials))
        assert expired
        assert running
        assert all(e.completed_at is not None for e in completed)
        assert all(e.completed_at is None for e in partial + not_started)
        assert all(e.started_at is not None for e in partial + completed)
        assert all(e.activated_at is None for e in trials)
        assert all(e.activated_at is not None for e in enrollments if not e.is_free_trial)
        for e in enrollments:
            assert e.created_at <= e.updated_at <= now
            assert e.activated_at is None or e.activated_at <= now
            if e.completed_at is not None:
                assert e.started_at is not None
                assert e.started_at <= e.completed_at <= now

    def test_the_same_seed_gives_the_same_data(self, seed: Seeder, database: Database) -> None:
        counts = ("--users", "25", "--courses", "3", "--enrollments", "40")
        sites = [
            seed(*counts, "--seed", n, suffix=s) for s, n in (("a", "7"), ("b", "7"), ("c", "8"))
        ]

        first, second, other = (snapshot(database, site_id) for site_id in sites)
        assert first == second
        assert len(first["users"]) == 25
        assert len(first["enrollments"]) == 40
        assert first["users"] != other["users"]
        assert first["courses"] != other["courses"]

    def test_copied_rows_are_the_rows_inserts_write(
        self, seed: Seeder, database: Database, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """PostgreSQL takes a seed's rows by COPY (generator._copier): the same data."""
        if database.is_sqlite:
            pytest.skip("COPY is PostgreSQL's: a seed inserts into SQLite")
        counts = ("--users", "25", "--courses", "3", "--enrollments", "40", "--seed", "7")
        copied = seed(*counts, suffix="copy")
        monkeypatch.setattr(generator, "_copier", lambda *_: None)
        inserted = seed(*counts, suffix="insert")
        assert snapshot(database, copied) == snapshot(database, inserted)

    def test_data_is_referentially_consistent(self, seed: Seeder, database: Database) -> None:
        site_id = seed("--users", "30", "--courses", "4", "--enrollments", "80")
        with database.transaction(write=False) as session:
            users = set(session.scalars(select(User.id).where(User.site_id == site_id)))
            courses = session.scalars(select(Course).where(Course.site_id == site_id)).all()
            course_ids = {course.id for course in courses}
            instructors = set(
                session.scalars(select(Instructor.id).where(Instructor.site_id == site_id))
            )
            for course in courses:
                product = session.get(Product, course.product_id)
                assert product is not None
                assert product.site_id == site_id
                assert product.productable_type == "Course"
                assert product.productable_id == course.id
                assert product.slug == course.slug
                assert course.instructor_id in instructors
            assert len({course.slug for course in courses}) == len(courses)
            chapters = {
                chapter.id: chapter.course_id
                for chapter in session.scalars(select(Chapter).where(Chapter.site_id == site_id))
            }
            assert set(chapters.values()) == course_ids
            for content in session.scalars(select(Content).where(Content.site_id == site_id)):
                assert chapters[content.chapter_id] == content.course_id
            for enrollment in session.scalars(
                select(Enrollment).where(Enrollment.site_id == site_id)
            ):
                assert enrollment.user_id in users
                assert enrollment.course_id in course_ids
            definitions = set(
                session.scalars(
                    select(CustomProfileFieldDefinition.id).where(
                        CustomProfileFieldDefinition.site_id == site_id
                    )
                )
            )
            for field in session.scalars(
                select(CustomProfileField).where(CustomProfileField.site_id == site_id)
            ):
                assert field.user_id in users
                assert field.custom_profile_field_definition_id in definitions
            for group_id, user_id in session.execute(
                select(GroupMembership.group_id, GroupMembership.user_id).where(
                    GroupMembership.site_id == site_id
                )
            ):
                assert user_id in users
                assert session.get(Group, group_id).site_id == site_id  # type: ignore[union-attr]
            links = session.execute(
                select(course_admins.c.user_id, course_admins.c.course_id).where(
                    course_admins.c.course_id.in_(course_ids)
                )
            ).all()
            assert links
            for user_id, _course_id in links:
                user = session.get(User, user_id)
                assert user is not None
                assert user.site_id == site_id
                assert "course_admin" in user.roles
            assert _count(session, Event, site_id) == 0

    def test_seeding_twice_adds_more_without_collisions(
        self, cli: Run, subdomain: str, database: Database
    ) -> None:
        counts = ("--users", "20", "--courses", "3", "--enrollments", "30")
        first = cli("seed", subdomain, *counts)
        second = cli("seed", subdomain, *counts)

        assert first.exit_code == 0, first.output
        assert second.exit_code == 0, second.output
        assert "api_key:" not in second.stdout
        site_id = site_id_of(database, subdomain)
        with database.transaction(write=False) as session:
            models = (User, Course, Enrollment, CustomProfileFieldDefinition, Group)
            assert _counts(session, site_id, *models) == [40, 6, 60, 3, 2]
            emails = session.scalars(select(User.email_key).where(User.site_id == site_id)).all()
            slugs = session.scalars(select(Course.slug).where(Course.site_id == site_id)).all()
            products = session.scalars(select(Product.slug).where(Product.site_id == site_id)).all()
        assert len(set(emails)) == 40
        assert len(set(slugs)) == 6
        # 6 courses and a bundle from each seeding: every product slug distinct.
        assert len(set(products)) == len(products) == 8

    def test_does_not_collide_with_users_created_otherwise(
        self, seed: Seeder, database: Database
    ) -> None:
        site_id = seed("--users", "5", "--courses", "1", "--enrollments", "0")
        with database.transaction() as session:
            # Someone deletes a seeded user and creates one with the next seeded email.
            taken = session.scalars(
                select(User).where(User.site_id == site_id).order_by(User.id)
            ).all()
            stem = taken[0].email.split("@")[0].rstrip("0123456789")
            session.delete(taken[0])
            now = datetime.now(UTC)
            for number in range(5, 9):
                email = f"{stem}{number}@example.com"
                session.add(
                    User(
                        site_id=site_id,
                        email=email,
                        email_key=email,
                        first_name="X",
                        last_name="Y",
                        created_at=now,
                        updated_at=now,
                    )
                )

        seed("--users", "5", "--courses", "1", "--enrollments", "0")

        with database.transaction(write=False) as session:
            assert _count(session, User, site_id) == 13

    def test_too_many_enrollments_fail_and_write_nothing(
        self, cli: Run, subdomain: str, database: Database
    ) -> None:
        result = cli("seed", subdomain, "--users", "4", "--courses", "2", "--enrollments", "9")

        assert result.exit_code == 1
        assert (
            "error: 9 enrollments need at least that many distinct (user, course) pairs, "
            "but 4 users x 2 courses give only 8"
        ) in one_line(result.stderr)
        assert site_id_of(database, subdomain) is None

    @pytest.mark.parametrize("option", ["--users", "--courses", "--enrollments"])
    def test_negative_counts_fail(
        self, cli: Run, subdomain: str, database: Database, option: str
    ) -> None:
        result = cli("seed", subdomain, option, "-1")

        assert result.exit_code == 1
        assert f"error: {option} must be 0 or more (got -1)" in one_line(result.stderr)
        assert site_id_of(database, subdomain) is None

    def test_an_invalid_subdomain_fails(self, cli: Run) -> None:
        result = cli("seed", "Not A Subdomain!")

        assert result.exit_code == 1
        assert "invalid subdomain" in result.stderr

    def test_an_empty_seed_creates_only_the_site(self, seed: Seeder, database: Database) -> None:
        site_id = seed("--users", "0", "--courses", "0", "--enrollments", "0")
        assert site_id is not None
        with database.transaction(write=False) as session:
            assert _count(session, User, site_id) == 0
            assert _count(session, Course, site_id) == 0


def test_a_seeds_users_are_found_without_an_in_list_of_them(
    cli: Run, subdomain: str, database: Database
) -> None:
    """A seed of 100,000 users asked for its course admins with an IN list of every user id,
    past PostgreSQL's 65,535 parameters: the role's holders are read, then matched."""
    result = cli("seed", subdomain, "--users", "20", "--courses", "2", "--enrollments", "5")
    assert result.exit_code == 0, result.output
    site_id = site_id_of(database, subdomain)
    with database.transaction() as session:
        site = session.get_one(Site, site_id)
        users = session.execute(
            select(User.id, User.roles_text).where(User.site_id == site_id)
        ).all()
        admins = sorted(id for id, roles in users if ",course_admin," in roles)
        assert admins, "the seed makes course admins"
        # Ids of no user at all, beyond what PostgreSQL takes as parameters, and the seed's.
        seeded = [10**12 + number for number in range(70_000)] + [id for id, _ in users]
        seeder = SimpleNamespace(session=session, site=site)
        assert _seeded_with_role(seeder, seeded, "course_admin") == admins
        assert _seeded_with_role(seeder, seeded[:70_000], "course_admin") == []


def test_a_bulk_seed_is_vacuumed_on_postgresql(
    cli: Run, subdomain: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its index-only scans then read no row's page (a fresh million's counts took 60 ms)."""
    if database.is_sqlite:
        pytest.skip("VACUUM is PostgreSQL's: SQLite's plans need no visibility map")

    def vacuums() -> int:
        with database.engine.connect() as connection:
            count = connection.exec_driver_sql(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'enrollments'"
            ).scalar_one()
            return int(count)

    monkeypatch.setattr(generator, "VACUUM_AFTER_ROWS", 1_000_000)
    before = vacuums()
    assert cli("seed", subdomain, "--users", "20", "--enrollments", "10").exit_code == 0
    assert vacuums() == before  # a small seed is left to autovacuum
    monkeypatch.setattr(generator, "VACUUM_AFTER_ROWS", 30)
    assert cli("seed", subdomain, "--users", "20", "--enrollments", "10").exit_code == 0
    assert vacuums() == before + 1


def test_a_bulk_seed_through_the_control_plane_is_vacuumed_too(
    http: TestClient, subdomain: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database.is_sqlite:
        pytest.skip("VACUUM is PostgreSQL's: SQLite's plans need no visibility map")
    admin = {"Authorization": "Bearer test-admin-token"}
    assert http.post("/_syllabus/sites", json={"subdomain": subdomain}, headers=admin).is_success

    def vacuums() -> int:
        with database.engine.connect() as connection:
            count = connection.exec_driver_sql(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'enrollments'"
            ).scalar_one()
            return int(count)

    monkeypatch.setattr(generator, "VACUUM_AFTER_ROWS", 30)
    before = vacuums()
    seeded = http.post(
        f"/_syllabus/sites/{subdomain}/seed", json={"users": 20, "enrollments": 10}, headers=admin
    )
    assert seeded.status_code == 201
    assert seeded.json()["enrollments"] == 10
    assert vacuums() == before + 1
