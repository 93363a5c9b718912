"""Builders for promotion and coupon tests: the bodies Thinkific sends, whole, and a frozen
clock so that ``created_at`` and coupon windows are exact."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from syllabus.clock import clock
from tests.support import SiteClient, overridden

NOW = datetime(2025, 3, 1, 12, 0, 0, 125000, tzinfo=UTC)
NOW_TEXT = "2025-03-01T12:00:00.125Z"
# tests.factories.FIXED, as the wire writes it.
FIXED_TEXT = "2024-02-22T20:32:52.726Z"
ADMIN = {"Authorization": "Bearer test-admin-token"}
NO_SUCH_ID = 2**62
NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}


def unprocessable(**errors: list[str]) -> dict[str, Any]:
    """A 422 body in the field-map form."""
    return {"errors": errors}


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    """Every "now" is NOW (a site's clock offset still applies). Autouse where a conftest
    imports it."""
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


def set_site_clock(site: SiteClient, now: str) -> None:
    """Move the site's clock to ``now`` through the control plane."""
    path = f"/_syllabus/sites/{site.subdomain}/clock"
    response = site.http.put(path, json={"now": now}, headers=ADMIN)
    assert response.status_code == 200, response.text


def promotion_body(promotion_id: int, **overrides: Any) -> dict[str, Any]:
    """A promotion as the API renders it: the spec's PromotionResponse order, then
    ``product_ids`` and ``created_at`` (FIDELITY §6.5). The defaults are a factory promotion's:
    10% off every product, no window, made at FIXED."""
    body: dict[str, Any] = {
        "id": promotion_id,
        "name": "Spring sale",
        "description": None,
        "starts_at": None,
        "expires_at": None,
        "discount_type": "percentage",
        "amount": "10.0",
        "coupon_ids": [],
        "duration": None,
        "product_ids": [],
        "created_at": FIXED_TEXT,
    }
    return overridden(body, overrides)


def coupon_body(coupon_id: int, promotion_id: int, code: str, **overrides: Any) -> dict[str, Any]:
    """A coupon as the API renders it, in the spec's CouponResponse order; the defaults are a
    factory coupon's: unlimited, unused, made at FIXED."""
    body: dict[str, Any] = {
        "id": coupon_id,
        "code": code,
        "note": None,
        "quantity_used": 0,
        "quantity": None,
        "promotion_id": promotion_id,
        "created_at": FIXED_TEXT,
    }
    return overridden(body, overrides)
