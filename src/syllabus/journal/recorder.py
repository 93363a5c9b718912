"""``JournalRecorder``: the journal's entries on their way to the database, off the request path.

A request only appends its exchange to ``pending`` (``middleware.py``): no statement runs inside
it. A background task started with the app (``start``, from the lifespan) writes what is pending
every ``FLUSH_SECONDS``, in units of work of ``CHUNK`` entries (inline on SQLite, the event loop
free between them): the bodies are cut (and requests redacted) then, a unit's entries go in one
batched INSERT, and each site it touched keeps only its newest ``SYLLABUS_JOURNAL_SIZE``
entries. Of a round, only each site's newest ``SYLLABUS_JOURNAL_SIZE`` are written at all: the
older ones would be trimmed as soon as written, and under load writing them was most of what
the journal cost (a site answering 3,000 requests a second keeps a third of them).
``flush()`` writes what is pending at once: the control plane's read calls it first, so a
single process always lists every request it answered. Another process's entries appear
within its ``FLUSH_SECONDS``.

A site being reset or deleted is *held* (``hold``) while that request runs: its entries stay
pending, and once the reset has committed the ones recorded before it are dropped
(``discard``), so that a reset journal starts empty even if a round fell during the reset.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, deque
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from syllabus.config import Settings
from syllabus.db import Database, PerLoop
from syllabus.journal import repository
from syllabus.journal.redact import clean, excerpt, redact

if TYPE_CHECKING:
    from syllabus.journal.middleware import Exchange

logger = logging.getLogger("syllabus.journal")

FLUSH_SECONDS: Final = 1.0
# Entries written per unit of work: the event loop waits for one unit, a few milliseconds.
CHUNK: Final = 100
# Beyond this many pending entries (the database away for a while), the oldest are dropped.
MAX_PENDING: Final = 100_000
PATH_LENGTH: Final = 2048


class JournalRecorder:
    """The journal of one app: ``record`` (in a request), ``flush`` (anywhere), ``start`` and
    ``stop`` (the lifespan)."""

    def __init__(self, database: Database, settings: Settings) -> None:
        # An engine of its own: the journal's statements stay out of the requests' pool, and
        # out of what watches their statements (SQL logs, a test counting a request's queries).
        self.database = Database(database.url, sqlite_synchronous=database.sqlite_synchronous)
        self.size = settings.journal_size
        self.body_bytes = settings.journal_body_bytes
        self.pending: deque[Exchange] = deque(maxlen=MAX_PENDING)
        self._held: Counter[str] = Counter()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._lock = PerLoop(asyncio.Lock)

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(self, exchange: Exchange) -> None:
        self.pending.append(exchange)

    def hold(self, subdomain: str) -> None:
        self._held[subdomain] += 1

    def release(self, subdomain: str) -> None:
        self._held[subdomain] -= 1
        if self._held[subdomain] <= 0:
            del self._held[subdomain]

    def discard(self, subdomain: str) -> None:
        """Drop the site's pending entries (it was reset or deleted)."""
        self.pending = deque(
            (exchange for exchange in self.pending if exchange.subdomain != subdomain),
            maxlen=MAX_PENDING,
        )

    def start(self) -> None:
        if self.enabled and self._task is None:
            self._stopping = False
            loop = asyncio.get_running_loop()
            self._task = loop.create_task(self._run(), name="request-journal")

    async def stop(self) -> None:
        """End the background task, write what is still pending, close the connections."""
        task, self._task = self._task, None
        if task is not None:
            # The flag as well as the cancel: asyncio.wait_for (in Database.run) can swallow a
            # cancel that lands as the lock it waits for is granted (Python 3.11).
            self._stopping = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.flush()
        self.database.dispose()

    async def _run(self) -> None:
        while not self._stopping:
            await asyncio.sleep(FLUSH_SECONDS)
            if self.pending:
                await self.flush()

    async def flush(self) -> None:
        """Write every entry pending now (but a held site's); return once they are written.
        A batch the database refuses is logged and dropped: the journal never fails a request."""
        async with self._lock.get():
            exchanges = self._newest(self._take())
            for start in range(0, len(exchanges), CHUNK):
                if start:
                    await asyncio.sleep(0)  # the requests waiting meanwhile go first
                await self._write(exchanges[start : start + CHUNK])

    async def _write(self, exchanges: list[Exchange]) -> None:
        def write(session: Session) -> None:
            rows = [self._row(exchange) for exchange in exchanges]
            repository.append(session, rows, self.size)

        for attempt in (1, 2):
            try:
                # On SQLite on the event loop, as any write: a unit of a few hundred entries
                # takes a few milliseconds there, where a worker thread made the loop hand the
                # GIL back and forth, and the journal cost 60% more CPU per request.
                await self.database.run(write)
                return
            except IntegrityError:
                # Another process deleted a site between the check and the insert: the second
                # attempt leaves it out.
                if attempt == 2:
                    logger.exception("request journal: %d entries dropped", len(exchanges))
            except Exception:
                logger.exception("request journal: %d entries dropped", len(exchanges))
                return

    def _newest(self, exchanges: list[Exchange]) -> list[Exchange]:
        """Each site's newest ``size`` of ``exchanges`` (in their order): what the database would
        keep of them."""
        counts = Counter(exchange.site_id for exchange in exchanges)
        extra = {site: count - self.size for site, count in counts.items() if count > self.size}
        if not extra:
            return exchanges
        kept = []
        for exchange in exchanges:
            if extra.get(exchange.site_id, 0) > 0:
                extra[exchange.site_id] -= 1
                continue
            kept.append(exchange)
        return kept

    def _take(self) -> list[Exchange]:
        if not self._held:
            taken = list(self.pending)
            self.pending.clear()
            return taken
        taken = []
        kept: deque[Exchange] = deque(maxlen=MAX_PENDING)
        for exchange in self.pending:
            (kept if exchange.subdomain in self._held else taken).append(exchange)
        self.pending = kept
        return taken

    def _row(self, exchange: Exchange) -> dict[str, Any]:
        request_body, request_truncated = excerpt(
            exchange.request, exchange.request_size, self.body_bytes
        )
        response_body, response_truncated = excerpt(
            exchange.response, exchange.response_size, self.body_bytes, secrets=False
        )
        return {
            "site_id": exchange.site_id,
            "created_at": datetime.fromtimestamp(exchange.answered_at, UTC),
            "api": exchange.api,
            "method": exchange.method[:16],
            "path": clean(exchange.path[:PATH_LENGTH]),
            "query": clean(redact(exchange.query.decode("utf-8", "replace"))),
            "status": exchange.status,
            "latency_ms": round(exchange.latency_ms, 3),
            "credential": exchange.credential,
            "fault": exchange.fault,
            "request_body": request_body,
            "request_truncated": request_truncated,
            "response_body": response_body,
            "response_truncated": response_truncated,
        }
