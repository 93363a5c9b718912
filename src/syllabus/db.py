"""Engines and the unit of work.

One request is one transaction, and only this module commits. Each unit of work is plain,
synchronous SQLAlchemy code run in one place:

* on SQLite it runs inline on the event loop. Local SQLite queries take microseconds, and a
  thread hop costs 3-4x more than the query (DESIGN.md's measurements);
* on PostgreSQL it runs in a worker thread, so a slow query never stalls the loop.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and SQLAlchemy's
"Serializable isolation / Savepoints / Transactional DDL" recipe: pysqlite's own transaction
handling is switched off and we emit BEGIN ourselves. Writes begin with ``BEGIN IMMEDIATE`` so two
processes never deadlock upgrading a read lock to a write lock.

How durable a SQLite commit is, ``PRAGMA synchronous`` (``SYLLABUS_SQLITE_SYNCHRONOUS``):

* ``NORMAL`` (the default): a commit appends to the WAL file and returns; the WAL is fsynced
  only when a checkpoint copies it into the database. A process that dies, even by SIGKILL,
  loses no commit (the WAL is in the operating system's page cache, which outlives the process:
  tests/proof/test_durability.py kills the server under writers); a power loss or an operating
  system crash can lose the last commits, never the database's consistency.
* ``FULL``: every commit fsyncs the WAL before it returns, so it survives a power loss too, at
  an fsync per write, made with the write lock held. On the project's 2-core VM a small
  committing insert took 16-21 us with NORMAL and 260-420 us with FULL on a quiet disk, 1.3-4 ms
  while other processes wrote; a sequential POST /users went from 8 to 12-16 ms (median).

NORMAL is the default: an emulator's data is lost to a crashed or killed server far more often
than to a power cut, and NORMAL already keeps every acknowledged write through the former.
"""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar, get_args

import anyio
import anyio.to_thread
import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from syllabus.config import DEFAULT_SQLITE_SYNCHRONOUS, Synchronous
from syllabus.errors import DatabaseBusy

T = TypeVar("T")

LOCK_WAIT_SECONDS = 10.0
CHECKPOINT_SECONDS = 1.0
# With the background checkpointer running, a commit checkpoints itself only past this.
SERVER_AUTOCHECKPOINT_PAGES = 10_000
BUSY_TIMEOUT_MS = 10_000
# Units of work running in threads at once (all of them on PostgreSQL), per process and
# database: more only contend for the GIL. With anyio's default of 40, thirty-two concurrent
# reads of PostgreSQL served 15% fewer requests, and the slowest waited 0.3 s instead of 60 ms.
UNIT_THREADS = 4
# PostgreSQL: a pooled connection idle this long is pinged before use (_ping_when_idle).
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "syllabus.idle_since"
SYNCHRONOUS: tuple[Synchronous, ...] = get_args(Synchronous)
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)
# False while a unit runs on the event loop: a writer that finds the lock taken must not wait there.
_may_wait: contextvars.ContextVar[bool] = contextvars.ContextVar("may_wait", default=True)


def connection_of(session: Session) -> Connection:
    """The connection of a unit of work, for Core statements: a read's own (``reading``), or
    the one the session's transaction holds (a write's)."""
    bind = session.bind
    return bind if isinstance(bind, Connection) else session.connection()


class PerLoop(Generic[T]):
    """One ``make()`` for each event loop that asks: tests may drive one object (a
    ``Database``, the journal's recorder) from several loops, and an asyncio lock or an anyio
    limiter belongs to one."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = (
            weakref.WeakKeyDictionary()
        )

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        made = self._made.get(loop)
        if made is None:
            made = self._made[loop] = self._make()
        return made


class LockBusy(Exception):
    """SQLite's write lock is held by another connection, and this unit may not wait for it."""


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and ``sqlite:///relative/path`` as users write them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return parsed.render_as_string(hide_password=False)


def is_sqlite_url(url: str) -> bool:
    return make_url(url).drivername.startswith("sqlite")


def _configure_sqlite(engine: Engine, synchronous: Synchronous) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Readers rarely wait; writers wait for the lock in _begin_when_free instead.
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        statement = "BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN"
        _begin_when_free(connection.connection.dbapi_connection, statement, _may_wait.get())


