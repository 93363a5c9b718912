"""Expected category bodies (the spec's CollectionResponse), and a frozen clock for them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from syllabus.models import Collection, collection_memberships
from tests.support import SiteClient, overridden

NOW = datetime(2025, 1, 10, 9, 15, 30, 250000, tzinfo=UTC)
NOW_TEXT = "2025-01-10T09:15:30.250Z"
FIXED_TEXT = "2024-02-22T20:32:52.726Z"
CATEGORY_FIELDS = ["id", "name", "description", "slug", "created_at", "product_ids", "default"]


def category_body(category_id: int, name: str, slug: str, **overrides: Any) -> dict[str, Any]:
    """A category as Thinkific sends it; defaults are a factory row."""
    body: dict[str, Any] = {
        "id": category_id,
        "name": name,
        "description": None,
        "slug": slug,
        "created_at": FIXED_TEXT,
        "product_ids": [],
        "default": False,
    }
    assert list(body) == CATEGORY_FIELDS
    return overridden(body, overrides)


def default_body(category_id: int, created_at: str = NOW_TEXT) -> dict[str, Any]:
    """The default category every site has from its creation."""
    return category_body(category_id, "All Courses", "all", created_at=created_at, default=True)


def default_id(site: SiteClient) -> int:
    statement = select(Collection.id).where(
        Collection.site_id == site.id, Collection.is_default.is_(True)
    )
    return int(site.db(lambda s: s.scalars(statement).one()))


def category_count(site: SiteClient) -> int:
    statement = select(func.count()).where(Collection.site_id == site.id)
    return int(site.db(lambda s: s.scalar(statement)))


def membership_pairs(site: SiteClient) -> list[tuple[int, int]]:
    """Every ``(category, product)`` membership of the site's categories, sorted."""
    statement = (
        select(collection_memberships.c.collection_id, collection_memberships.c.product_id)
        .join(Collection, Collection.id == collection_memberships.c.collection_id)
        .where(Collection.site_id == site.id)
        .order_by(collection_memberships.c.collection_id, collection_memberships.c.product_id)
    )
    return site.db(lambda s: [(row[0], row[1]) for row in s.execute(statement)])
