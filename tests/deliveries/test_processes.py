"""Deliveries across processes: `syllabus webhooks listen` receives and forwards, `syllabus
worker` delivers for a server that doesn't, a committed event survives `kill -9` of the
server that wrote it, and two workers on one database never send an attempt twice."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from syllabus.models import Webhook, WebhookDelivery
from tests.deliveries.helpers import (
    Command,
    Receiver,
    deliveries,
    run_command,
    signature,
    subscribe,
)
from tests.servers import start_server
from tests.support import SiteClient

pytestmark = pytest.mark.live
ADMIN_TOKEN = "process-admin-token"
NO_DELIVERY = {"SYLLABUS_DELIVER_WEBHOOKS": "0"}


def user(n: int) -> dict[str, str]:
    return {"first_name": "U", "last_name": str(n), "email": f"u{n}@example.com"}


def webhooks_of(site: SiteClient) -> int:
    return site.db(
        lambda s: s.scalar(
            select(func.count()).select_from(Webhook).where(Webhook.site_id == site.id)
        )
    )


def test_listen_prints_verifies_and_forwards_then_unsubscribes(
    site: SiteClient, receiver: Receiver, database_url: str, tmp_path: Path
) -> None:
    listen = run_command(
        tmp_path / "listen.log",
        "webhooks",
        "listen",
        site.subdomain,
        "--topic",
        "user.signup",
        "--forward-to",
        receiver.url,
        "--database-url",
        database_url,
    )
    try:
        ready = listen.wait_for_output("Ready!")
        match = re.search(r"Signing secret: ([0-9a-f]{32})", ready)
        assert match, ready
        assert webhooks_of(site) == 1
        created = site.post("/users", json=user(1)).json()
        [forwarded] = receiver.wait_for(1)
        body = json.loads(forwarded.body)
        assert body["payload"]["id"] == created["id"]
        assert forwarded.headers["X-Thinkific-Topic"] == "user.signup"
        assert forwarded.headers["X-Thinkific-Hmac-Sha256"] == signature(forwarded.body, match[1])
        output = listen.wait_for_output("<-- [200] POST")
        assert f"user.signup [{body['id']}] signature ok" in output
        assert f'"email": "{created["email"]}"' in output
    finally:
        assert listen.stop() == 0, listen.output()
    assert "unsubscribed 1 webhook(s)" in listen.output()
    assert webhooks_of(site) == 0


def test_listen_refuses_unknown_topics_and_sites(database_url: str, tmp_path: Path) -> None:
    bad_topic = run_command(
        tmp_path / "topic.log", "webhooks", "listen", "x", "--topic", "user.created",
        "--database-url", database_url,
    )  # fmt: skip
    assert bad_topic.process.wait(timeout=30) == 1
    assert "unknown topic 'user.created'" in bad_topic.output()
    no_site = run_command(
        tmp_path / "site.log", "webhooks", "listen", "no-such-site", "--database-url", database_url
    )
    assert no_site.process.wait(timeout=30) == 1
    assert "no-such-site" in no_site.output()


def test_a_committed_event_survives_kill_9_and_a_worker_delivers_it(
    site: SiteClient, receiver: Receiver, database_url: str, tmp_path: Path
) -> None:
    subscribe(site, "user.signup", receiver.url)
    server = start_server(database_url, tmp_path / "serve.log", env=NO_DELIVERY)
    worker: Command | None = None
    try:
        headers = {"X-Auth-API-Key": site.key, "X-Auth-Subdomain": site.subdomain}
        for n in range(3):
            response = httpx.post(
                f"{server.url}/api/public/v1/users", json=user(n), headers=headers, timeout=10
            )
            assert response.status_code == 201, response.text
        server.kill()  # committed, not delivered: nothing in this process sends
        assert receiver.received == []
        worker = run_command(tmp_path / "worker.log", "worker", "--database-url", database_url)
        got = receiver.wait_for(3)
        assert sorted(json.loads(r.body)["payload"]["email"] for r in got) == [
            "u0@example.com", "u1@example.com", "u2@example.com"
        ]  # fmt: skip
    finally:
        server.kill()
        if worker is not None:
            assert worker.stop() == 0, worker.output()
    assert "stopped" in worker.output()


def test_two_workers_never_send_an_attempt_twice(
    site: SiteClient, receiver: Receiver, database_url: str, tmp_path: Path
) -> None:
    subscribe(site, "user.signup", receiver.url)
    receiver.answer(*([200] * 60), delay=0.01)
    # Queue the deliveries with nothing running that sends them.
    server = start_server(database_url, tmp_path / "serve.log", env=NO_DELIVERY)
    headers = {"X-Auth-API-Key": site.key, "X-Auth-Subdomain": site.subdomain}
    try:
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
            for n in range(60):
                assert client.post("/api/public/v1/users", json=user(n)).status_code == 201
    finally:
        server.kill()
    workers = [
        run_command(tmp_path / f"worker{n}.log", "worker", "--database-url", database_url)
        for n in (1, 2)
    ]
    try:
        got = receiver.wait_for(60, seconds=30)
        time.sleep(1.0)  # let a duplicate, if any, arrive
    finally:
        for worker in workers:
            assert worker.stop() == 0, worker.output()
    ids = Counter(json.loads(request.body)["id"] for request in receiver.received)
    assert len(ids) == 60
    assert set(ids.values()) == {1}, [i for i, n in ids.items() if n > 1]
    assert len(got) == 60
    logged = deliveries(site, status="delivered")
    assert len(logged) == 25  # the first page
    total = site.db(
        lambda s: s.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.site_id == site.id, WebhookDelivery.attempts == 1)
        )
    )
    assert total == 60
