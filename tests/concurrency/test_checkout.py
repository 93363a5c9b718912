"""Concurrent checkouts never overuse a coupon: against a real server process (``syllabus
serve``), 50 buyers race for a coupon with 10 uses; exactly 10 orders are placed.

On PostgreSQL the requests overlap in the server's worker threads and the coupon's claim is one
conditional UPDATE, re-checked on the row it locks; on SQLite the writers are serialized. The
answers must be the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from syllabus.models import Enrollment, Order
from tests.factories import make_coupon, make_promotion
from tests.orders.helpers import (
    new_buyer,
    new_course_product,
    quantity_used,
    recorded_events,
)
from tests.servers import Server, start_server
from tests.support import SiteClient

ADMIN_TOKEN = "concurrency-admin-token"
BUYERS = 50
USES = 10


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    running = start_server(database_url, tmp_path / "server.log", admin_token=ADMIN_TOKEN)
    yield running
    running.kill()


def test_a_coupon_of_ten_uses_gives_exactly_ten_orders(server: Server, site: SiteClient) -> None:
    product, course = new_course_product(site, "49.0")
    coupon = make_coupon(site, make_promotion(site, [product.id]), code="RACE", quantity=USES)
    buyers = [new_buyer(site).id for _ in range(BUYERS)]
    refused = [
        {"errors": {"coupon_code": ["RACE is not a valid coupon for this product"]}},
        {"errors": {"coupon_code": ["RACE has been used up"]}},
    ]

    limits = httpx.Limits(max_connections=BUYERS, max_keepalive_connections=BUYERS)
    with httpx.Client(
        base_url=server.url,
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        limits=limits,
        timeout=60,
    ) as client:

        def buy(user_id: int) -> tuple[int, Any]:
            response = client.post(
                f"/_syllabus/sites/{site.subdomain}/checkout",
                json={"user_id": user_id, "product_id": product.id, "coupon_code": "RACE"},
            )
            return response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=BUYERS) as pool:
            results = list(pool.map(buy, buyers))

    assert Counter(status for status, _ in results) == {201: USES, 422: BUYERS - USES}, (
        server.log_tail()
    )
    assert all(body in refused for status, body in results if status == 422)
    placed = [body for status, body in results if status == 201]
    assert all(
        (body["amount_cents"], body["coupon_id"], body["coupon_code"]) == (4410, coupon, "RACE")
        for body in placed
    )
    winners = sorted(body["user_id"] for body in placed)

    def stored(session: Any) -> tuple[list[int], list[int]]:
        orders = session.scalars(
            select(Order.user_id).where(Order.site_id == site.id).order_by(Order.user_id)
        )
        enrolled = session.scalars(
            select(Enrollment.user_id)
            .where(Enrollment.site_id == site.id, Enrollment.course_id == course)
            .order_by(Enrollment.user_id)
        )
        return list(orders), list(enrolled)

    assert site.db(stored) == (winners, winners)
    assert quantity_used(site, coupon) == USES
    topics = Counter(f"{resource}.{action}" for resource, action, _ in recorded_events(site))
    assert topics == {"order.created": USES, "enrollment.created": USES}
    assert site.db(lambda s: s.scalar(select(func.count()).where(Order.site_id == site.id))) == USES
