"""Durability under ``kill -9``, per database: writers create users, enrollments and bundle
enrollments without pause while the server process is killed with SIGKILL and restarted, several
times. Afterwards every acknowledged write is in the database with its event, and no write is
half there: no user or enrollment without its event (or event without its row), no bundle
enrollment covering only some of the bundle's courses.

A write is *acknowledged* when its 2xx response was received whole; one whose connection broke
is *unknown* (it may or may not have committed), and only the all-or-nothing checks apply to it.
Those checks cover every row of the site, acknowledged or not.

Also here: ``SYLLABUS_SQLITE_SYNCHRONOUS`` (db.py) sets the ``PRAGMA synchronous`` that every
SQLite connection actually runs with, and nothing else is accepted.
"""

from __future__ import annotations

import logging
import random
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from syllabus.config import Settings
from syllabus.db import Database, is_sqlite_url
from syllabus.main import create_app
from syllabus.migrate import upgrade
from syllabus.models import Enrollment, Event, User
from tests.factories import make_bundle, make_course
from tests.servers import SYLLABUS, Server, free_port, start_server
from tests.support import PREFIX, SiteClient, new_site

pytestmark = pytest.mark.live

ADMIN_TOKEN = "durability-admin-token"
SEED = 20_261_130
KILLS = 4
WRITERS = 3
BUNDLE_SIZE = 3
# Seconds of writing before each kill (drawn from SEED), and after the last restart.
UP_SECONDS = (1.0, 2.0)
LAST_SECONDS = 1.0
REQUEST_SECONDS = 10.0
# A writer whose connection broke waits this long for the restarted server's URL at most.
RECONNECT_SECONDS = 2.0
# What the run must have done for its checks to mean something.
MIN_AFTER_RESTART = 25  # by each server, the first and every restarted one
MIN_USERS = 50
MIN_ENROLLMENTS = 15
MIN_BUNDLE_ENROLLMENTS = 15
# How much longer a server may take to acknowledge MIN_AFTER_RESTART writes on a busy machine.
PATIENCE_SECONDS = 10.0
ENROLLMENT_TOPICS = {("enrollment", "created"), ("enrollment", "trial")}


class Target:
    """The URL of the running server, shared by the writers: ``None`` while it is down."""

    def __init__(self) -> None:
        self._url: str | None = None
        self._changed = threading.Condition()

    def set(self, url: str | None) -> None:
        with self._changed:
            self._url = url
            self._changed.notify_all()

    def wait(self, stop: threading.Event, *, not_: str | None = None) -> str | None:
        """The server's URL once one is up: one other than ``not_`` (a URL whose connection
        just broke), or after RECONNECT_SECONDS any; ``None`` when the run is over."""
        deadline = time.monotonic() + RECONNECT_SECONDS
        with self._changed:
            while not stop.is_set():
                if self._url is not None and (self._url != not_ or time.monotonic() >= deadline):
                    return self._url
                self._changed.wait(0.1)
        return None


@dataclass
class Ledger:
    """What the writers were told: the acknowledged writes, and the rest."""

    users: set[int] = field(default_factory=set)
    enrollments: dict[int, tuple[int, int]] = field(default_factory=dict)  # id: (user, course)
    bundle_users: set[int] = field(default_factory=set)
    unknown: Counter[str] = field(default_factory=Counter)  # sent, then the connection broke
    unsent: Counter[str] = field(default_factory=Counter)  # refused connections: never sent
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acknowledged(self) -> int:
        with self.lock:
            return len(self.users) + len(self.enrollments) + len(self.bundle_users)

    def summary(self) -> str:
        with self.lock:
            return (
                f"acknowledged: {len(self.users)} users, {len(self.enrollments)} enrollments, "
                f"{len(self.bundle_users)} bundle enrollments; unknown: {dict(self.unknown)}; "
                f"never sent: {dict(self.unsent)}; refused: {len(self.refused)}"
            )


