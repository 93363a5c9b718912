"""A product's ``instructor_names``: its course's instructor, or its bundle's courses' instructors
in the bundle's order, as one string ("Ada Lovelace, Alan Turing"); null when there are none.

The names are read in the product's own statement, as a list (``Children`` with ``ids_of``: a
one-column subquery, aggregated), then joined here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, literal, select, union_all

from syllabus.kit.wire import Children
from syllabus.models import Course, Instructor, bundle_courses


def _names_of(product: Any) -> Select[Any]:
    name = func.trim(Instructor.first_name + " " + Instructor.last_name).label("name")
    course = (
        select(name, literal(0).label("position"))
        .select_from(Course)
        .join(Instructor, Instructor.id == Course.instructor_id)
        .where(product.productable_type == "Course", Course.id == product.productable_id)
        .correlate(product)
    )
    bundle = (
        select(name, bundle_courses.c.position)
        .select_from(bundle_courses)
        .join(Course, Course.id == bundle_courses.c.course_id)
        .join(Instructor, Instructor.id == Course.instructor_id)
        .where(
            product.productable_type == "Bundle",
            bundle_courses.c.bundle_id == product.productable_id,
        )
        .correlate(product)
    )
    names = union_all(course, bundle).subquery()
    return select(names.c.name).order_by(names.c.position)


def _joined(names: list[str]) -> str | None:
    """The distinct names, in order, joined by ", "; None for none."""
    return ", ".join(dict.fromkeys(names)) or None


INSTRUCTOR_NAMES = Children(ids_of=_names_of, reduce=_joined)
