"""A receiver too slow is a failed attempt, retried; an event of a write that rolls back is
never delivered; the CLI shows the log and redelivers."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from syllabus.auth import SiteRef
from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.db import Database
from syllabus.events.recorder import record
from syllabus.models import Site, WebhookDelivery
from syllabus.webhooks.worker import POLL_SECONDS
from tests.cli.conftest import Run, cli, one_line
from tests.deliveries.helpers import Receiver, WallClock, deliveries, settled, subscribe
from tests.support import SiteClient, client_with

__all__ = ["cli"]  # the CLI fixture

TIMEOUT = 0.3
USER = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}


@pytest.fixture(scope="module")
def http(database: Database, database_url: str) -> Iterator[TestClient]:
    """Deliveries sent in process, with a receiver given TIMEOUT seconds."""
    with client_with(
        database, database_url, deliver_webhooks=True, webhook_timeout=TIMEOUT
    ) as client:
        yield client


def test_a_receiver_slower_than_the_timeout_is_retried(
    site: SiteClient, receiver: Receiver, wall: WallClock
) -> None:
    subscribe(site, "user.signup", receiver.url)
    receiver.answer(200, delay=3 * TIMEOUT)  # answers, but too late
    site.post("/users", json=USER)
    [logged] = settled(site, 1)
    [attempt] = logged["log"]
    assert attempt["status_code"] is None
    assert attempt["error"] == f"timed out after {TIMEOUT:g} s"
    assert attempt["latency_ms"] >= TIMEOUT * 1000
    assert (logged["status"], logged["attempts"]) == ("pending", 1)
    wall.advance(60)
    [done] = settled(site, 2)
    assert (done["status"], [a["status_code"] for a in done["log"]]) == ("delivered", [None, 200])


def test_an_event_of_a_rolled_back_write_is_never_delivered(
    site: SiteClient, receiver: Receiver
) -> None:
    subscribe(site, "user.signup", receiver.url)

    owner = site.db(lambda s: s.get_one(Site, site.id))

    def write_then_fail(session: object) -> None:
        ref = SiteRef(owner.id, owner.subdomain, owner.global_id, 0.0)
        scope = Scope(session, ref, owner.created_at, Settings())  # type: ignore[arg-type]
        record(scope, "user.signup", {"id": 1})
        queued = session.scalar(  # type: ignore[attr-defined]
            select(func.count()).select_from(WebhookDelivery)
            .where(WebhookDelivery.site_id == site.id)
        )  # fmt: skip
        assert queued == 1  # queued within the transaction...
        raise RuntimeError("the write fails after recording its event")

    with pytest.raises(RuntimeError), site.database.transaction() as session:
        write_then_fail(session)
    assert deliveries(site) == []  # ...and gone with it
    time.sleep(3 * POLL_SECONDS)
    assert receiver.received == []


def test_the_cli_lists_deliveries_and_redelivers(
    site: SiteClient, receiver: Receiver, cli: Run
) -> None:
    subscribe(site, "user.signup", receiver.url)
    site.post("/users", json=USER)
    [logged] = settled(site, 1)
    listed = cli("webhooks", "deliveries", site.subdomain)
    assert listed.exit_code == 0, listed.output
    [row] = [line for line in listed.stdout.splitlines() if logged["event_id"] in line]
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert cells[:6] == [
        str(logged["id"]),
        "user.signup",
        logged["event_id"],
        "delivered",
        "1",
        "200",
    ]
    text = one_line(listed.stdout)
    assert "1-1 of 1" in text
    assert (
        "no deliveries"
        in cli("webhooks", "deliveries", site.subdomain, "--status", "failed").stdout
    )
    again = cli("webhooks", "redeliver", site.subdomain, str(logged["id"]))
    assert again.exit_code == 0, again.output
    assert f"delivery {logged['id']} queued" in again.stdout
    receiver.wait_for(2)
    [redelivered] = settled(site, 2)
    assert [a["manual"] for a in redelivered["log"]] == [False, True]
    missing = cli("webhooks", "redeliver", site.subdomain, "999999999")
    assert missing.exit_code == 1
    beyond = cli("webhooks", "redeliver", site.subdomain, str(2**70))
    assert beyond.exit_code == 1
    assert f"cannot redeliver {2**70}" in one_line(beyond.output)
    assert "cannot redeliver 999999999" in one_line(missing.output)
    assert cli("webhooks", "deliveries", "no-such-site").exit_code == 1
