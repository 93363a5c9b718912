"""Deterministic demo data for one site: ``syllabus seed`` and ``syllabus demo``.

The same seed and counts always give the same names, structure and progress: everything is drawn
from one ``random.Random(seed)`` in a fixed order, and what the database decides (email numbers,
slugs, reused definitions and groups) never feeds back into that stream. Emails are numbered from
the site's user count, skipping any already taken, so seeding a site twice adds new people instead
of colliding with the first run.

Rows go in through SQLAlchemy Core-style bulk inserts (executemany, with ``RETURNING`` where the
ids are needed) inside the caller's transaction. Seeding records no events: events are for API
writes.
"""

from __future__ import annotations

import hashlib
import heapq
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.orm import Session

from syllabus.clock import clock
from syllabus.db import Database
from syllabus.models import (
    Base,
    Chapter,
    Content,
    Course,
    CustomProfileField,
    CustomProfileFieldDefinition,
    Enrollment,
    Group,
    GroupMembership,
    Instructor,
    Product,
    Site,
    User,
    course_admins,
)
from syllabus.models.base import stamped
from syllabus.models.user import email_key, encode_roles
from syllabus.seed import names
from syllabus.seed.commerce import MAX_BOUGHT, Bought, Listed, seed_commerce
from syllabus.seed.people import seed_people

BATCH = 5_000
WINDOW = timedelta(days=180)
DAY_MS = 86_400_000
EMAIL_DOMAIN = "example.com"
# A seed of this many users and enrollments or more is vacuumed once committed (vacuum_after).
VACUUM_AFTER_ROWS = 10_000

# (label, required): definitions the generator fills in; reused when the site already has them.
PROFILE_FIELDS = (("Country", False), ("Company size", False), ("Job title", False))

# Called with (what is happening, units done, units in total).
ProgressCallback = Callable[[str, int, int], None]


class SeedError(ValueError):
    """Counts that cannot be honoured; the message says why."""


@dataclass(frozen=True)
class SeedSummary:
    users: int
    instructors: int
    courses: int
    chapters: int
    contents: int
    profile_field_definitions: int
    profile_field_values: int
    course_admins: int
    affiliates: int
    groups: int
    group_memberships: int
    enrollments: int
    bundles: int
    categories: int
    promotions: int
    coupons: int
    orders: int
    external_orders: int
    group_analysts: int
    reviews: int
    site_scripts: int
    publish_requests: int


def check_counts(users: int, courses: int, enrollments: int) -> None:
    for name, value in (("users", users), ("courses", courses), ("enrollments", enrollments)):
        if value < 0:
            raise SeedError(f"--{name} must be 0 or more (got {value})")
    if enrollments > users * courses:
        raise SeedError(
            f"{enrollments} enrollments need at least that many distinct (user, course) pairs, "
            f"but {users} users x {courses} courses give only {users * courses}"
        )


def total_units(users: int, courses: int, enrollments: int) -> int:
    """The progress callback's total: one unit per user, course and enrollment."""
    return users + courses + enrollments


def vacuum_after(database: Database, summary: SeedSummary) -> None:
    """Once a seed has committed: a bulk one's tables vacuumed now (PostgreSQL,
    ``Database.vacuum``), not whenever autovacuum comes by. Every seed calls it, the command's
    and the control plane's."""
    if summary.users + summary.enrollments >= VACUUM_AFTER_ROWS:
        database.vacuum([table.name for table in Base.metadata.sorted_tables])


def seed_site(
    session: Session,
    site: Site,
    *,
    users: int,
    courses: int,
    enrollments: int,
    seed: int,
    progress: ProgressCallback | None = None,
) -> SeedSummary:
    """Add demo data to ``site`` inside the caller's transaction, and say what was added."""
    check_counts(users, courses, enrollments)
    return _Seeder(session, site, seed, progress, total_units(users, courses, enrollments)).run(
        users, courses, enrollments
    )


# --- the plan: everything random, drawn before the database is consulted -------------------


@dataclass
class _PlannedUser:
    first_name: str
    last_name: str
    company: str | None
    created_ms: int  # milliseconds before "now"
    roles: set[str] = field(default_factory=set)
    profile: dict[str, str] = field(default_factory=dict)
    commission: Decimal | None = None


@dataclass
class _PlannedContent:
    name: str
    contentable_type: str
    free: bool


