"""Syllabus in other projects' tests: a server, and one fresh Thinkific site per test.

::

    with syllabus.testing.server() as server, server.site() as site:
        site.client.post("/users", json={"first_name": "Ada", ...})

``server()`` runs a real server on a free port of 127.0.0.1, in a background thread, on a
temporary SQLite database migrated for it and removed at ``stop()``. With ``SYLLABUS_URL`` and
``SYLLABUS_ADMIN_TOKEN`` set it uses that server as it is (one on PostgreSQL, say) and starts
nothing. A site is made through the control plane, with a random subdomain, and deleted by
``close()``. The pytest plugin (``syllabus.pytest_plugin``) offers both as fixtures.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import httpx

HOST = "127.0.0.1"
ADMIN_API = "/api/public/v1"
CONTROL = "/_syllabus/sites"
STARTUP_SECONDS = 10.0
STOP_SECONDS = 10.0
# Seeding and loading run to completion before the control plane answers.
TIMEOUT_SECONDS = 60.0
PAGE_LIMIT = 250


class ControlPlaneError(Exception):
    """The control plane answered something other than what the helper asked for."""

    def __init__(self, response: httpx.Response) -> None:
        request = response.request
        super().__init__(
            f"{request.method} {request.url.path}: {response.status_code} {response.text}"
        )
        self.response = response


class _Closing:
    """``with`` support: the block's end calls ``close()``."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()


class SyllabusServer(_Closing):
    """A Syllabus server: started here in a thread, or an external one given by its URL.

    ``url`` and ``admin_token`` together name an external server; leave both out to run one.
    """

    def __init__(self, url: str | None = None, admin_token: str | None = None) -> None:
        if (url is None) != (admin_token is None):
            raise ValueError("an external server needs both its URL and its admin token")
        self.external = url is not None
        self.url = (url or "").rstrip("/")
        self.admin_token = admin_token or ""
        self._admin: httpx.Client | None = None
        self._uvicorn: Any = None
        self._thread: threading.Thread | None = None
        self._listener: socket.socket | None = None
        self._directory: Path | None = None

    @property
    def admin(self) -> httpx.Client:
        """An httpx client on the server's root, sending the admin token."""
        if self._admin is None:
            raise RuntimeError("the server is not started")
        return self._admin

    def start(self) -> Self:
        if self._admin is not None:
            return self
        if not self.external:
            self._start_in_thread()
        self._admin = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=TIMEOUT_SECONDS,
        )
        return self

    def _start_in_thread(self) -> None:
        import uvicorn

        from syllabus.config import Settings
        from syllabus.main import create_app
        from syllabus.migrate import upgrade

        self._directory = Path(tempfile.mkdtemp(prefix="syllabus-"))
        database_url = f"sqlite:///{self._directory / 'syllabus.db'}"
        upgrade(database_url)
        self.admin_token = secrets.token_hex(16)
        settings = Settings(
            database_url=database_url,
            admin_token=self.admin_token,
            rate_limit_per_minute=0,  # tests send bursts; a site given its own limit keeps it
            deliver_webhooks=True,
            redis_url=None,
        )
        # log_config=None: leave the host's logging as it is, and print only warnings.
        config = uvicorn.Config(
            create_app(settings),
            log_config=None,
            log_level="warning",
            access_log=False,
            ws="none",
            lifespan="on",
            timeout_graceful_shutdown=int(STOP_SECONDS / 2),
        )
        self._uvicorn = uvicorn.Server(config)
        # Bound here and handed to uvicorn: no race for the port.
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind((HOST, 0))
        self.url = f"http://{HOST}:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(
            target=self._uvicorn.run,
            kwargs={"sockets": [self._listener]},
            name="syllabus-server",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._uvicorn.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the Syllabus server did not start within {STARTUP_SECONDS}s")
            time.sleep(0.005)

    def stop(self) -> None:
        """Stop the server started here (an external one is left running) and remove its
        database. Safe to call twice."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        thread, self._thread = self._thread, None
        if thread is not None:
            self._uvicorn.should_exit = True
            thread.join(timeout=STOP_SECONDS)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None
        if thread is not None and thread.is_alive():
            raise RuntimeError(f"the Syllabus server did not stop within {STOP_SECONDS}s")

    def site(self, subdomain: str | None = None) -> ThinkificSite:
        """A new, empty site with its API key (a random subdomain unless given)."""
        body = {} if subdomain is None else {"subdomain": subdomain}
        response = self.admin.post(CONTROL, json=body)
        if response.status_code != 201:
            raise ControlPlaneError(response)
        created = response.json()
        return ThinkificSite(self, created["subdomain"], created["api_key"])

    def __enter__(self) -> Self:
        return self.start()

    def close(self) -> None:
        self.stop()


def server(url: str | None = None, admin_token: str | None = None) -> SyllabusServer:
    """A server to start (``with server() as s:``): the one given, else the one
    ``SYLLABUS_URL`` and ``SYLLABUS_ADMIN_TOKEN`` name, else one in a thread."""
    if url is None and admin_token is None and os.environ.get("SYLLABUS_URL"):
        url = os.environ["SYLLABUS_URL"]
        admin_token = os.environ.get("SYLLABUS_ADMIN_TOKEN")
        if not admin_token:
            raise ValueError("SYLLABUS_URL is set: set SYLLABUS_ADMIN_TOKEN to its admin token")
    return SyllabusServer(url, admin_token)


class Clock:
    """A site's virtual clock: expiry, and every other "now" of the site, follow it."""

    def __init__(self, site: ThinkificSite) -> None:
        self._site = site

    def now(self) -> datetime:
        return _moment(self._site.control("GET", "/clock").json())

    def set(self, now: datetime | str) -> datetime:
        value = now if isinstance(now, str) else now.isoformat()
        return _moment(self._site.control("PUT", "/clock", json={"now": value}).json())

    def advance(self, seconds: float) -> datetime:
        body = {"advance_seconds": seconds}
        return _moment(self._site.control("PUT", "/clock", json=body).json())


