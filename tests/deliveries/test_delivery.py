"""Webhook deliveries, end to end: a write's event reaches a real receiver on 127.0.0.1,
signed as Thinkific signs (checked here by an independent HMAC), in the envelope Thinkific
sends; failures are retried on the schedule by a clock the test moves; every attempt is logged;
a redeliver sends it again."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from syllabus.db import Database
from syllabus.webhooks.worker import POLL_SECONDS
from tests.deliveries.helpers import (
    ADMIN,
    Receiver,
    WallClock,
    deliveries,
    settled,
    signature,
    subscribe,
)
from tests.factories import make_course, make_oauth_app, make_oauth_token, make_user
from tests.support import SiteClient, client_with


@pytest.fixture(scope="module")
def http(database: Database, database_url: str) -> Iterator[TestClient]:
    """The app of these tests sends deliveries, as `syllabus serve` does."""
    with client_with(database, database_url, deliver_webhooks=True) as client:
        yield client


USER = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}


def events(site: SiteClient) -> list[dict[str, Any]]:
    response = site.http.get(f"/_syllabus/sites/{site.subdomain}/events", headers=ADMIN)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_write_is_delivered_signed_in_thinkifics_envelope(
    site: SiteClient, receiver: Receiver
) -> None:
    subscribe(site, "user.signup", receiver.url)
    user = site.post("/users", json=USER)
    assert user.status_code == 201
    [got] = receiver.wait_for(1)
    [event] = events(site)
    assert json.loads(got.body) == {
        "id": event["id"],
        "resource": "user",
        "action": "signup",
        "tenant_id": str(site.id),
        "created_at": event["created_at"],
        "payload": event["payload"],
    }
    assert event["payload"]["id"] == user.json()["id"]
    assert list(json.loads(got.body)) == [
        "id", "resource", "action", "tenant_id", "created_at", "payload"
    ]  # fmt: skip
    assert got.path == "/hook"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Thinkific-Topic"] == "user.signup"
    assert got.headers["X-Thinkific-Subdomain"] == site.subdomain
    assert got.headers["X-Thinkific-Hmac-Sha256"] == signature(got.body, site.key)
    [logged] = settled(site, 1)
    assert logged == {
        "id": logged["id"],
        "event_id": event["id"],
        "webhook_id": logged["webhook_id"],
        "topic": "user.signup",
        "target_url": receiver.url,
        "status": "delivered",
        "attempts": 1,
        "next_attempt_at": None,
        "created_at": logged["created_at"],
        "log": [
            {
                "number": 1,
                "attempted_at": logged["log"][0]["attempted_at"],
                "status_code": 200,
                "latency_ms": logged["log"][0]["latency_ms"],
                "response_excerpt": "answered 200",
                "error": None,
                "manual": False,
            }
        ],
    }
    assert len(logged["webhook_id"]) == 23


def test_only_subscribed_topics_of_the_site_are_delivered(
    site: SiteClient, other_site: SiteClient, receiver: Receiver
) -> None:
    subscribe(site, "user.updated", receiver.url)
    subscribe(other_site, "user.signup", receiver.url, key=other_site.key)
    created = site.post("/users", json=USER).json()
    updated = site.put(f"/users/{created['id']}", json={"first_name": "Augusta"})
    assert updated.status_code == 204
    [got] = receiver.wait_for(1)
    assert got.headers["X-Thinkific-Topic"] == "user.updated"
    assert json.loads(got.body)["payload"]["first_name"] == "Augusta"
    assert deliveries(other_site) == []


def test_each_subscription_gets_its_own_delivery(site: SiteClient, receiver: Receiver) -> None:
    subscribe(site, "user.signup", receiver.url)
    subscribe(site, "user.signup", receiver.url + "/second")
    site.post("/users", json=USER)
    got = receiver.wait_for(2)
    assert sorted(request.path for request in got) == ["/hook", "/hook/second"]
    assert got[0].body == got[1].body


def test_a_rejected_write_delivers_nothing(site: SiteClient, receiver: Receiver) -> None:
    subscribe(site, "user.signup", receiver.url)
    assert site.post("/users", json={**USER, "email": "not an email"}).status_code == 422
    site.post("/users", json=USER)
    [got] = receiver.wait_for(1)
    assert json.loads(got.body)["payload"]["email"] == USER["email"]
    assert len(deliveries(site)) == 1


def test_failures_are_retried_on_the_schedule_until_a_2xx(
    site: SiteClient, receiver: Receiver, wall: WallClock
) -> None:
    subscribe(site, "user.signup", receiver.url)
    receiver.answer(500, 404)
    site.post("/users", json=USER)
    receiver.wait_for(1)
    [first] = settled(site, 1)
    assert (first["status"], first["attempts"]) == ("pending", 1)
    assert first["log"][0]["status_code"] == 500
    assert first["log"][0]["response_excerpt"] == "answered 500"
    # Not due until a minute has passed (FIDELITY §10 #1: 1, 5 and 30 minutes).
    wall.advance(59)
    time.sleep(3 * POLL_SECONDS)
    assert len(receiver.received) == 1
    wall.advance(1)
    receiver.wait_for(2)
    [second] = settled(site, 2)
    assert (second["status"], second["attempts"]) == ("pending", 2)
    wall.advance(300)
    third = receiver.wait_for(3)
    [done] = settled(site, 3)
    assert (done["status"], done["attempts"], done["next_attempt_at"]) == ("delivered", 3, None)
    assert [attempt["status_code"] for attempt in done["log"]] == [500, 404, 200]
    # The same bytes, the same signature, every time.
    assert len({request.body for request in third}) == 1


def test_a_delivery_out_of_retries_fails(
    site: SiteClient, receiver: Receiver, wall: WallClock
) -> None:
    subscribe(site, "user.signup", receiver.url)
    receiver.answer(500, 500, 500, 500, 200)
    site.post("/users", json=USER)
    for count, wait in enumerate((60, 300, 1800), start=1):
        settled(site, count)
        wall.advance(wait)
    receiver.wait_for(4)
    [failed] = settled(site, 4)
    assert (failed["status"], failed["attempts"], failed["next_attempt_at"]) == ("failed", 4, None)
    wall.advance(3600)
    redelivered = site.http.post(
        f"/_syllabus/sites/{site.subdomain}/deliveries/{failed['id']}/redeliver", headers=ADMIN
    )
    assert redelivered.status_code == 202, redelivered.text
    assert redelivered.json()["status"] == "pending"
    receiver.wait_for(5)
    [again] = settled(site, 5)
    assert (again["status"], again["attempts"]) == ("delivered", 5)
    assert [attempt["manual"] for attempt in again["log"]] == [False] * 4 + [True]


def test_a_refused_connection_is_logged_and_retried(
    site: SiteClient, receiver: Receiver, wall: WallClock
) -> None:
    closed = Receiver()
    url = closed.url
    closed.close()
    subscribe(site, "user.signup", url)
    site.post("/users", json=USER)
    [logged] = settled(site, 1)
    [attempt] = logged["log"]
    assert attempt["status_code"] is None
    assert attempt["error"].startswith("ConnectError")
    assert logged["status"] == "pending"


def test_redeliver_errors(site: SiteClient, other_site: SiteClient, receiver: Receiver) -> None:
    subscribe(site, "user.signup", receiver.url)
    site.post("/users", json=USER)
    [logged] = settled(site, 1)
    url = f"/_syllabus/sites/{other_site.subdomain}/deliveries/{logged['id']}/redeliver"
    assert site.http.post(url, headers=ADMIN).status_code == 404
    missing = f"/_syllabus/sites/{site.subdomain}/deliveries/999999999/redeliver"
    assert site.http.post(missing, headers=ADMIN).json() == {"error": "Record not found."}
    beyond = f"/_syllabus/sites/{site.subdomain}/deliveries/{2**70}/redeliver"
    assert site.http.post(beyond, headers=ADMIN).json() == {"error": "Record not found."}
    anonymous = f"/_syllabus/sites/{site.subdomain}/deliveries/{logged['id']}/redeliver"
    assert site.http.post(anonymous).status_code == 401


@pytest.mark.parametrize("status", ["delivered", "pending"])
def test_the_log_filters_by_status(site: SiteClient, receiver: Receiver, status: str) -> None:
    subscribe(site, "user.signup", receiver.url)
    site.post("/users", json=USER)
    settled(site, 1)
    expected = 1 if status == "delivered" else 0
    assert len(deliveries(site, status=status)) == expected


def test_advancing_the_sites_clock_brings_its_retries_forward(
    site: SiteClient, other_site: SiteClient, receiver: Receiver
) -> None:
    subscribe(site, "user.signup", receiver.url)
    subscribe(other_site, "user.signup", receiver.url, key=other_site.key)
    receiver.answer(500, 500)
    site.post("/users", json=USER)
    other_site.post("/users", json=USER)
    receiver.wait_for(2)
    settled(site, 1)
    settled(other_site, 1)
    clock_url = f"/_syllabus/sites/{site.subdomain}/clock"
    # Short of the first retry (60 s after the attempt) by more than a loaded machine's delay
    # between the attempt and this call.
    site.http.put(clock_url, json={"advance_seconds": 50}, headers=ADMIN)
    time.sleep(3 * POLL_SECONDS)
    assert len(receiver.received) == 2
    moved = site.http.put(clock_url, json={"advance_seconds": 10}, headers=ADMIN)
    assert moved.status_code == 200
    [retried] = receiver.wait_for(3)[2:]
    assert retried.headers["X-Thinkific-Subdomain"] == site.subdomain
    [done] = settled(site, 2)
    assert (done["status"], done["attempts"]) == ("delivered", 2)
    # The other site's retry still waits for the wall clock.
    assert deliveries(other_site)[0]["status"] == "pending"
    assert len(deliveries(other_site)[0]["log"]) == 1


def test_registered_through_the_api_an_enrollment_arrives_signed_within_a_second(
    site: SiteClient, receiver: Receiver
) -> None:
    headers = {"Authorization": f"Bearer {site.key}"}
    webhook = {"topic": "enrollment.created", "target_url": receiver.url}
    created = site.http.post("/api/v2/webhooks", json=webhook, headers=headers)
    assert created.status_code == 201, created.text
    course = make_course(site)
    user = make_user(site)
    started = time.monotonic()
    enrolled = site.post(
        "/enrollments",
        json={"user_id": user, "course_id": course, "activated_at": "2026-01-01T00:00:00Z"},
    )
    assert enrolled.status_code == 201, enrolled.text
    [got] = receiver.wait_for(1, seconds=1.0)
    assert time.monotonic() - started < 1.0
    assert got.headers["X-Thinkific-Hmac-Sha256"] == signature(got.body, site.key)
    body = json.loads(got.body)
    assert (body["resource"], body["action"]) == ("enrollment", "created")
    assert body["payload"]["id"] == enrolled.json()["id"]
    assert body["payload"]["free_trial"] is False
    assert body["payload"]["course"]["id"] == course
    assert body["payload"]["user"]["id"] == user


def test_an_oauth_apps_webhook_is_signed_with_its_client_secret(
    site: SiteClient, receiver: Receiver
) -> None:
    client_id, secret = make_oauth_app(site)
    token = make_oauth_token(site, ["write:webhooks", "write:users"], client_id=client_id)
    headers = {"Authorization": f"Bearer {token}"}
    webhook = {"topic": "user.signup", "target_url": receiver.url}
    assert site.http.post("/api/v2/webhooks", json=webhook, headers=headers).status_code == 201
    site.post("/users", json=USER)
    [got] = receiver.wait_for(1)
    assert got.headers["X-Thinkific-Hmac-Sha256"] == signature(got.body, secret)
    assert got.headers["X-Thinkific-Hmac-Sha256"] != signature(got.body, site.key)


def test_a_deleted_webhook_sends_nothing_more(
    site: SiteClient, receiver: Receiver, wall: WallClock
) -> None:
    headers = {"Authorization": f"Bearer {site.key}"}
    webhook = {"topic": "user.signup", "target_url": receiver.url}
    created = site.http.post("/api/v2/webhooks", json=webhook, headers=headers).json()
    receiver.answer(500)
    site.post("/users", json=USER)
    settled(site, 1)
    gone = site.http.delete(f"/api/v2/webhooks/{created['id']}", headers=headers)
    assert gone.status_code == 204
    wall.advance(3600)
    time.sleep(3 * POLL_SECONDS)
    assert len(receiver.received) == 1
    [cancelled] = deliveries(site)
    assert (cancelled["status"], cancelled["webhook_id"]) == ("cancelled", None)
    refused = site.http.post(
        f"/_syllabus/sites/{site.subdomain}/deliveries/{cancelled['id']}/redeliver", headers=ADMIN
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "errors": {
            "base": ["its webhook was deleted: there is nothing to sign it with or send it to"]
        }
    }
