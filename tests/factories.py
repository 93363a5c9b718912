"""Plain factory functions: rows built directly in the database, never through the API under test.

Each takes the site and keyword overrides, commits, and returns the new row's id.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from syllabus.models import (
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
    User,
    course_admins,
)
from syllabus.models.base import stamp
from tests.support import SiteClient

_sequence = itertools.count(1)
FIXED = datetime(2024, 2, 22, 20, 32, 52, 726000, tzinfo=UTC)


def _save(site: SiteClient, row: Any) -> int:
    def work(session: Any) -> int:
        stamp(row, site.id, FIXED)
        session.add(row)
        session.flush()
        return int(row.id)

    return site.db(work)


def make_user(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    roles = overrides.pop("roles", [])
    values: dict[str, Any] = {
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "email": f"user{n}@example.com",
        **overrides,
    }
    email = values.pop("email")
    user = User(**values)
    user.set_email(email)
    user.roles = roles
    return _save(site, user)


def make_instructor(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"first_name": f"Ina{n}", "last_name": f"Structor{n}", "slug": f"ina-{n}", **overrides}
    return _save(site, Instructor(**values))


def make_product(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {
        "productable_type": "Course",
        "name": f"Product {n}",
        "slug": f"product-{n}",
        "price": Decimal("49.0"),
        **overrides,
    }
    return _save(site, Product(**values))


def make_course(site: SiteClient, **overrides: Any) -> int:
    """A course with its product (the product's productable is the course)."""
    n = next(_sequence)
    name = overrides.pop("name", f"Course {n}")
    slug = overrides.pop("slug", f"course-{n}")
    product_id = overrides.pop("product_id", None)
    if product_id is None and overrides.pop("with_product", True):
        product_id = make_product(site, name=name, slug=slug)
    course_id = _save(site, Course(name=name, slug=slug, product_id=product_id, **overrides))
    if product_id is not None:

        def link(session: Any) -> None:
            product = session.get(Product, product_id)
            product.productable_id = course_id

        site.db(link)
    return course_id


def make_chapter(site: SiteClient, course_id: int, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"name": f"Chapter {n}", "position": overrides.pop("position", n), **overrides}
    return _save(site, Chapter(course_id=course_id, **values))


def make_content(site: SiteClient, chapter_id: int, course_id: int, **overrides: Any) -> int:
    n = next(_sequence)
    values = {
        "name": f"Lesson {n}",
        "position": overrides.pop("position", n),
        "contentable_type": "Lesson",
        **overrides,
    }
    return _save(site, Content(chapter_id=chapter_id, course_id=course_id, **values))


def make_profile_field_definition(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"label": f"Field {n}", "field_type": "text", "required": False, **overrides}
    return _save(site, CustomProfileFieldDefinition(**values))


def set_profile_field(site: SiteClient, user_id: int, definition_id: int, value: str) -> int:
    return _save(
        site,
        CustomProfileField(
            user_id=user_id, custom_profile_field_definition_id=definition_id, value=value
        ),
    )


def make_enrollment(site: SiteClient, user_id: int, course_id: int, **overrides: Any) -> int:
    values = {"activated_at": FIXED, **overrides}
    return _save(site, Enrollment(user_id=user_id, course_id=course_id, **values))


def make_group(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"name": f"Group {n}", "token": f"{n:08x}"[-8:], **overrides}
    return _save(site, Group(**values))


def add_member(site: SiteClient, group_id: int, user_id: int) -> int:
    return _save(site, GroupMembership(group_id=group_id, user_id=user_id))


def add_course_admin(site: SiteClient, course_id: int, user_id: int) -> None:
    site.db(lambda s: s.execute(insert(course_admins).values(course_id=course_id, user_id=user_id)))
