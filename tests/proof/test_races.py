"""Races against a real server: many clients at once never duplicate a row, never get a 5xx, and
each gets the answer it would get alone, or the documented answer to having lost.

The races run against ``syllabus serve`` subprocesses on 127.0.0.1, on the suite's database: on
SQLite one process, whose writers the write lock serializes; on PostgreSQL
(``SYLLABUS_TEST_DATABASE_URL``) two processes on the one database, each given every other
client, so that the requests overlap in each process's worker threads and across the processes.
The answers must be the same. Every client (24 of them) is its own ``httpx.Client`` on its own
connection, opened before a barrier, so that what leaves together is the requests themselves.
Afterwards the rows are counted in the database itself.

* ``POST /users`` with one email (in different cases): one 201, every other client Thinkific's
  422 ``{"errors": {"email": ["has already been taken"]}}``; one user, one event.
* ``POST /enrollments`` of one user in one course: one 201, every other client the documented
  422 ``{"errors": {"user_id": ["is already enrolled in this course"]}}``; one enrollment.
* ``POST /bundles/{id}/enrollments`` of one user: every client the spec's empty 201 (an
  enrollment the user has is taken over, never duplicated); one enrollment per course. The same
  when the user also buys the bundle through the control plane's checkout at the same moment.
* ``POST /coupons/bulk_create`` for one promotion: every client a 201, every code distinct, and
  exactly the acknowledged coupons stored.
* A limited coupon used at checkout while ``PUT /coupons/{id}`` edits it: exactly its quantity of
  orders, and its use count is exactly those orders (an edit never writes back a stale count).
  Checkouts alone racing for a coupon are tests/concurrency/test_checkout.py's proof, not
  repeated here.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from syllabus.db import is_sqlite_url
from syllabus.models import Bundle, Coupon, Enrollment, Event, Order, User
from tests.enrollments.helpers import enrollment_body, new_course, new_learner, stored_enrollments
from tests.events.helpers import topics
from tests.factories import make_bundle, make_coupon, make_promotion
from tests.openapi_validator import assert_matches_openapi
from tests.orders.helpers import new_bundle_product, new_buyer, new_course_product
from tests.servers import Server, start_server
from tests.support import PREFIX, SiteClient
from tests.users.helpers import user_body

pytestmark = pytest.mark.live

ADMIN_TOKEN = "proof-races-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CLIENTS = 24
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
CODE = re.compile(r"[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}")
ALREADY_ENROLLED = {"errors": {"user_id": ["is already enrolled in this course"]}}
EMAIL_TAKEN = {"errors": {"email": ["has already been taken"]}}
ACTIVATED = ("2025-01-10T09:00:00Z", "2025-01-10T09:00:00.000Z")
EXPIRES = ("2099-01-10T09:00:00Z", "2099-01-10T09:00:00.000Z")


# -- the server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    """One process on SQLite (its writers are serialized anyway); two on PostgreSQL, started
    together, each given every other client.

    Two servers rather than one with ``--workers 2``: the kernel need not spread 24 connections
    over a server's workers, and uvicorn's supervisor kills a worker that misses its 5 s health
    check while it imports, which on a loaded machine made startup take 25 s to over a minute.
    """
    count = 1 if is_sqlite_url(database_url) else 2
    logs = tmp_path_factory.mktemp("races")
    with ThreadPoolExecutor(max_workers=count) as pool:
        starting = [
            pool.submit(
                start_server, database_url, logs / f"server{n}.log", admin_token=ADMIN_TOKEN
            )
            for n in range(count)
        ]
    running = [future.result() for future in starting if future.exception() is None]
    try:
        for future in starting:
            future.result()  # a server that did not start fails the fixture, after the others stop
        yield running
    finally:
        for server in running:
            server.kill()


def log_tails(servers: list[Server]) -> str:
    return "\n".join(server.log_tail() for server in servers)


# -- racing clients -----------------------------------------------------------------------------


def race(
    servers: list[Server], count: int, send: Callable[[httpx.Client, int], httpx.Response]
) -> list[httpx.Response]:
    """``send(client, index)`` from ``count`` clients at once, spread over the servers: each its
    own connection, opened before the barrier, so that what the barrier releases is the requests
    themselves. None may be a 5xx."""
    barrier = threading.Barrier(count)

    def one(index: int) -> httpx.Response:
        with httpx.Client(base_url=servers[index % len(servers)].url, timeout=60) as client:
            assert client.get("/healthz").status_code == 200
            barrier.wait(timeout=60)
            response = send(client, index)
            response.read()
            return response

    with ThreadPoolExecutor(max_workers=count) as pool:
        responses = list(pool.map(one, range(count)))
    assert all(response.status_code < 500 for response in responses), log_tails(servers)
    return responses


def statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(response.status_code for response in responses)


def documented(site: SiteClient, method: str, path: str, responses: list[httpx.Response]) -> None:
    """Every answer is what our OpenAPI document promises for the call."""
    openapi = site.http.app.openapi()  # type: ignore[attr-defined]
    for response in responses:
        assert_matches_openapi(openapi, method, path, response)


def count(site: SiteClient, model: Any, *conditions: Any) -> int:
    statement = select(func.count()).select_from(model).where(model.site_id == site.id, *conditions)
    return int(site.db(lambda s: s.scalar(statement)) or 0)


# -- the races ----------------------------------------------------------------------------------


def test_one_email_makes_one_user(servers: list[Server], site: SiteClient) -> None:
    # One address, in 16 spellings: Thinkific compares emails case-insensitively.
    def email(index: int) -> str:
        name = "".join(c.upper() if index >> bit & 1 else c for bit, c in enumerate("race"))
        return f"{name}@Example.com"

    def create(client: httpx.Client, index: int) -> httpx.Response:
        body = {
            "first_name": "Race",
            "last_name": "Condition",
            "email": email(index),
            "company": f"Company {index}",
        }
        return client.post(f"{PREFIX}/users", json=body, headers=site.headers)

    responses = race(servers, CLIENTS, create)

    assert statuses(responses) == {201: 1, 422: CLIENTS - 1}, log_tails(servers)
    assert [r.json() for r in responses if r.status_code == 422] == [EMAIL_TAKEN] * (CLIENTS - 1)
    documented(site, "POST", f"{PREFIX}/users", responses)
    index, created = next((i, r.json()) for i, r in enumerate(responses) if r.status_code == 201)
    assert TIMESTAMP.fullmatch(created["created_at"])
    assert created == user_body(
        created["id"],
        created["created_at"],
        first_name="Race",
        last_name="Condition",
        full_name="Race Condition",
        company=f"Company {index}",
        email=email(index),
    )

    def users(session: Session) -> list[tuple[int, str, str]]:
        statement = select(User.id, User.email, User.email_key).where(User.site_id == site.id)
        return [tuple(row) for row in session.execute(statement)]  # type: ignore[misc]

    assert site.db(users) == [(created["id"], email(index), "race@example.com")]
    assert topics(site) == ["user.signup"]


def test_one_pair_makes_one_enrollment(servers: list[Server], site: SiteClient) -> None:
    user, course = new_learner(site), new_course(site)

    def enroll(client: httpx.Client, _index: int) -> httpx.Response:
        body = {"user_id": user.id, "course_id": course.id, "activated_at": ACTIVATED[0]}
        return client.post(f"{PREFIX}/enrollments", json=body, headers=site.headers)

    responses = race(servers, CLIENTS, enroll)

    assert statuses(responses) == {201: 1, 422: CLIENTS - 1}, log_tails(servers)
    refused = [r.json() for r in responses if r.status_code == 422]
    assert refused == [ALREADY_ENROLLED] * (CLIENTS - 1)
    documented(site, "POST", f"{PREFIX}/enrollments", responses)
    created = next(r.json() for r in responses if r.status_code == 201)
    stamp = created["created_at"]
    assert TIMESTAMP.fullmatch(stamp)
    assert created == enrollment_body(
        created["id"], user, course, created_at=stamp, updated_at=stamp, activated_at=ACTIVATED[1]
    )
    assert stored_enrollments(site) == [(created["id"], user.id, course.id)]
    assert topics(site) == ["enrollment.created"]


def test_one_bundle_enrolls_once_in_each_course(servers: list[Server], site: SiteClient) -> None:
    user = new_learner(site)
    courses = [new_course(site).id for _ in range(3)]
    bundle = make_bundle(site, courses)
    path = f"{PREFIX}/bundles/{bundle}/enrollments"

    def enroll(client: httpx.Client, _index: int) -> httpx.Response:
        body = {"user_id": user.id, "activated_at": ACTIVATED[0], "expiry_date": EXPIRES[0]}
        return client.post(path, json=body, headers=site.headers)

    responses = race(servers, CLIENTS, enroll)

    assert statuses(responses) == {201: CLIENTS}, [r.text for r in responses]
    assert {r.content for r in responses} == {b""}
    documented(site, "POST", path, responses)
    assert_one_enrollment_in_each(site, user.id, courses)
    # Each request enrolled the user in every course: a new enrollment, or one taken over.
    assert topics(site) == ["enrollment.created"] * (CLIENTS * len(courses))


def test_a_bundle_bought_while_it_is_enrolled_enrolls_once(
    servers: list[Server], site: SiteClient
) -> None:
    # The same enrollments from two endpoints: the Admin API's bundle enrollment and checkout.
    user = new_buyer(site)
    courses = [new_course(site).id for _ in range(3)]
    product = new_bundle_product(site, courses, "20.0")
    bundle = site.db(lambda s: s.scalar(select(Bundle.id).where(Bundle.product_id == product.id)))
    enrollments = f"{PREFIX}/bundles/{bundle}/enrollments"
    checkout = f"/_syllabus/sites/{site.subdomain}/checkout"

    def act(client: httpx.Client, index: int) -> httpx.Response:
        body: dict[str, Any]
        if index % 2:
            body = {"user_id": user.id, "product_id": product.id}
            return client.post(checkout, json=body, headers=ADMIN)
        body = {"user_id": user.id, "activated_at": ACTIVATED[0]}
        return client.post(enrollments, json=body, headers=site.headers)

    responses = race(servers, CLIENTS, act)

    assert statuses(responses) == {201: CLIENTS}, [r.text for r in responses]
    assert {r.content for r in responses[::2]} == {b""}
    orders = [r.json() for r in responses[1::2]]
    assert all(
        (order["user_id"], order["product_id"], order["amount_cents"], order["status"])
        == (user.id, product.id, 2000, "complete")
        for order in orders
    )
    assert_one_enrollment_in_each(site, user.id, courses)
    assert sorted(order["id"] for order in orders) == sorted(
        site.db(lambda s: list(s.scalars(select(Order.id).where(Order.site_id == site.id))))
    )
    assert Counter(topics(site)) == {
        "order.created": CLIENTS // 2,
        "enrollment.created": CLIENTS * len(courses),
    }


def test_bulk_codes_are_distinct_and_all_acknowledged(
    servers: list[Server], site: SiteClient
) -> None:
    promotion = make_promotion(site)
    path = f"{PREFIX}/coupons/bulk_create"
    batch = 100

    def bulk(client: httpx.Client, _index: int) -> httpx.Response:
        body = {"bulk_quantity": batch, "bulk_coupon_code_length": 6, "bulk_quantity_per_coupon": 3}
        params = {"promotion_id": promotion}
        return client.post(path, params=params, json=body, headers=site.headers)

    responses = race(servers, CLIENTS, bulk)

    assert statuses(responses) == {201: CLIENTS}, [r.text[:200] for r in responses]
    documented(site, "POST", path, responses)
    items = [item for response in responses for item in response.json()["items"]]
    assert [len(response.json()["items"]) for response in responses] == [batch] * CLIENTS
    for item in items:
        assert CODE.fullmatch(item["code"]), item
        assert TIMESTAMP.fullmatch(item["created_at"]), item
        assert item == {
            "id": item["id"],
            "code": item["code"],
            "note": None,
            "quantity_used": 0,
            "quantity": 3,
            "promotion_id": promotion,
            "created_at": item["created_at"],
        }
    acknowledged = sorted((item["id"], item["code"]) for item in items)
    assert len({code for _, code in acknowledged}) == CLIENTS * batch

    def stored(session: Session) -> list[tuple[int, str]]:
        statement = (
            select(Coupon.id, Coupon.code)
            .where(Coupon.site_id == site.id, Coupon.promotion_id == promotion)
            .order_by(Coupon.id)
        )
        return [tuple(row) for row in session.execute(statement)]  # type: ignore[misc]

    assert site.db(stored) == acknowledged
    assert topics(site) == ["coupon.created"] * (CLIENTS * batch)


def test_a_coupon_edited_while_it_is_used_counts_every_use(
    servers: list[Server], site: SiteClient
) -> None:
    uses, editors = 5, 8
    product, _course = new_course_product(site, "49.0")
    coupon = make_coupon(site, make_promotion(site, [product.id]), code="RACE", quantity=uses)
    buyers = [new_buyer(site).id for _ in range(CLIENTS - editors)]
    notes = [f"edited by {index}" for index in range(editors)]
    refused = [
        {"errors": {"coupon_code": ["RACE is not a valid coupon for this product"]}},
        {"errors": {"coupon_code": ["RACE has been used up"]}},
    ]

    def act(client: httpx.Client, index: int) -> httpx.Response:
        body: dict[str, Any]
        if index < editors:
            body = {"code": "RACE", "note": notes[index]}
            return client.put(f"{PREFIX}/coupons/{coupon}", json=body, headers=site.headers)
        body = {"user_id": buyers[index - editors], "product_id": product.id, "coupon_code": "RACE"}
        return client.post(f"/_syllabus/sites/{site.subdomain}/checkout", json=body, headers=ADMIN)

    responses = race(servers, CLIENTS, act)

    edits, checkouts = responses[:editors], responses[editors:]
    assert statuses(edits) == {204: editors}
    assert {r.content for r in edits} == {b""}
    assert statuses(checkouts) == {201: uses, 422: len(buyers) - uses}, log_tails(servers)
    assert all(r.json() in refused for r in checkouts if r.status_code == 422)
    placed = [r.json() for r in checkouts if r.status_code == 201]
    assert {(o["amount_cents"], o["coupon_id"], o["coupon_code"]) for o in placed} == {
        (4410, coupon, "RACE")
    }

    def stored(session: Session) -> tuple[int, int | None, str | None, int]:
        row = session.get_one(Coupon, coupon)
        orders = session.scalar(
            select(func.count()).where(Order.site_id == site.id, Order.coupon_id == coupon)
        )
        return row.quantity_used, row.quantity, row.note, int(orders or 0)

    used, quantity, note, orders = site.db(stored)
    assert (used, quantity, orders) == (uses, uses, uses)
    assert note in notes
    answered = site.get(f"/coupons/{coupon}").json()
    assert (answered["quantity_used"], answered["note"]) == (uses, note)
    assert Counter(topics(site)) == {
        "coupon.updated": editors,
        "order.created": uses,
        "enrollment.created": uses,
    }


def assert_one_enrollment_in_each(site: SiteClient, user_id: int, courses: list[int]) -> None:
    """The user has exactly one enrollment in each course, a full one (no trial), and the site
    no other enrollment."""

    def held(session: Session) -> list[tuple[int, bool]]:
        statement = (
            select(Enrollment.course_id, Enrollment.is_free_trial)
            .where(Enrollment.site_id == site.id, Enrollment.user_id == user_id)
            .order_by(Enrollment.course_id)
        )
        return [tuple(row) for row in session.execute(statement)]  # type: ignore[misc]

    assert site.db(held) == [(course, False) for course in sorted(courses)]
    assert count(site, Enrollment) == len(courses)
    assert count(site, Event, Event.resource == "enrollment", Event.action == "trial") == 0
