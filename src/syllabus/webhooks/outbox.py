"""The delivery outbox: an event of a subscribed topic becomes one ``WebhookDelivery`` per active
subscription, in the transaction that records the event (``events/recorder.py``).

So a committed event is delivered even if the process dies right after the commit (a worker
finds the row), and an event of a rolled-back write never is (its deliveries roll back with
it). The request pays one indexed lookup; the sending happens elsewhere (``worker.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

from syllabus.clock import clock
from syllabus.models import Event, Webhook, WebhookDelivery
from syllabus.models.base import stamp

if TYPE_CHECKING:
    from syllabus.context import Scope

# Set in a session's ``info`` when it adds deliveries: its commit wakes this process's workers.
ADDED: Final = "webhook_deliveries_added"

_SUBSCRIBERS = select(Webhook.id, Webhook.target_url).where(
    Webhook.site_id == bindparam("site_id"),
    Webhook.topic == bindparam("topic"),
    Webhook.status == "active",
)

# What runs after a commit that added deliveries (each process's delivery worker's wake-up).
_listeners: list[Callable[[], None]] = []


def fan_out(scope: Scope, recorded: Event, topic: str) -> None:
    """Queue ``recorded`` for every active subscription of ``topic`` on the event's site."""
    session = scope.session
    subscribers = session.execute(_SUBSCRIBERS, {"site_id": scope.site.id, "topic": topic}).all()
    if not subscribers:
        return
    session.flush([recorded])
    now = clock.now()  # the wall clock: workers compare it with theirs
    for webhook_id, target_url in subscribers:
        delivery = WebhookDelivery(
            webhook_id=webhook_id,
            event_id=recorded.id,
            topic=topic,
            target_url=target_url,
            status="pending",
            attempts=0,
            next_attempt_at=now,
        )
        stamp(delivery, scope.site.id, scope.now)
        session.add(delivery)
    wake_workers_after_commit(session)


def wake_workers_after_commit(session: Session) -> None:
    """Deliveries are due from this unit of work: its commit wakes this process's workers."""
    session.info[ADDED] = True


def on_new_deliveries(listener: Callable[[], None]) -> Callable[[], None]:
    """Call ``listener`` after each commit that added deliveries; returns its removal."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(ADDED, False):
        for listener in list(_listeners):
            listener()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(ADDED, None)


def follow_site_clock(session: Session, site_id: int, moved_seconds: float) -> None:
    """The site's virtual clock moved forward by ``moved_seconds``: its pending deliveries
    come due that much sooner, so that a test advancing the clock sees its retries. (Moving
    the clock back delays nothing.)"""
    if moved_seconds <= 0:
        return
    pending = session.scalars(
        select(WebhookDelivery).where(
            WebhookDelivery.site_id == site_id,
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at.is_not(None),
        )
    )
    for delivery in pending:
        assert delivery.next_attempt_at is not None
        delivery.next_attempt_at -= timedelta(seconds=moved_seconds)
    wake_workers_after_commit(session)  # what is due now goes at once
