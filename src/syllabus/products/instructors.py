"""A product's ``instructor_names``: its course's instructor, or its bundle's courses' instructors.

Each product row carries its instructors as one text value, built by a correlated subquery and
decoded here: a course product has at most one, a bundle one per course (in the bundle's
order), so the value is an aggregate. ``aggregate_strings`` is the one portable string
aggregate (``group_concat`` on SQLite, ``string_agg`` on PostgreSQL), and neither orders its
input, so each record carries its sort key and is ordered after decoding. A record is
``position:course_id:instructor_id:len(first):len(last):first_namelast_name``: names are taken
by length, so no character in a name can break the decoding.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, func, literal, select

from syllabus.models import Course, Instructor, Product, bundle_courses
from syllabus.models.user import full_name

_SEPARATOR = ";"


def _record(position: Any) -> Any:
    numbers = (
        position,
        Course.id,
        Instructor.id,
        func.length(Instructor.first_name),
        func.length(Instructor.last_name),
    )
    record: Any = Instructor.first_name + Instructor.last_name
    for number in reversed(numbers):
        record = cast(number, String) + ":" + record
    return record


def _records(courses: Any, position: Any, *conditions: Any) -> Any:
    """The instructor records of one product's ``courses`` (a FROM clause that has the courses
    table), joined by ``_SEPARATOR``; null when there are none."""
    return (
        select(func.aggregate_strings(_record(position), _SEPARATOR))
        .select_from(courses)
        .join(Instructor, Instructor.id == Course.instructor_id)
        .where(*conditions)
        .correlate(Product)
        .scalar_subquery()
    )


# The course of a course product.
COURSE_INSTRUCTOR = _records(
    Course, literal(0), Product.productable_type == "Course", Course.id == Product.productable_id
).label("course_instructor")
# The courses of a bundle product, at their positions in the bundle.
BUNDLE_INSTRUCTORS = _records(
    bundle_courses.join(Course, Course.id == bundle_courses.c.course_id),
    bundle_courses.c.position,
    Product.productable_type == "Bundle",
    bundle_courses.c.bundle_id == Product.productable_id,
).label("bundle_instructors")


def _decode(records: str) -> list[tuple[tuple[int, int], int, str]]:
    """``((position, course_id), instructor_id, "First Last")`` for each record."""
    decoded = []
    rest = records
    while rest:
        position, course, instructor, first, last, rest = rest.split(":", 5)
        end = int(first) + int(last)
        name = full_name(rest[: int(first)], rest[int(first) : end])
        decoded.append(((int(position), int(course)), int(instructor), name))
        rest = rest[end + len(_SEPARATOR) :]
    return decoded


def instructor_names(course: str | None, bundle: str | None) -> str | None:
    """The distinct instructors' names in course order, joined by ", "; None if there are none."""
    records = course or bundle
    if not records:
        return None
    names: dict[int, str] = {}
    for _, instructor, name in sorted(_decode(records)):
        names.setdefault(instructor, name)
    return ", ".join(names.values())