@dataclass
class Run:
    site: SiteClient
    course: int  # single enrollments go here, outside the bundle
    bundle: int
    bundle_courses: frozenset[int]
    target: Target = field(default_factory=Target)
    ledger: Ledger = field(default_factory=Ledger)
    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[BaseException] = field(default_factory=list)

    def post(
        self, client: httpx.Client, url: str, kind: str, path: str, body: dict[str, Any]
    ) -> httpx.Response | None:
        """The response when it came whole; ``None`` when the connection broke (unknown) or
        could not be made."""
        try:
            response = client.post(url + PREFIX + path, json=body)
        except httpx.ConnectError:
            with self.ledger.lock:
                self.ledger.unsent[kind] += 1
            return None
        except httpx.TransportError:
            with self.ledger.lock:
                self.ledger.unknown[kind] += 1
            return None
        if not response.is_success:
            with self.ledger.lock:
                self.ledger.refused.append(f"{kind}: {response.status_code} {response.text[:200]}")
        return response

    def write(self, writer: int) -> None:
        """Create a user, then enroll them in the course (even turns) or the bundle (odd ones),
        until the run stops. A broken connection moves on to the next write."""
        try:
            with httpx.Client(headers=self.site.headers, timeout=REQUEST_SECONDS) as client:
                turn = 0
                url = self.target.wait(self.stop)
                while url is not None:
                    turn += 1
                    broken = not self.write_one(client, url, writer, turn)
                    url = self.target.wait(self.stop, not_=url if broken else None)
        except BaseException as error:  # reported by the test, not lost in a thread
            self.errors.append(error)

    def write_one(self, client: httpx.Client, url: str, writer: int, turn: int) -> bool:
        """One user and one enrollment of them; False when a connection broke."""
        user = {"first_name": "Dura", "last_name": f"W{writer}", "email": f"w{writer}t{turn}@x.io"}
        created = self.post(client, url, "user", "/users", user)
        if created is None:
            return False
        if not created.is_success:
            return True
        user_id = int(created.json()["id"])
        with self.ledger.lock:
            self.ledger.users.add(user_id)
        if turn % 2 == 0:
            body: dict[str, Any] = {"user_id": user_id, "course_id": self.course}
            if turn % 4 == 0:
                body["activated_at"] = "2026-01-01T00:00:00Z"  # enrollment.created, not .trial
            enrolled = self.post(client, url, "enrollment", "/enrollments", body)
            if enrolled is not None and enrolled.is_success:
                row = enrolled.json()
                with self.ledger.lock:
                    self.ledger.enrollments[int(row["id"])] = (user_id, self.course)
        else:
            path = f"/bundles/{self.bundle}/enrollments"
            enrolled = self.post(client, url, "bundle enrollment", path, {"user_id": user_id})
            if enrolled is not None and enrolled.is_success:
                with self.ledger.lock:
                    self.ledger.bundle_users.add(user_id)
        return enrolled is not None


@dataclass
class Stored:
    """What the database holds for the site, read after the last kill."""

    users: set[int]
    enrollments: dict[int, tuple[int, int]]
    events: Counter[tuple[str, str, int]]  # (resource, action, the payload's id): how many

    def ids_of(self, *topics: tuple[str, str]) -> Counter[int]:
        return Counter(
            {
                id: n
                for (resource, action, id), n in self.events.items()
                if (resource, action) in topics
            }
        )


def stored(site: SiteClient) -> Stored:
    def read(session: Session) -> Stored:
        users = set(session.scalars(select(User.id).where(User.site_id == site.id)))
        enrollments = {
            id: (user, course)
            for id, user, course in session.execute(
                select(Enrollment.id, Enrollment.user_id, Enrollment.course_id).where(
                    Enrollment.site_id == site.id
                )
            )
        }
        events: Counter[tuple[str, str, int]] = Counter(
            (resource, action, int(payload["id"]))
            for resource, action, payload in session.execute(
                select(Event.resource, Event.action, Event.payload).where(Event.site_id == site.id)
            )
        )
        return Stored(users, enrollments, events)

    return site.db(read)