def _begin_when_free(dbapi_connection: Any, statement: str, may_wait: bool) -> None:
    """BEGIN, waiting up to LOCK_WAIT_SECONDS for another connection's write to finish.

    Without ``may_wait`` (a unit running on the event loop) a taken lock raises ``LockBusy`` at
    once, and ``Database.run`` moves the unit to a worker thread, where it may wait.

    SQLite's own busy handler sleeps 1, 2, 5, 10 ... 100 ms between tries, so a writer that
    waits behind a 1 ms transaction often sleeps 20 ms or more (POST p99 was over a second with
    two workers). Polling every 0.2-1 ms takes the lock as soon as it is free.
    """
    if statement == "BEGIN":
        dbapi_connection.execute(statement)
        return
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    pause = 0.0002
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute(statement)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if not may_wait:
                    raise LockBusy() from error
                if time.monotonic() >= deadline:
                    raise DatabaseBusy() from error
            time.sleep(pause)
            pause = min(pause * 1.5, 0.001)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _json_dumps(value: Any) -> str:
    # JSON columns (event payloads) through orjson: the standard library's encoder is 10x slower.
    return orjson.dumps(value).decode()


def make_engine(url: str, sqlite_synchronous: Synchronous = DEFAULT_SQLITE_SYNCHRONOUS) -> Engine:
    if sqlite_synchronous not in SYNCHRONOUS:
        raise ValueError(f"sqlite_synchronous is one of {SYNCHRONOUS}, not {sqlite_synchronous!r}")
    url = normalize_url(url)
    if is_sqlite_url(url):
        # Every unit of work ends in COMMIT or ROLLBACK, so the pool need not roll back again.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=8,
            pool_reset_on_return=None,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
        )
        _configure_sqlite(engine, sqlite_synchronous)
        return engine
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use once it has been idle ``PING_AFTER_IDLE_SECONDS``
    (after a database restart, say), and replace it if it does not answer.

    SQLAlchemy's ``pool_pre_ping`` pings at every checkout: one more round trip to PostgreSQL
    for every unit of work, a fifth of a read by id. A connection checked in a moment ago
    answered a moment ago; one that dies in use is replaced as SQLAlchemy replaces any
    connection that reports a disconnect.
    """

    @event.listens_for(engine, "checkin")
    def _idle(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError() from error


class Database:
    """An engine, its sessionmaker, and the one place that commits."""

    def __init__(
        self, url: str, *, sqlite_synchronous: Synchronous = DEFAULT_SQLITE_SYNCHRONOUS
    ) -> None:
        self.url = normalize_url(url)
        self.sqlite_synchronous = sqlite_synchronous
        self.engine = make_engine(self.url, sqlite_synchronous)
        self.is_sqlite = is_sqlite_url(self.url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self._checkpointer: _Checkpointer | None = None
        self._write_lock = PerLoop(asyncio.Lock)
        self._threads = PerLoop(lambda: anyio.CapacityLimiter(UNIT_THREADS))

    @contextmanager
    def transaction(self, *, write: bool = True, may_wait: bool = True) -> Iterator[Session]:
        """Commit if the block succeeds; roll back if it raises.

        On SQLite a writing transaction takes the write lock before the block runs, so that a
        unit refused the lock (``LockBusy``) has done nothing yet and can simply run again.
        """
        write_token = _write_intent.set(write)
        wait_token = _may_wait.set(may_wait)
        try:
            if not write:
                with self.reading() as connection, Session(bind=connection) as session:
                    yield session
                return
            with self.sessionmaker() as session, session.begin():
                if self.is_sqlite:
                    session.connection()
                yield session
        finally:
            _may_wait.reset(wait_token)
            _write_intent.reset(write_token)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read: a Core connection in a transaction, with no ORM session.

        Reads run their prebuilt statements on the connection (kit/statements.py). An ORM
        session begun and committed around a read cost a sixth of a ``GET`` by id, and merely
        making and closing one 40 us; a read that needs one binds it to this connection
        (``Scope.session``), and it joins the connection's transaction.
        """
        token = _write_intent.set(False)
        try:
            with self.engine.connect() as connection:
                if not self.is_sqlite:
                    # One snapshot for every statement of a read: a page's count, its rows and
                    # their children agree even while writers commit (SQLite reads are
                    # snapshots).
                    connection.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    yield connection
        finally:
            _write_intent.reset(token)

    def read_sync(self, work: Callable[[Connection], T]) -> T:
        with self.reading() as connection:
            return work(connection)

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run a read on a connection (``reading``): inline on SQLite, in a worker thread on
        PostgreSQL, as ``run`` does."""
        if not self.is_sqlite:
            return await self._in_thread(lambda: self.read_sync(work))
        return self.read_sync(work)

    def run_sync(
        self, work: Callable[[Session], T], *, write: bool = True, may_wait: bool = True
    ) -> T:
        with self.transaction(write=write, may_wait=may_wait) as session:
            return work(session)

    async def run(
        self, work: Callable[[Session], T], *, write: bool = True, inline: bool = True
    ) -> T:
        """Run one unit of work: inline on SQLite, in a worker thread on PostgreSQL.

        On SQLite a unit runs in a worker thread too when it would block the event loop: when
        another connection holds the write lock (the unit then waits for it there), and when
        the caller knows it is long (``inline=False``: seeding, loading, reading a whole site).
        """
        if not self.is_sqlite or (not write and not inline):
            return await self._in_thread(lambda: self.run_sync(work, write=write))
        if not write:
            return self.run_sync(work, write=False)
        # SQLite takes one writer at a time. Writers of this process queue here, on the event
        # loop, so that at most one of them waits for another process's lock (in a thread):
        # thirty-two threads polling for the lock at once cost more than the writes.
        try:
            await asyncio.wait_for(self._writer().acquire(), LOCK_WAIT_SECONDS)
        except TimeoutError as error:
            raise DatabaseBusy() from error
        try:
            if inline:
                try:
                    return self.run_sync(work, may_wait=False)
                except LockBusy:
                    pass
            return await self._in_thread(lambda: self.run_sync(work))
        finally:
            self._writer().release()

    def _writer(self) -> asyncio.Lock:
        return self._write_lock.get()

    async def _in_thread(self, unit: Callable[[], T]) -> T:
        return await anyio.to_thread.run_sync(unit, limiter=self._threads.get())

    def start_checkpoints(self, interval: float = CHECKPOINT_SECONDS) -> None:
        """SQLite: checkpoint the WAL from a background thread, off the request path.

        Left to itself SQLite checkpoints inside whichever commit finds the WAL past 1,000
        pages, and that commit waits for the fsync (POST p99 was 0.8 s on one worker). Here a
        thread runs a PASSIVE checkpoint, which never blocks readers or writers, every
        ``interval`` seconds; server connections only checkpoint themselves past 10,000 pages.
        """
        if not self.is_sqlite or self._checkpointer is not None:
            return
        path = make_url(self.url).database
        if not path or path == ":memory:":
            return
        self._checkpointer = _Checkpointer(path, interval)
        self._checkpointer.start()

        def _autocheckpoint_late(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={SERVER_AUTOCHECKPOINT_PAGES}")

        event.listen(self.engine, "connect", _autocheckpoint_late)
        # Connections opened before now (a migration check, say) reopen with the setting.
        self.engine.dispose()

    def vacuum(self, tables: Sequence[str]) -> None:
        """PostgreSQL: ``VACUUM (ANALYZE)`` ``tables`` after a bulk load (``syllabus seed``).

        Until a table is vacuumed, an index-only scan still reads each row's page to see that
        it is visible: a course's 25,000 enrollments of a freshly seeded million took 63 ms to
        count instead of a few, until autovacuum came by. Outside any transaction, as VACUUM
        must be. SQLite has nothing to do.
        """
        if self.is_sqlite or not tables:
            return
        with self.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            names = ", ".join(connection.dialect.identifier_preparer.quote(t) for t in tables)
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {names}")

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.engine.dispose()


class _Checkpointer(threading.Thread):
    def __init__(self, path: str, interval: float) -> None:
        super().__init__(name="syllabus-wal-checkpoint", daemon=True)
        self.path = path
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.path, timeout=0, check_same_thread=False)
        try:
            while not self.stopping.wait(self.interval):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    continue
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
