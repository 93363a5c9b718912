"""The delivery worker: a loop that sends due deliveries, in ``syllabus serve`` (by default) or
alone (``syllabus worker``). Any number of them may run against one database.

It looks for due rows with a cheap read every ``poll`` seconds, and at once when a commit in its
own process added deliveries (``outbox.on_new_deliveries``), so that a delivery usually leaves
within milliseconds of the write that caused it. Claims, sends (several at once) and logs are
``delivery.py``'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy.orm import Session

from syllabus.clock import clock
from syllabus.config import Settings
from syllabus.db import Database
from syllabus.webhooks import delivery
from syllabus.webhooks.outbox import on_new_deliveries

logger = logging.getLogger("syllabus.webhooks")

POLL_SECONDS: Final = 0.25
# Deliveries claimed, and sent at once, per round.
BATCH: Final = 16
# How long a round woken by a commit waits for more: a delivery leaves at most this much later.
GATHER_SECONDS: Final = 0.02


def _nothing() -> None:
    pass


def shown(url: str) -> str:
    """``url`` as the log shows it: without its user info and query string, where a receiver's
    credentials travel (``https://user:password@host/hook?token=...``)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


class DeliveryWorker:
    """``start()`` in a running event loop, ``await stop()`` to end. ``only``: deliver only
    these webhooks' deliveries (``syllabus webhooks listen`` delivers its own)."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        poll: float = POLL_SECONDS,
        only: Collection[int] | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.poll = poll
        self.only = only
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._unsubscribe: Callable[[], None] = _nothing

    def start(self) -> None:
        loop = asyncio.get_running_loop()

        def wake() -> None:  # called after a commit, on whichever thread committed
            loop.call_soon_threadsafe(self._wake.set)

        self._unsubscribe = on_new_deliveries(wake)
        self._stopping = False
        self._task = loop.create_task(self._run(), name="webhook-deliveries")

    async def stop(self) -> None:
        self._unsubscribe()
        if self._task is not None:
            # The flag as well as the cancel: on Python 3.11 ``asyncio.wait_for`` swallows a
            # cancel that lands as the event it waits for is set, and the loop would go on.
            self._stopping = True
            self._wake.set()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        async with httpx.AsyncClient(follow_redirects=False) as client:
            while not self._stopping:
                try:
                    sent = await self.deliver_due(client)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a database hiccup must not end deliveries for good
                    logger.exception("webhook deliveries: a round failed; retrying in a second")
                    await asyncio.sleep(1.0)
                    continue
                if sent < BATCH:  # a full batch: there may be more, go on at once
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.poll)
                    if self._wake.is_set():
                        # Woken by a commit: let the writes of the next moments join this
                        # round, so that a busy server sends batches, not one round per write.
                        await asyncio.sleep(GATHER_SECONDS)

    async def deliver_due(self, client: httpx.AsyncClient) -> int:
        """One round: claim what is due, send it, log it. Returns how many were sent."""
        now = clock.now()
        due = await self.database.run(
            lambda session: delivery.any_due(session, now, self.only), write=False
        )
        if not due:
            return 0
        jobs = await self.database.run(
            lambda session: delivery.claim(session, self.settings, now, BATCH, self.only)
        )
        if not jobs:
            return 0
        timeout = self.settings.webhook_timeout
        outcomes = await asyncio.gather(*(delivery.send(client, job, timeout) for job in jobs))
        finished = clock.now()

        results = list(zip(jobs, outcomes, strict=True))

        def log(session: Session) -> None:
            delivery.finish(session, self.settings, results, finished)
            for job, outcome in results:
                logger.info(
                    "webhook delivery %s (%s) to %s: %s in %d ms",
                    job.delivery_id,
                    job.headers["X-Thinkific-Topic"],
                    shown(job.url),
                    outcome.status_code or outcome.error,
                    outcome.latency_ms,
                )

        await self.database.run(log)
        return len(jobs)