@pytest.fixture
def durable(
    database_url: str, http: TestClient, tmp_path: Path
) -> Iterator[tuple[str, SiteClient]]:
    """A database URL and a site on it. On SQLite, a file of this test's own, which the test
    closes before the first server starts: then only the server has it open, and each restarted
    server recovers whatever WAL and index the killed one left (the session's database stays open
    in this process). On PostgreSQL, the session's database."""
    url = database_url
    if is_sqlite_url(url):
        url = f"sqlite:///{tmp_path / 'durability.db'}"
        upgrade(url)
    database = Database(url)
    try:
        yield url, new_site(http, database, f"durable{uuid.uuid4().hex[:8]}")
    finally:
        database.dispose()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Every server the test starts; each is killed at the end, whatever happened."""
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def test_acknowledged_writes_survive_kill_9_and_none_is_half_there(
    durable: tuple[str, SiteClient], servers: list[Server], tmp_path: Path
) -> None:
    began = time.monotonic()
    database_url, site = durable
    rng = random.Random(SEED)
    log = tmp_path / "server.log"
    courses = [make_course(site) for _ in range(BUNDLE_SIZE)]
    run = Run(site, make_course(site), make_bundle(site, courses), frozenset(courses))
    site.database.engine.dispose()  # nothing of this process holds the database until the end

    def context() -> str:
        tail = servers[-1].log_tail(60) if servers else "(no server started)"
        return f"{run.ledger.summary()}\nserver log (all runs), last lines:\n{tail}"

    starts: list[float] = []  # seconds from spawning each server to its first 200

    def serve() -> None:
        started = time.monotonic()
        servers.append(start_server(database_url, log, admin_token=ADMIN_TOKEN))
        starts.append(round(time.monotonic() - started, 1))
        run.target.set(servers[-1].url)

    def write_for(seconds: float) -> int:
        """Let the writers run ``seconds``, and longer (on a busy machine) until the server has
        acknowledged MIN_AFTER_RESTART writes; how many it acknowledged."""
        before = run.ledger.acknowledged()
        time.sleep(seconds)
        deadline = time.monotonic() + PATIENCE_SECONDS
        while run.ledger.acknowledged() - before < MIN_AFTER_RESTART:
            if time.monotonic() > deadline or run.errors:
                break
            time.sleep(0.05)
        return run.ledger.acknowledged() - before

    serve()
    writers = [
        threading.Thread(target=run.write, args=(n,), name=f"writer-{n}", daemon=True)
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    kills = 0
    progress: list[int] = []  # writes acknowledged by each server before its kill
    try:
        for _ in range(KILLS):
            progress.append(write_for(rng.uniform(*UP_SECONDS)))
            servers[-1].kill()  # mid-write: the writers never pause
            run.target.set(None)
            kills += 1
            with log.open("a") as output:
                output.write(f"--- SIGKILL {kills}, after {progress[-1]} acknowledged writes\n")
            serve()
        progress.append(write_for(LAST_SECONDS))
    finally:
        run.stop.set()
        for writer in writers:
            writer.join(timeout=REQUEST_SECONDS + RECONNECT_SECONDS + 5)
    alive = [writer.name for writer in writers if writer.is_alive()]
    servers[-1].kill()
    writing = time.monotonic() - began

    assert not alive, f"writers still running: {alive}\n{context()}"
    assert not run.errors, f"a writer failed: {run.errors!r}\n{context()}"
    assert kills == KILLS
    assert not run.ledger.refused, f"writes refused: {run.ledger.refused[:10]}\n{context()}"
    assert all(count >= MIN_AFTER_RESTART for count in progress), (
        f"each server (the first, then each restart) must acknowledge at least "
        f"{MIN_AFTER_RESTART} writes before it is killed: {progress}\n{context()}"
    )
    ledger = run.ledger
    assert len(ledger.users) >= MIN_USERS, context()
    assert len(ledger.enrollments) >= MIN_ENROLLMENTS, context()
    assert len(ledger.bundle_users) >= MIN_BUNDLE_ENROLLMENTS, context()
    assert ledger.unknown, f"no kill broke a write in flight\n{context()}"

    db = stored(site)
    signups = db.ids_of(("user", "signup"))
    enrolled = db.ids_of(*ENROLLMENT_TOPICS)

    # Every acknowledged write is there, with its event.
    missing = sorted(ledger.users - db.users)
    assert not missing, f"acknowledged users missing: {missing[:20]}\n{context()}"
    missing = sorted(ledger.users - signups.keys())
    assert not missing, f"acknowledged users without user.signup: {missing[:20]}\n{context()}"
    lost = {id: pair for id, pair in ledger.enrollments.items() if db.enrollments.get(id) != pair}
    assert not lost, f"acknowledged enrollments missing or changed: {lost}\n{context()}"
    missing = sorted(ledger.enrollments.keys() - enrolled.keys())
    assert not missing, f"acknowledged enrollments without their event: {missing[:20]}\n{context()}"
    by_user: dict[int, set[int]] = {}
    for user, course in db.enrollments.values():
        by_user.setdefault(user, set()).add(course)
    short = {user: by_user.get(user, set()) for user in ledger.bundle_users}
    short = {user: held for user, held in short.items() if not run.bundle_courses <= held}
    assert not short, (
        f"acknowledged bundle enrollments missing courses of {sorted(run.bundle_courses)}: "
        f"{short}\n{context()}"
    )

    # Nothing is half there, acknowledged or not: each row has exactly one event and each event
    # its row, and a user has all of the bundle's courses or none of them.
    assert db.users == signups.keys(), (
        f"users without user.signup: {sorted(db.users - signups.keys())[:20]}; "
        f"user.signup without its user: {sorted(signups.keys() - db.users)[:20]}\n{context()}"
    )
    assert db.enrollments.keys() == enrolled.keys(), (
        f"enrollments without their event: {sorted(db.enrollments.keys() - enrolled.keys())[:20]}"
        f"; events without their enrollment: {sorted(enrolled.keys() - db.enrollments.keys())}"
        f"\n{context()}"
    )
    twice = {key: n for key, n in db.events.items() if n > 1}
    assert not twice, f"events recorded more than once: {twice}\n{context()}"
    others = {key for key in db.events if key[:2] not in {("user", "signup"), *ENROLLMENT_TOPICS}}
    assert not others, f"events no write here records: {sorted(others)[:20]}\n{context()}"
    partial = {
        user: sorted(held & run.bundle_courses)
        for user, held in by_user.items()
        if held & run.bundle_courses and not run.bundle_courses <= held
    }
    assert not partial, (
        f"bundle enrollments covering only some of {sorted(run.bundle_courses)}: {partial}\n"
        f"{context()}"
    )
    strays = {user: held for user, held in by_user.items() if held - {run.course, *courses}}
    assert not strays, f"enrollments in courses nobody wrote to: {strays}\n{context()}"
    logging.getLogger(__name__).info(
        f"{database_url.split(':', 1)[0]}: {kills} kills survived in {writing:.1f}s; "
        f"{ledger.summary()}; acknowledged per server: {progress}; stored: {len(db.users)} "
        f"users, {len(db.enrollments)} enrollments; seconds to start each server: {starts}"
    )


# ``SYLLABUS_SQLITE_SYNCHRONOUS``: PRAGMA synchronous reads 1 for NORMAL, 2 for FULL.
PRAGMA_VALUES = {"NORMAL": 1, "FULL": 2}


def synchronous_of(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(text("PRAGMA synchronous")).scalar_one())


@pytest.mark.parametrize("mode", ["NORMAL", "FULL"])
def test_every_sqlite_connection_runs_with_the_chosen_synchronous(
    mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'pragma.db'}"
    database = Database(url, sqlite_synchronous=mode)  # type: ignore[arg-type]
    try:
        assert synchronous_of(database) == PRAGMA_VALUES[mode]
    finally:
        database.dispose()
    # From the environment, in any case, to the server's engines (the journal has its own).
    monkeypatch.setenv("SYLLABUS_SQLITE_SYNCHRONOUS", mode.lower())
    settings = Settings(database_url=url)
    assert settings.sqlite_synchronous == mode
    app = create_app(settings)
    try:
        assert synchronous_of(app.state.database) == PRAGMA_VALUES[mode]
        assert synchronous_of(app.state.journal.database) == PRAGMA_VALUES[mode]
    finally:
        app.state.database.dispose()
        app.state.journal.database.dispose()


def test_the_default_is_normal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYLLABUS_SQLITE_SYNCHRONOUS", raising=False)
    assert Settings().sqlite_synchronous == "NORMAL"
    database = Database(f"sqlite:///{tmp_path / 'default.db'}")
    try:
        assert synchronous_of(database) == PRAGMA_VALUES["NORMAL"]
    finally:
        database.dispose()


@pytest.mark.parametrize("mode", ["OFF", "EXTRA", "0", "2", ""])
def test_other_synchronous_values_are_refused(mode: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="sqlite_synchronous"):
        Settings(sqlite_synchronous=mode)
    with pytest.raises(ValueError, match="sqlite_synchronous"):
        Database(f"sqlite:///{tmp_path / 'refused.db'}", sqlite_synchronous=mode)  # type: ignore[arg-type]


def test_serve_refuses_a_bad_sqlite_synchronous_before_it_starts(database_url: str) -> None:
    command = [str(SYLLABUS), "serve", "--port", str(free_port()), "--database-url", database_url]
    finished = subprocess.run(
        [*command, "--sqlite-synchronous", "OFF"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 1, finished.stdout + finished.stderr
    assert "invalid SYLLABUS_SQLITE_SYNCHRONOUS 'OFF'" in " ".join(finished.stderr.split())
    assert "Syllabus serving" not in finished.stdout
