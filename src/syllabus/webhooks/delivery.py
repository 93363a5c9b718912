"""Sending deliveries: claim due rows, POST each one signed, and log the attempt.

A delivery is POSTed as Thinkific does (FIDELITY §7.2): the envelope ``{id, resource, action,
tenant_id, created_at, payload}`` as JSON, with ``X-Thinkific-Topic``,
``X-Thinkific-Subdomain`` and ``X-Thinkific-Hmac-Sha256``, the lowercase hex HMAC-SHA256 of the
exact body bytes, keyed with the webhook's signing key (``keys.py``). Any 2xx is success; any
other answer, a timeout or a refused connection is retried on the schedule
(``SYLLABUS_WEBHOOK_RETRIES``) until it runs out (``failed``).

Claiming takes a lease (``claimed_until``) in a short transaction, with ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL (SQLite has one writer at a time): two workers never claim one row, so
an attempt is made once; a worker killed mid-send leaves a lease that runs out, and the
delivery is sent again (at least once).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

import httpx
import orjson
from cryptography.fernet import InvalidToken
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from syllabus.config import Settings
from syllabus.db import connection_of
from syllabus.kit.schemas import format_timestamp
from syllabus.models import DeliveryAttempt, Event, Site, Webhook, WebhookDelivery
from syllabus.models.base import stamp
from syllabus.webhooks.keys import signing_key

logger = logging.getLogger("syllabus.webhooks")

# How long a claim lasts: past any send (the timeout), so that a live worker's claim holds.
LEASE_MARGIN_SECONDS: Final = 30.0
# How much of a receiver's answer the log keeps.
EXCERPT_CHARACTERS: Final = 500
USER_AGENT: Final = "Syllabus-Webhooks/1.0 (Thinkific-compatible)"


def envelope(event: Event, site: Site) -> bytes:
    """The body of every delivery of ``event``: the same bytes on every attempt."""
    return orjson.dumps(
        {
            "id": event.public_id,
            "resource": event.resource,
            "action": event.action,
            "tenant_id": str(site.id),
            "created_at": format_timestamp(event.created_at),
            "payload": event.payload,
        }
    )


def sign(body: bytes, key: str) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Job:
    """A claimed delivery, with everything needed to send it outside any transaction."""

    delivery_id: int
    site_id: int
    number: int  # this attempt's number, from 1
    manual: bool
    url: str
    body: bytes
    headers: dict[str, str]
    claimed_until: datetime


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    excerpt: str | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _due(now: datetime, only: Collection[int] | None) -> Any:
    statement = select(WebhookDelivery).where(
        WebhookDelivery.status == "pending",
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until <= now),
    )
    if only is not None:
        statement = statement.where(WebhookDelivery.webhook_id.in_(list(only)))
    return statement


def any_due(session: Session, now: datetime, only: Collection[int] | None = None) -> bool:
    """A cheap read: is anything due? (Claiming takes SQLite's write lock; this does not.)"""
    statement = _due(now, only).with_only_columns(WebhookDelivery.id).limit(1)
    return session.execute(statement).first() is not None


def claim(
    session: Session,
    settings: Settings,
    now: datetime,
    limit: int,
    only: Collection[int] | None = None,
) -> list[Job]:
    """Lease up to ``limit`` due deliveries (of the webhooks ``only``, if given) to this worker."""
    statement = (
        _due(now, only)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    deliveries = list(session.scalars(statement))
    if not deliveries:
        return []
    # Their events, webhooks and sites in three statements, not three per delivery: what
    # `_job` then gets from the session's identity map (which holds them while `loaded` does).
    loaded = [
        _load(session, Event, {delivery.event_id for delivery in deliveries}),
        _load(session, Webhook, {d.webhook_id for d in deliveries if d.webhook_id is not None}),
        _load(session, Site, {delivery.site_id for delivery in deliveries}),
    ]
    lease = now + timedelta(seconds=settings.webhook_timeout + LEASE_MARGIN_SECONDS)
    jobs = []
    for delivery in deliveries:
        delivery.claimed_until = lease
        job = _job(session, settings, delivery, lease)
        if job is not None:
            jobs.append(job)
    del loaded
    return jobs


def _load(session: Session, model: Any, ids: set[int]) -> list[Any]:
    if not ids:
        return []
    return list(session.scalars(select(model).where(model.id.in_(sorted(ids)))))


def _end(delivery: WebhookDelivery, status: str) -> None:
    """Nothing more will be sent: ``status`` is final, and no worker holds the row."""
    delivery.status, delivery.next_attempt_at, delivery.claimed_until = status, None, None


def _job(
    session: Session, settings: Settings, delivery: WebhookDelivery, lease: datetime
) -> Job | None:
    webhook = None if delivery.webhook_id is None else session.get(Webhook, delivery.webhook_id)
    if webhook is None:  # its subscription is gone: nothing to sign with, nobody to tell
        _end(delivery, "cancelled")
        return None
    try:
        key = signing_key(session, settings, webhook)
    except (InvalidToken, ValueError) as error:  # sealed under another server key
        logger.warning("webhook delivery %s: cannot sign (%r); marked failed", delivery.id, error)
        _end(delivery, "failed")
        return None
    event = session.get_one(Event, delivery.event_id)
    site = session.get_one(Site, delivery.site_id)
    body = envelope(event, site)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Thinkific-Topic": delivery.topic,
        "X-Thinkific-Subdomain": site.subdomain,
        "X-Thinkific-Hmac-Sha256": sign(body, key),
    }
    return Job(
        delivery_id=delivery.id,
        site_id=delivery.site_id,
        number=delivery.attempts + 1,
        manual=delivery.manual,
        url=delivery.target_url,
        body=body,
        headers=headers,
        claimed_until=lease,
    )


async def send(client: httpx.AsyncClient, job: Job, wait_seconds: float) -> Outcome:
    """POST the job's body, waiting at most ``wait_seconds``; never raises for what the
    receiver does."""
    started = time.perf_counter()
    try:
        response = await client.post(
            job.url, content=job.body, headers=job.headers, timeout=wait_seconds
        )
    except httpx.TimeoutException:
        return Outcome(None, _ms(started), None, f"timed out after {wait_seconds:g} s")
    except httpx.HTTPError as error:
        return Outcome(None, _ms(started), None, f"{type(error).__name__}: {error}"[:500])
    excerpt = response.text[:EXCERPT_CHARACTERS]
    return Outcome(response.status_code, _ms(started), excerpt, None)


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


# Only if the claim is still ours and the row still pending: a delete that cancelled a
# delivery meanwhile keeps it cancelled.
_FINISHED = (
    update(WebhookDelivery)
    .where(
        WebhookDelivery.id == bindparam("delivery_id"),
        WebhookDelivery.status == "pending",
        WebhookDelivery.claimed_until == bindparam("claim"),
    )
    .values(
        attempts=bindparam("number"),
        status=bindparam("next_status"),
        next_attempt_at=bindparam("next_at"),
        claimed_until=None,
        manual=False,
        updated_at=bindparam("now"),
    )
)


def finish(
    session: Session, settings: Settings, results: list[tuple[Job, Outcome]], now: datetime
) -> None:
    """Log each attempt and decide what comes next: done, a retry on the schedule, or failed.
    A manual redelivery is one attempt, never retried. Two statements for the whole round."""
    retries = settings.webhook_retries
    attempts = []
    changes = []
    for job, outcome in results:
        attempt = DeliveryAttempt(
            delivery_id=job.delivery_id,
            number=job.number,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
            manual=job.manual,
        )
        stamp(attempt, job.site_id, now)
        attempts.append(attempt)
        status, next_at = "pending", None
        if outcome.succeeded:
            status = "delivered"
        elif job.manual or job.number > len(retries):
            status = "failed"
        else:
            next_at = now + timedelta(seconds=retries[job.number - 1])
        changes.append(
            {
                "delivery_id": job.delivery_id,
                "claim": job.claimed_until,
                "number": job.number,
                "next_status": status,
                "next_at": next_at,
                "now": now,
            }
        )
    session.add_all(attempts)
    session.flush()
    connection_of(session).execute(_FINISHED, changes)