@dataclass
class _PlannedCourse:
    name: str
    subtitle: str
    duration: str
    price: Decimal
    has_certificate: bool
    reviews_enabled: bool
    instructor: int
    created_ms: int
    chapters: list[tuple[str, list[_PlannedContent]]]
    content_count: int = 0

    def __post_init__(self) -> None:
        self.content_count = sum(len(contents) for _, contents in self.chapters)


def _plan_users(rng: random.Random, count: int) -> list[_PlannedUser]:
    planned = []
    for _ in range(count):
        user = _PlannedUser(
            first_name=rng.choice(names.FIRST_NAMES),
            last_name=rng.choice(names.LAST_NAMES),
            company=rng.choice(names.COMPANIES) if rng.random() < 0.6 else None,
            created_ms=rng.randrange(int(WINDOW.total_seconds() * 1000) - 5 * DAY_MS),
        )
        user.profile["Country"] = rng.choice(names.COUNTRIES)
        if rng.random() < 0.7:
            user.profile["Company size"] = rng.choice(names.COMPANY_SIZES)
        if rng.random() < 0.5:
            user.profile["Job title"] = rng.choice(names.JOB_TITLES)
        planned.append(user)
    # Oldest first, so ids grow with signup time as they would on a real site.
    planned.sort(key=lambda user: -user.created_ms)
    return planned


