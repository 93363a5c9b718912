"""Builders for bundle tests: bundles of courses whose wire values the tests know."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import bindparam, select

from syllabus.models import Course
from tests.courses.test_router import course_body
from tests.enrollments.helpers import CourseRef, new_course
from tests.factories import make_bundle
from tests.support import SiteClient, overridden

_SLUG_AND_PRODUCT = select(Course.slug, Course.product_id).where(Course.id == bindparam("id"))
# FIDELITY §6.6's real bundle: the spec's BundleResponse properties, then `slug`.
FIELD_ORDER = [
    "id",
    "name",
    "description",
    "banner_image_url",
    "course_ids",
    "bundle_card_image_url",
    "tagline",
    "slug",
]


def bundle_body(bundle_id: int, name: str, slug: str, **overrides: Any) -> dict[str, Any]:
    """A bundle as Thinkific sends it: every key, in the live API's order, null when empty."""
    body: dict[str, Any] = {
        "id": bundle_id,
        "name": name,
        "description": None,
        "banner_image_url": None,
        "course_ids": [],
        "bundle_card_image_url": None,
        "tagline": None,
        "slug": slug,
    }
    return overridden(body, overrides)


def new_bundle(site: SiteClient, count: int) -> tuple[int, list[CourseRef]]:
    """A bundle of ``count`` new courses, listed in the reverse of their creation (id) order, so
    that the bundle's order is visibly not the ids'."""
    courses = [new_course(site) for _ in range(count)][::-1]
    return make_bundle(site, [course.id for course in courses]), courses


def listed_course(site: SiteClient, course: CourseRef) -> dict[str, Any]:
    """The body of a course made by ``new_course`` (its product, no chapters or admins)."""
    slug, product_id = site.db(lambda s: s.execute(_SLUG_AND_PRODUCT, {"id": course.id}).one())
    return course_body(course.id, course.name, slug, product_id=product_id)


def enroll_in_bundle(
    site: SiteClient, bundle_id: Any, user_id: Any, **fields: Any
) -> httpx.Response:
    """POST /bundles/{bundle_id}/enrollments with this ``user_id`` (an id or junk) and ``fields``."""
    return site.post(f"/bundles/{bundle_id}/enrollments", json={"user_id": user_id, **fields})


def update_in_bundle(
    site: SiteClient, bundle_id: Any, user_id: Any, **fields: Any
) -> httpx.Response:
    """PUT /bundles/{bundle_id}/enrollments with this ``user_id`` and ``fields``."""
    return site.put(f"/bundles/{bundle_id}/enrollments", json={"user_id": user_id, **fields})


def listed(site: SiteClient, path: str, **params: Any) -> list[int]:
    """The ids of every item listed at ``path`` with ``params``, on one page."""
    response = site.get(path, params={"limit": 250, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]
