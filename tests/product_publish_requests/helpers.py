"""Product publish request bodies written from the spec (ProductPublishRequest, with ``id``
first), and the people and products the tests answer requests with."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from syllabus.clock import clock
from syllabus.models import Product, ProductPublishRequest
from tests.factories import make_product, make_publish_request, make_user
from tests.support import SiteClient, overridden

NOW = datetime(2025, 1, 10, 9, 15, 30, 250000, tzinfo=UTC)
NOW_TEXT = "2025-01-10T09:15:30.250Z"
FIXED_TEXT = "2024-02-22T20:32:52.726Z"
NO_SUCH_ID = 2**62
FIELD_ORDER = [
    "id",
    "product_id",
    "status",
    "response_text",
    "requesting_user_id",
    "responding_user_id",
    "completed_at",
    "created_at",
    "updated_at",
]
# The responder's 422s: the spec's `user_id: not found` in the field-map form (FIDELITY
# §9.2 #8), and a user of the site who may not answer.
RESPONDER_NOT_FOUND = {"errors": {"user_id": ["not found"]}}
NOT_A_SITE_ADMIN = {"errors": {"user_id": ["is not a site admin"]}}


def already(status: str) -> dict[str, Any]:
    return {"errors": {"base": [f"Product publish request has already been {status}"]}}


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    """Every "now" is ``NOW``: ``pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)``."""
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


def site_admin(site: SiteClient) -> int:
    return make_user(site, roles=["site_admin"])


def course_admin(site: SiteClient) -> int:
    return make_user(site, roles=["course_admin"])


def draft(site: SiteClient) -> int:
    """A product waiting to be published."""
    return make_product(site, status="draft")


def new_request(site: SiteClient, product_id: int | None = None, **overrides: Any) -> int:
    """A pending request to publish a draft product, by a course admin."""
    product = draft(site) if product_id is None else product_id
    overrides.setdefault("requesting_user_id", course_admin(site))
    return make_publish_request(site, product, **overrides)


def request_body(id: int, product_id: int, **overrides: Any) -> dict[str, Any]:
    """A request as the API renders it; defaults are a pending factory row."""
    body: dict[str, Any] = {
        "id": id,
        "product_id": product_id,
        "status": "pending",
        "response_text": None,
        "requesting_user_id": None,
        "responding_user_id": None,
        "completed_at": None,
        "created_at": FIXED_TEXT,
        "updated_at": FIXED_TEXT,
    }
    assert list(body) == FIELD_ORDER
    return overridden(body, overrides)


def product_of(site: SiteClient, request_id: int) -> int:
    return site.db(lambda s: s.get_one(ProductPublishRequest, request_id).product_id)


def product_state(site: SiteClient, product_id: int) -> tuple[str, datetime]:
    """The product's status and ``updated_at`` as stored."""
    return site.db(lambda s: (lambda p: (p.status, p.updated_at))(s.get_one(Product, product_id)))


def notify_requester(site: SiteClient, request_id: int) -> bool:
    return site.db(lambda s: s.get_one(ProductPublishRequest, request_id).notify_requester)