def _plan_roles(rng: random.Random, planned: list[_PlannedUser], courses: int) -> list[int]:
    """Pick course admins, affiliates, a site admin and a group analyst; return the admins."""
    count = len(planned)
    if count == 0:
        return []
    order = rng.sample(range(count), count)
    admins = order[: min(20, max(1, count // 25))] if courses else []
    affiliates = order[len(admins) : len(admins) + max(1, count // 25)]
    for index in admins:
        planned[index].roles.add("course_admin")
    for index in affiliates:
        planned[index].roles.add("affiliate")
        planned[index].commission = Decimal(rng.choice(("10", "15", "20", "25")))
    if count >= 20:
        planned[order[-1]].roles.add("site_admin")
        planned[order[-2]].roles.add("group_analyst")
    return admins


def _plan_course_contents(rng: random.Random) -> list[tuple[str, list[_PlannedContent]]]:
    types = list(names.CONTENT_WEIGHTS)
    weights = list(names.CONTENT_WEIGHTS.values())
    chapter_names = rng.sample(names.CHAPTER_NAMES, rng.randint(3, 6))
    chapters = []
    for chapter_name in chapter_names:
        contents = []
        for _ in range(rng.randint(2, 5)):
            kind = rng.choices(types, weights)[0]
            contents.append(_PlannedContent(rng.choice(names.CONTENT_NAMES[kind]), kind, False))
        chapters.append((chapter_name, contents))
    # Every course opens with a free preview lesson and closes with a quiz or a survey.
    first = chapters[0][1][0]
    first.name, first.contentable_type, first.free = "Welcome", "Lesson", True
    closing = rng.choice(("Quiz", "Survey"))
    chapters[-1][1].append(_PlannedContent(names.CONTENT_NAMES[closing][0], closing, False))
    return chapters


def _plan_courses(rng: random.Random, count: int, instructors: int) -> list[_PlannedCourse]:
    combos = [f"{p} {t}" for p in names.COURSE_PREFIXES for t in names.COURSE_TOPICS]
    rng.shuffle(combos)
    planned = []
    window_ms = int(WINDOW.total_seconds() * 1000)
    for index in range(count):
        name = combos[index % len(combos)]
        if index >= len(combos):
            name += f" {index // len(combos) + 1}"
        planned.append(
            _PlannedCourse(
                name=name,
                subtitle=rng.choice(names.SUBTITLES),
                duration=rng.choice(names.DURATIONS),
                price=Decimal(rng.choice(names.PRICES)),
                has_certificate=rng.random() < 0.5,
                reviews_enabled=rng.random() < 0.4,
                instructor=rng.randrange(instructors),
                created_ms=window_ms + rng.randrange(30 * DAY_MS),
                chapters=_plan_course_contents(rng),
            )
        )
    planned.sort(key=lambda course: -course.created_ms)
    return planned


def _plan_groups(rng: random.Random, users: int) -> list[tuple[str, list[int]]]:
    if users == 0:
        return []
    count = 2 if users < 100 else 3
    groups = []
    for name in rng.sample(names.GROUP_NAMES, count):
        members = sorted(index for index in range(users) if rng.random() < 0.15)
        groups.append((name, members or [rng.randrange(users)]))
    return groups


# --- writing --------------------------------------------------------------------------------


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _unique(candidate: str, taken: set[str]) -> str:
    value, suffix = candidate, 2
    while value in taken:
        value, suffix = f"{candidate}-{suffix}", suffix + 1
    taken.add(value)
    return value


def _chunks(
    rows: Sequence[dict[str, Any]], size: int = BATCH
) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _copier(
    session: Session, table: Table, rows: Sequence[dict[str, Any]]
) -> Callable[[Sequence[dict[str, Any]]], None] | None:
    """PostgreSQL: what writes a batch of ``rows`` into ``table`` with ``COPY``, or None where
    an INSERT must (another database; rows of different columns; a column left out that has a
    Python-side default, which COPY would not apply).

    psycopg runs an executemany as one statement per row: a million enrollments took 55 s to
    insert, most of it spent in the driver. ``COPY`` takes the rows in one stream per batch,
    each value through its column type's bind processor, as the INSERT would have sent it.
    """
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql" or not rows:
        return None
    keys = list(rows[0])
    columns = [table.c[key] for key in keys]
    named = set(keys)
    if any(c.default is not None and c.key not in named for c in table.columns):
        return None
    if any(row.keys() != rows[0].keys() for row in rows):
        return None
    processors = [column.type._cached_bind_processor(dialect) for column in columns]
    quote = dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) FROM STDIN"
    driver: Any = connection.connection.dbapi_connection

    def copy(batch: Sequence[dict[str, Any]]) -> None:
        with driver.cursor() as cursor, cursor.copy(sql) as stream:
            for row in batch:
                stream.write_row(
                    [
                        value if process is None or value is None else process(value)
                        for process, value in zip(
                            processors, map(row.__getitem__, keys), strict=True
                        )
                    ]
                )

    return copy


def _oldest_first(created_ms_ago: list[int]) -> list[int]:
    """Indexes of ``created_ms_ago`` from the oldest, stable for ties, as ``sorted`` would give.

    Sorted a batch at a time and merged: one C-level sort of a million keys holds the GIL for a
    long moment, and a seed over HTTP runs beside the event loop (``Database.run(inline=False)``).
    """

    def age(index: int) -> int:
        return -created_ms_ago[index]

    indexes = range(len(created_ms_ago))
    batches = [sorted(indexes[start : start + BATCH], key=age) for start in indexes[::BATCH]]
    return list(heapq.merge(*batches, key=age))


class _Seeder:
    def __init__(
        self,
        session: Session,
        site: Site,
        seed: int,
        progress: ProgressCallback | None,
        total: int,
    ) -> None:
        self.session = session
        self.site = site
        self.rng = random.Random(seed)
        now = clock.now(site.clock_offset_seconds).astimezone(UTC)
        # Naive UTC, whole milliseconds: what UTCDateTime stores, with no conversion per value.
        self.now = now.replace(microsecond=now.microsecond // 1000 * 1000, tzinfo=None)
        self.progress = progress
        self.total = total
        self.done = 0

    def row(self, created_at: datetime, **values: Any) -> dict[str, Any]:
        """A new row's values for a Core insert, stamped with the site and ``created_at``."""
        return stamped(self.site.id, created_at, **values)

    def at(self, ms_ago: int) -> datetime:
        return self.now - timedelta(milliseconds=ms_ago)

    def advance(self, step: str, units: int = 0) -> None:
        self.done += units
        if self.progress is not None:
            self.progress(step, self.done, self.total)

    # Core inserts on the tables, not ORM bulk inserts: the ORM splits a batch into one statement
    # per distinct set of NULL columns, which made 100,000 enrollments ten times slower.
    def insert_ids(self, model: Any, rows: Sequence[dict[str, Any]], step: str = "") -> list[int]:
        table: Table = model.__table__
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids: list[int] = []
        for batch in _chunks(rows):
            ids.extend(self.session.execute(statement, batch).scalars())
            if step:
                self.advance(step, len(batch))
        return ids

    def insert(self, model: Any, rows: Sequence[dict[str, Any]], step: str = "") -> None:
        table: Table = model if isinstance(model, Table) else model.__table__
        copy = _copier(self.session, table, rows)
        for batch in _chunks(rows):
            if copy is not None:
                copy(batch)
            else:
                self.session.execute(insert(table), batch)
            if step:
                self.advance(step, len(batch))

    def analyze(self) -> None:
        """PostgreSQL: refresh the planner's statistics of what was just written. Until
        autovacuum gets to it, a table that grew from nothing to 20,000 rows is planned as if it
        held a handful (a page of courses hashed every user of the site for each course: 130 ms
        instead of 3). SQLite keeps no statistics unless asked, and plans by its indexes."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("ANALYZE"))

    def run(self, user_count: int, course_count: int, enrollment_count: int) -> SeedSummary:
        rng = self.rng
        instructor_count = min(10, max(1, course_count // 2)) if course_count else 0
        planned_instructors = [
            (rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES), rng.randrange(5))
            for _ in range(instructor_count)
        ]
        planned_users = _plan_users(rng, user_count)
        admins = _plan_roles(rng, planned_users, course_count)
        planned_courses = _plan_courses(rng, course_count, max(1, instructor_count))
        admin_links = [
            (admin, course)
            for admin in admins
            for course in rng.sample(range(course_count), min(course_count, rng.randint(1, 3)))
        ]
        planned_groups = _plan_groups(rng, user_count)

        self.advance("Preparing")
        definitions, new_definitions = self.definitions()
        user_ids, values = self.users(planned_users, definitions)
        instructor_ids = self.instructors(planned_instructors)
        course_ids, product_ids, chapters, contents = self.courses(planned_courses, instructor_ids)
        self.insert(
            course_admins,
            [{"course_id": course_ids[c], "user_id": user_ids[u]} for u, c in admin_links],
        )
        groups, memberships = self.groups(planned_groups, planned_users, user_ids)
        # Then enrollments, which draw from the random stream while they are written, and what
        # was sold: drawn after everything above, so that adding it changed none of that.
        bought = self.enrollments(
            enrollment_count, planned_users, planned_courses, user_ids, course_ids
        )
        sales = seed_commerce(
            self,
            [Listed(c.name, c.price, c.created_ms) for c in planned_courses],
            course_ids,
            product_ids,
            user_ids,
            bought,
        )
        people = seed_people(self, user_ids, course_ids, product_ids, bought)
        self.analyze()
        self.advance("Done")
        return SeedSummary(
            users=user_count,
            instructors=instructor_count,
            courses=course_count,
            chapters=chapters,
            contents=contents,
            profile_field_definitions=new_definitions,
            profile_field_values=values,
            course_admins=len(admins),
            affiliates=sum("affiliate" in user.roles for user in planned_users),
            groups=groups,
            group_memberships=memberships,
            enrollments=enrollment_count,
            **asdict(sales),
            **asdict(people),
        )

    def definitions(self) -> tuple[dict[str, int], int]:
        existing: dict[str, int] = {
            label: id
            for label, id in self.session.execute(
                select(CustomProfileFieldDefinition.label, CustomProfileFieldDefinition.id).where(
                    CustomProfileFieldDefinition.site_id == self.site.id
                )
            )
        }
        missing = [(label, required) for label, required in PROFILE_FIELDS if label not in existing]
        created_at = self.at(int(WINDOW.total_seconds() * 1000) + 31 * DAY_MS)
        rows = [
            self.row(
                created_at,
                label=label,
                field_type="text",
                required=required,
            )
            for label, required in missing
        ]
        for (label, _), id in zip(
            missing, self.insert_ids(CustomProfileFieldDefinition, rows), strict=True
        ):
            existing[label] = id
        return existing, len(missing)

    def users(
        self, planned: list[_PlannedUser], definitions: dict[str, int]
    ) -> tuple[list[int], int]:
        taken = set(
            self.session.scalars(select(User.email_key).where(User.site_id == self.site.id))
        )
        number = len(taken)
        rows = []
        for user in planned:
            stem = _slugify(f"{user.first_name}.{user.last_name}").replace("-", ".")
            number += 1
            email = f"{stem}{number}@{EMAIL_DOMAIN}"
            while email in taken:
                number += 1
                email = f"{stem}{number}@{EMAIL_DOMAIN}"
            taken.add(email)
            created_at = self.at(user.created_ms)
            affiliate = "affiliate" in user.roles
            rows.append(
                self.row(
                    created_at,
                    email=email,
                    email_key=email_key(email),
                    first_name=user.first_name,
                    last_name=user.last_name,
                    company=user.company,
                    roles_text=encode_roles(user.roles),
                    affiliate_code=f"{stem.split('.')[0]}{number}".upper() if affiliate else None,
                    affiliate_commission=user.commission,
                    affiliate_commission_type="%" if affiliate else None,
                    affiliate_payout_email=email if affiliate else None,
                )
            )
        ids = self.insert_ids(User, rows, "Users")
        values = [
            self.row(
                row["created_at"],
                user_id=user_id,
                custom_profile_field_definition_id=definitions[label],
                value=value,
            )
            for user, user_id, row in zip(planned, ids, rows, strict=True)
            for label, value in user.profile.items()
        ]
        self.insert(CustomProfileField, values)
        return ids, len(values)

    def instructors(self, planned: list[tuple[str, str, int]]) -> list[int]:
        taken = set(
            self.session.scalars(select(Instructor.slug).where(Instructor.site_id == self.site.id))
        )
        created_at = self.at(int(WINDOW.total_seconds() * 1000) + 30 * DAY_MS)
        rows = []
        for first, last, title in planned:
            slug = _unique(_slugify(f"{first} {last}"), taken)
            rows.append(
                self.row(
                    created_at,
                    first_name=first,
                    last_name=last,
                    title=names.INSTRUCTOR_TITLES[title],
                    bio=f"{first} has taught thousands of students online.",
                    slug=slug,
                    email=f"{slug}@instructors.{EMAIL_DOMAIN}",
                )
            )
        return self.insert_ids(Instructor, rows)

    def courses(
        self, planned: list[_PlannedCourse], instructor_ids: list[int]
    ) -> tuple[list[int], list[int], int, int]:
        site_id = self.site.id
        taken = set(self.session.scalars(select(Course.slug).where(Course.site_id == site_id)))
        taken |= set(self.session.scalars(select(Product.slug).where(Product.site_id == site_id)))
        position = self.session.scalar(
            select(func.count()).select_from(Product).where(Product.site_id == site_id)
        )
        slugs = [_unique(_slugify(course.name), taken) for course in planned]
        product_rows = [
            self.row(
                self.at(course.created_ms),
                productable_type="Course",
                productable_id=None,
                name=course.name,
                slug=slug,
                price=course.price,
                position=(position or 0) + index,
                status="published",
                private=False,
                hidden=False,
                subscription=False,
                has_certificate=course.has_certificate,
                keywords=course.name.lower().replace(" ", ", "),
                description=f"<p>{course.subtitle}.</p>",
            )
            for index, (course, slug) in enumerate(zip(planned, slugs, strict=True))
        ]
        product_ids = self.insert_ids(Product, product_rows)
        course_rows = [
            self.row(
                self.at(course.created_ms),
                name=course.name,
                slug=slug,
                subtitle=course.subtitle,
                product_id=product_id,
                description=f"<p>{course.subtitle}.</p>",
                course_card_text=course.subtitle,
                keywords=course.name.lower().replace(" ", ", "),
                duration=course.duration,
                reviews_enabled=course.reviews_enabled,
                instructor_id=instructor_ids[course.instructor],
            )
            for course, slug, product_id in zip(planned, slugs, product_ids, strict=True)
        ]
        course_ids = self.insert_ids(Course, course_rows)
        if course_ids:
            self.session.execute(
                update(Product),
                [
                    {"id": product_id, "productable_id": course_id}
                    for product_id, course_id in zip(product_ids, course_ids, strict=True)
                ],
            )

        chapter_rows = []
        for course, course_id in zip(planned, course_ids, strict=True):
            for position, (name, _) in enumerate(course.chapters):
                chapter_rows.append(
                    self.row(
                        self.at(course.created_ms),
                        course_id=course_id,
                        name=name,
                        position=position,
                        description=None,
                        duration_in_seconds=None,
                    )
                )
        chapter_ids = iter(self.insert_ids(Chapter, chapter_rows))
        content_rows = []
        for course, course_id in zip(planned, course_ids, strict=True):
            for _, contents in course.chapters:
                chapter_id = next(chapter_ids)
                for position, content in enumerate(contents):
                    content_rows.append(
                        self.row(
                            self.at(course.created_ms),
                            chapter_id=chapter_id,
                            course_id=course_id,
                            name=content.name,
                            position=position,
                            contentable_type=content.contentable_type,
                            free=content.free,
                        )
                    )
        self.insert(Content, content_rows)
        self.advance("Courses", len(planned))
        return course_ids, product_ids, len(chapter_rows), len(content_rows)

    def groups(
        self,
        planned: list[tuple[str, list[int]]],
        users: list[_PlannedUser],
        user_ids: list[int],
    ) -> tuple[int, int]:
        existing: dict[str, int] = {
            name: id
            for name, id in self.session.execute(
                select(Group.name, Group.id).where(Group.site_id == self.site.id)
            )
        }
        created = 0
        rows: list[dict[str, Any]] = []
        for name, members in planned:
            group_id = existing.get(name)
            if group_id is None:
                created_at = self.at(int(WINDOW.total_seconds() * 1000))
                group_id = self.session.scalars(
                    insert(Group).returning(Group.id),
                    [
                        self.row(
                            created_at,
                            name=name,
                            token=self.group_token(name),
                        )
                    ],
                ).one()
                created += 1
            rows.extend(
                self.row(
                    self.at(users[member].created_ms),
                    group_id=group_id,
                    user_id=user_ids[member],
                )
                for member in members
            )
        self.insert(GroupMembership, rows)
        return created, len(rows)

    def group_token(self, name: str) -> str:
        """Eight hex characters, unique across sites, derived from the site and the name."""
        for attempt in range(100):
            digest = hashlib.sha256(f"{self.site.global_id}:{name}:{attempt}".encode()).hexdigest()
            token = digest[:8]
            if not self.session.scalar(select(func.count()).where(Group.token == token)):
                return token
        raise SeedError("could not find a free group token")  # pragma: no cover

    def enrollments(
        self,
        count: int,
        users: list[_PlannedUser],
        courses: list[_PlannedCourse],
        user_ids: list[int],
        course_ids: list[int],
    ) -> list[Bought]:
        """Distinct (user, course) pairs, written oldest first in batches (a million fit in memory);
        the first full enrollments come back as what their users bought."""
        rng = self.rng
        pairs = rng.sample(range(len(users) * len(courses)), count)
        # Enrolled after both the user and the course existed, up to now.
        created = [
            rng.randrange(
                min(users[p // len(courses)].created_ms, courses[p % len(courses)].created_ms) + 1
            )
            for p in pairs
        ]
        order = _oldest_first(created)
        bought: list[Bought] = []
        for start in range(0, count, BATCH):
            rows = []
            for index in order[start : start + BATCH]:
                user, course = divmod(pairs[index], len(courses))
                row = self.enrollment_row(
                    user_ids[user], course_ids[course], created[index], courses[course]
                )
                rows.append(row)
                if row["activated_at"] is not None and len(bought) < MAX_BOUGHT:
                    bought.append(Bought(row["user_id"], course, row["activated_at"]))
            self.insert(Enrollment, rows, "Enrollments")
        return bought

    def enrollment_row(
        self, user_id: int, course_id: int, created_ms: int, course: _PlannedCourse
    ) -> dict[str, Any]:
        """One enrollment: a free trial (10%), not started (25%), partway (40%) or completed;
        with no expiry (77%), an expiry passed since (8%) or one to come (15%)."""
        rng = self.rng
        created_at = self.at(created_ms)
        activated_at: datetime | None = created_at
        started_at: datetime | None = None
        completed_at: datetime | None = None
        percentage = 0.0
        roll = rng.random()
        if roll < 0.1:
            activated_at = None
        elif roll >= 0.35:
            started_at = min(
                self.now, created_at + timedelta(milliseconds=rng.randrange(3 * DAY_MS))
            )
            if roll < 0.75:
                percentage = rng.randrange(1, course.content_count) / course.content_count
            else:
                percentage = 1.0
                completed_at = min(
                    self.now,
                    started_at + timedelta(milliseconds=rng.randrange(DAY_MS, 60 * DAY_MS)),
                )
        updated_at = max(t for t in (created_at, started_at, completed_at) if t is not None)
        expiry_date: datetime | None = None
        roll = rng.random()
        if activated_at is not None and 0.77 <= roll < 0.85:
            # Between the last activity and now: access that has run out since.
            expiry_date = updated_at + (self.now - updated_at) / 2
        elif activated_at is not None and roll >= 0.85:
            expiry_date = self.now + timedelta(
                milliseconds=rng.randrange(30 * DAY_MS, 365 * DAY_MS)
            )
        return self.row(
            created_at,
            updated_at=updated_at,
            user_id=user_id,
            course_id=course_id,
            activated_at=activated_at,
            expiry_date=expiry_date,
            started_at=started_at,
            completed_at=completed_at,
            percentage_completed=percentage,
            is_free_trial=activated_at is None,
        )