class RecordedRequests:
    """Journal entries (``ThinkificSite.requests``), oldest first: ``count``, ``last``, and
    iteration and indexing over the entries (dicts, as the control plane lists them)."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries = entries

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def last(self) -> dict[str, Any] | None:
        return self.entries[-1] if self.entries else None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.entries)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.entries[index]

    def __repr__(self) -> str:
        lines = [f"{e['method']} {e['path']} -> {e['status']}" for e in self.entries]
        return f"RecordedRequests({len(self.entries)}: {lines})"


class ThinkificSite(_Closing):
    """A site on a Syllabus server, and what its control plane can do to it."""

    def __init__(self, server: SyllabusServer, subdomain: str, api_key: str) -> None:
        self.server = server
        self.subdomain = subdomain
        self.api_key = api_key
        # The Thinkific clients that fix their host take this (plus "/public/v1" or "/v2").
        self.api_url = f"{server.url}/api"
        self.base_url = f"{server.url}{ADMIN_API}"
        self.headers = {"X-Auth-API-Key": api_key, "X-Auth-Subdomain": subdomain}
        self.clock = Clock(self)
        self._client: httpx.Client | None = None
        self._closed = False

    @property
    def client(self) -> httpx.Client:
        """An httpx client on ``base_url`` sending the site's headers (made on first use: an
        httpx client costs more to build than the site itself)."""
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.base_url, headers=self.headers, timeout=TIMEOUT_SECONDS
            )
        return self._client

    def control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Call ``/_syllabus/sites/{subdomain}{path}``; a 4xx or 5xx raises ControlPlaneError."""
        response = self.server.admin.request(method, f"{CONTROL}/{self.subdomain}{path}", **kwargs)
        if response.is_error:
            raise ControlPlaneError(response)
        return response

    def seed(
        self,
        *,
        users: int | None = None,
        courses: int | None = None,
        enrollments: int | None = None,
        seed: int | None = None,
    ) -> dict[str, Any]:
        """Deterministic demo data, as ``syllabus seed``: what was made."""
        counts = {"users": users, "courses": courses, "enrollments": enrollments, "seed": seed}
        body = {name: value for name, value in counts.items() if value is not None}
        summary: dict[str, Any] = self.control("POST", "/seed", json=body).json()
        return summary

    def load(self, document: dict[str, Any]) -> dict[str, Any]:
        """Declarative content in the ``syllabus load`` format: the changes made per section."""
        result: dict[str, Any] = self.control("POST", "/load", json=document).json()
        return result

    def events(self) -> list[dict[str, Any]]:
        """The events the site's writes recorded, oldest first."""
        return self._every("/events")

    def deliveries(self) -> list[dict[str, Any]]:
        """The site's webhook deliveries, oldest first, each with its attempts."""
        return self._every("/deliveries")

    def requests(
        self, *, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> RecordedRequests:
        """The site's journal, oldest first: its requests to the Admin API and ``/api/v2``
        with what each got, only those of ``method``, ``path`` (after the API's prefix; a
        glob with ``*`` and ``?``) and ``status`` if given. One line of a test::

            assert site.requests(method="POST", path="/users").count == 1
        """
        given = {"method": method, "path": path, "status": status}
        filters = {f"query[{name}]": value for name, value in given.items() if value is not None}
        entries: list[dict[str, Any]] = []
        page: int | None = 1
        while page is not None:
            params = {**filters, "page": page, "limit": PAGE_LIMIT}
            body = self.control("GET", "/requests", params=params).json()
            entries += body["items"]
            page = body["meta"]["pagination"]["next_page"]
        return RecordedRequests(entries)

    def fault(
        self,
        action: str,
        *,
        method: str | None = None,
        path: str = "*",
        status: int | None = None,
        delay_ms: int | None = None,
        times: int | None = None,
        probability: float | None = None,
        seed: int | None = None,
    ) -> dict[str, Any]:
        """Add a fault rule: requests matching ``method`` and the glob ``path`` (after the
        API's prefix) get ``action`` ("status" with ``status``, "delay" with ``delay_ms``,
        "drop" or "commit_then_fail"), ``times`` times, with ``probability``, or always.
        Returns the rule; the server applies it from the next request."""
        given = {
            "action": action,
            "method": method,
            "path": path,
            "status": status,
            "delay_ms": delay_ms,
            "times": times,
            "probability": probability,
            "seed": seed,
        }
        body = {name: value for name, value in given.items() if value is not None}
        rule: dict[str, Any] = self.control("POST", "/faults", json=body).json()
        return rule

    def faults(self) -> list[dict[str, Any]]:
        """The site's fault rules, in the order they are tried, with what each matched."""
        return self._every("/faults")

    def clear_faults(self) -> None:
        """Delete every fault rule of the site."""
        self.control("DELETE", "/faults")

    def snapshot(self, name: str) -> dict[str, Any]:
        """Save the site's whole state (every row, with its ids, and its clock) as ``name``
        (unique on the site): the snapshot, with the rows it holds by table."""
        saved: dict[str, Any] = self.control("POST", "/snapshots", json={"name": name}).json()
        return saved

    def restore(self, name: str) -> None:
        """Bring the site back to the snapshot ``name``, in one transaction: the same rows,
        the same ids, its clock. Keys, fault rules and the request journal stay as they are."""
        self.control("POST", f"/snapshots/{quote(name, safe='')}/restore")

    def diff(self, since: str | None = None) -> dict[str, Any]:
        """What changed since the snapshot ``since`` or, without it, since the site was made
        (the test's start): ``{"since", "resources": {table: {"created", "updated",
        "deleted"}}}``, only the tables that changed. One line of a test::

            assert set(site.diff()["resources"]) == {"users"}
        """
        params = {} if since is None else {"since": since}
        changed: dict[str, Any] = self.control("GET", "/diff", params=params).json()
        return changed

    def export(self) -> dict[str, Any]:
        """The site in the ``syllabus load`` format: ``load()`` it into another site to get the
        same Admin API answers (but the ids)."""
        document: dict[str, Any] = self.control("GET", "/export", params={"format": "json"}).json()
        return document

    def reset(self) -> None:
        """Delete everything in the site but the site and its credentials."""
        self.control("POST", "/reset")

    def close(self) -> None:
        """Delete the site and everything in it. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._client is not None:
            self._client.close()
        response = self.server.admin.delete(f"{CONTROL}/{self.subdomain}")
        if response.status_code not in (204, 404):
            raise ControlPlaneError(response)

    def _every(self, path: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page: int | None = 1
        while page is not None:
            params = {"page": page, "limit": PAGE_LIMIT}
            body = self.control("GET", path, params=params).json()
            items += body["items"]
            page = body["meta"]["pagination"]["next_page"]
        return items


def _moment(clock: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(clock["now"])
