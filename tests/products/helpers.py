"""Expected product bodies, written from FIDELITY §6.6 and the spec, not from the server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syllabus.models import Bundle, Course
from tests.factories import make_bundle, make_course
from tests.support import RECORD_NOT_FOUND, SiteClient, assert_answers, overridden, pagination

FIXED_TEXT = "2024-02-22T20:32:52.726Z"

# The live API's order (FIDELITY §6.6), then the spec's fields that example lacks, in the
# spec's order, then instructor_names (FIDELITY §6.5).
PRODUCT_FIELDS = [
    "id",
    "created_at",
    "productable_id",
    "productable_type",
    "price",
    "position",
    "status",
    "name",
    "private",
    "hidden",
    "subscription",
    "days_until_expiry",
    "has_certificate",
    "collection_ids",
    "seo_title",
    "seo_description",
    "keywords",
    "related_product_ids",
    "slug",
    "description",
    "card_image_url",
    "product_prices",
    "instructor_names",
]
# The spec's ProductPriceResponse order.
PRICE_FIELDS = [
    "id",
    "is_primary",
    "payment_type",
    "label",
    "price",
    "days_until_expiry",
    "pay_button_text",
    "number_of_payments",
    "interval",
    "interval_count",
    "trial_interval",
    "trial_interval_count",
    "custom_first_price",
    "price_name",
    "currency",
]


@dataclass(frozen=True)
class Made:
    """A productable (course or bundle; none for a bare product) and its product, with the
    names the factory gave."""

    id: int | None
    product_id: int
    name: str
    slug: str


def course_product(site: SiteClient, name: str, **overrides: Any) -> Made:
    slug = name.lower().replace(" ", "-")
    course = make_course(site, name=name, slug=slug, **overrides)
    return Made(course, site.db(lambda s: s.get_one(Course, course).product_id), name, slug)


def bundle_product(site: SiteClient, name: str, course_ids: list[int]) -> Made:
    slug = name.lower().replace(" ", "-")
    bundle = make_bundle(site, course_ids, name=name, slug=slug)
    return Made(bundle, site.db(lambda s: s.get_one(Bundle, bundle).product_id), name, slug)


def product_body(made: Made, **overrides: Any) -> dict[str, Any]:
    """A product as Thinkific sends it; defaults are a factory row (a $49 published course)."""
    body: dict[str, Any] = {
        "id": made.product_id,
        "created_at": FIXED_TEXT,
        "productable_id": made.id,
        "productable_type": "Course",
        "price": "49.0",
        "position": 0,
        "status": "published",
        "name": made.name,
        "private": False,
        "hidden": False,
        "subscription": False,
        "days_until_expiry": None,
        "has_certificate": False,
        "collection_ids": [],
        "seo_title": None,
        "seo_description": None,
        "keywords": None,
        "related_product_ids": [],
        "slug": made.slug,
        "description": None,
        "card_image_url": None,
        "product_prices": [],
        "instructor_names": None,
    }
    assert list(body) == PRODUCT_FIELDS
    return overridden(body, overrides)


def price_body(price_id: int, price_name: str, **overrides: Any) -> dict[str, Any]:
    """A product price as the spec types it; defaults are the factory's primary $49 price."""
    body: dict[str, Any] = {
        "id": price_id,
        "is_primary": True,
        "payment_type": "one-time",
        "label": None,
        "price": "49.0",
        "days_until_expiry": None,
        "pay_button_text": None,
        "number_of_payments": None,
        "interval": None,
        "interval_count": None,
        "trial_interval": None,
        "trial_interval_count": None,
        "custom_first_price": None,
        "price_name": price_name,
        "currency": "usd",
    }
    assert list(body) == PRICE_FIELDS
    return overridden(body, overrides)


def one_page(*items: dict[str, Any]) -> dict[str, Any]:
    """A list response holding exactly ``items``, on its only page (default limit)."""
    count = len(items)
    return {"items": list(items), "meta": {"pagination": pagination(1, 25, count, count)}}


def assert_list_needs_its_parent(site: SiteClient, path: str) -> None:
    """``path`` (with ``{}`` for the parent's id) is a 404 for ids that name no parent."""
    for id in ("0", "abc", "1.5", "987654321"):
        assert_answers(site.get(path.format(id)), 404, RECORD_NOT_FOUND)
