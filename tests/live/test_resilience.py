"""The server under stress a client can't see coming: an unexpected error, a long seed, a write
lock held by another process. A keep-alive connection survives the first; the event loop keeps
answering through the others."""

from __future__ import annotations

import http.client
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from syllabus.config import Settings
from syllabus.db import Database
from syllabus.main import create_app
from tests.factories import make_user
from tests.servers import HOST, Server, serve_in_thread, start_server
from tests.support import PREFIX, SiteClient

pytestmark = pytest.mark.live

ADMIN_TOKEN = "resilience-admin-token"
# What "the event loop stays free" means here: requests answer within this. It is checked on the
# 95th percentile: on two cores shared with the database and the other test worker, a sample can
# wait for the machine itself, while a loop blocked by the work would hold every request up for
# the whole of it (seconds).
RESPONSIVE_SECONDS = 0.1


def assert_responsive(latencies: list[float]) -> None:
    assert len(latencies) >= 20, "too few requests overlapped the work to tell"
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95)]
    assert p95 < RESPONSIVE_SECONDS, ordered[-10:]
    assert ordered[len(ordered) // 2] < RESPONSIVE_SECONDS / 2, ordered


def test_a_500_keeps_the_keep_alive_connection_usable(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url), Database(database_url))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("an unexpected failure")

    with serve_in_thread(app) as url:
        connection = http.client.HTTPConnection(HOST, int(url.rsplit(":", 1)[1]), timeout=10)
        try:
            connection.request("GET", "/boom")
            failed = connection.getresponse()
            assert (failed.status, failed.read()) == (500, b'{"error":"Internal Server Error"}')
            assert failed.getheader("connection") is None
            socket = connection.sock
            connection.request("GET", "/healthz")  # the same connection, still open
            after = connection.getresponse()
            assert (after.status, after.read()) == (200, b'{"status":"ok"}')
            assert connection.sock is socket
        finally:
            connection.close()


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("resilience") / "server.log"
    running = start_server(database_url, log, admin_token=ADMIN_TOKEN)
    yield running
    running.kill()


def _latencies_while(
    busy: Callable[[], Any], server: Server, site: SiteClient, user: int
) -> list[float]:
    """Run ``busy`` in a thread; meanwhile time /healthz and a read of ``user`` until it ends."""
    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(busy()), daemon=True)
    latencies: list[float] = []
    with httpx.Client(base_url=server.url, headers=site.headers, timeout=10) as client:
        worker.start()
        while worker.is_alive():
            for path in ("/healthz", f"{PREFIX}/users/{user}"):
                started = time.monotonic()
                assert client.get(path).status_code == 200
                latencies.append(time.monotonic() - started)
            time.sleep(0.01)
    worker.join(timeout=120)
    assert outcome, "the busy work never finished"
    return latencies


def test_a_large_seed_leaves_the_loop_free(server: Server, site: SiteClient) -> None:
    def seed() -> httpx.Response:
        return httpx.post(
            f"{server.url}/_syllabus/sites/{site.subdomain}/seed",
            json={"users": 2_500, "courses": 40, "enrollments": 100_000, "seed": 3},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            timeout=300,
        )

    assert_responsive(_latencies_while(seed, server, site, make_user(site)))
    listed = httpx.get(f"{server.url}{PREFIX}/enrollments?limit=1", headers=site.headers)
    assert listed.json()["meta"]["pagination"]["total_items"] == 100_000


def test_a_writer_waiting_for_another_process_leaves_the_loop_free(
    server: Server, site: SiteClient, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only: on PostgreSQL every unit of work runs in a worker thread")
    user = make_user(site)
    path = Path(make_url(database_url).database or "")
    holder = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process's write lock
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    body = {"first_name": "Wait", "last_name": "Ing", "email": email}
    released = threading.Timer(1.5, holder.rollback)
    released.start()
    try:
        latencies = _latencies_while(
            lambda: httpx.post(
                f"{server.url}{PREFIX}/users", json=body, headers=site.headers, timeout=30
            ),
            server,
            site,
            user,
        )
    finally:
        released.join()
        holder.close()
    assert_responsive(latencies)
    found = httpx.get(
        f"{server.url}{PREFIX}/users", params={"query[email]": email}, headers=site.headers
    )
    assert found.json()["meta"]["pagination"]["total_items"] == 1
