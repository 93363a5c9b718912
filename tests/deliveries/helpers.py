"""A real webhook receiver on 127.0.0.1, subscriptions made straight in the database, and the
signature computed here, independently of the server's code."""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from syllabus.models import Site
from syllabus.webhooks.service import subscribe_with_key
from tests.servers import STOP_SECONDS, SYLLABUS
from tests.support import SiteClient

ADMIN = {"Authorization": "Bearer test-admin-token"}
WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # workers send batches at once


class Receiver:
    """Records every POST; answers each with the next scripted status (200 once the script
    runs out), after the scripted delay."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: deque[tuple[int, float]] = deque()
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, delay = receiver.script.popleft() if receiver.script else (200, 0.0)
                with receiver._changed:
                    receiver.received.append(Received(self.path, dict(self.headers), body))
                    receiver._changed.notify_all()
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(f"answered {status}".encode())
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def answer(self, *statuses: int, delay: float = 0.0) -> None:
        self.script.extend((status, delay) for status in statuses)

    def wait_for(self, count: int, seconds: float = WAIT_SECONDS) -> list[Received]:
        """The first ``count`` requests, once they have arrived."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self.received) >= count, seconds)
            assert arrived, f"{len(self.received)} of {count} deliveries arrived in {seconds} s"
            return list(self.received[:count])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class WallClock:
    """The server's wall clock, stopped, moved only by the test."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def subscribe(site: SiteClient, topic: str, url: str, *, key: str | None = None) -> int:
    """A subscription of ``topic`` to ``url``, signed with ``key`` (the site's API key unless
    given), as `POST /api/v2/webhooks` with that key makes one. Its row id."""
    settings = site.http.app.state.settings  # type: ignore[attr-defined]

    def work(session: Any) -> int:
        owner = session.get_one(Site, site.id)
        made = subscribe_with_key(session, settings, owner, topic, url, key or site.key, "test")
        return made.id

    return site.db(work)


def signature(body: bytes, key: str) -> str:
    """Thinkific's X-Thinkific-Hmac-Sha256: lowercase hex HMAC-SHA256 of the raw body."""
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def deliveries(site: SiteClient, **filters: str) -> list[dict[str, Any]]:
    params = {f"query[{name}]": value for name, value in filters.items()}
    response = site.http.get(
        f"/_syllabus/sites/{site.subdomain}/deliveries", params=params, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def settled(site: SiteClient, count: int, seconds: float = WAIT_SECONDS) -> list[dict[str, Any]]:
    """The site's deliveries once ``count`` attempts are logged and none is being sent."""
    deadline = time.monotonic() + seconds
    while True:
        items = deliveries(site)
        logged = sum(len(item["log"]) for item in items)
        if logged >= count or time.monotonic() > deadline:
            assert logged >= count, items
            return items
        time.sleep(0.05)


@dataclass
class Command:
    """A ``syllabus`` command running in a subprocess, its output in ``log``."""

    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, seconds: float = WAIT_SECONDS) -> str:
        deadline = time.monotonic() + seconds
        while text not in self.output():
            assert self.process.poll() is None, (
                f"exited {self.process.returncode}:\n{self.output()}"
            )
            assert time.monotonic() < deadline, f"no {text!r} in {seconds} s:\n{self.output()}"
            time.sleep(0.05)
        return self.output()

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Send ``signum``; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def run_command(log: Path, *arguments: str, env: dict[str, str] | None = None) -> Command:
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200", **(env or {})}
    environment.pop("SYLLABUS_DATABASE_URL", None)
    with log.open("ab") as output:
        process = subprocess.Popen(
            [str(SYLLABUS), *arguments],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
        )
    return Command(process, log)
