"""Webhook subscriptions (``/api/v2/webhooks``), and the delivery outbox with its log.

A write that records an event of a subscribed topic also adds one ``WebhookDelivery`` per active
subscription, in the same transaction: a committed event is delivered even if the process dies
at once (a delivery worker finds the row), and a rolled-back write leaves nothing to deliver.
Each try is a ``DeliveryAttempt``: the delivery log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import Id, SiteRecord, table_args
from syllabus.models.event import Event

WEBHOOK_STATUSES = ("active", "inactive")
# A delivery waits (``pending``), has been answered 2xx (``delivered``), has used every retry
# (``failed``), or lost its subscription before it could be sent (``cancelled``).
DELIVERY_STATUSES = ("pending", "delivered", "failed", "cancelled")


class Webhook(SiteRecord):
    """A subscription: ``topic`` events of the site are POSTed to ``target_url``.

    Its public id is a 23-digit string like an event's (``Event.public_id_of``). Deliveries are
    signed with the credential that created it (FIDELITY §7.2): the calling OAuth app's client
    secret (``app_id``), or else the API key or token itself, kept sealed (``webhooks/keys.py``)
    because credentials are otherwise stored only as digests.
    """

    __tablename__ = "webhooks"
    __table_args__ = table_args(
        Index("ix_webhooks_site_id_id", "site_id", "id"),
        Index("ix_webhooks_site_id_topic_status", "site_id", "topic", "status"),
    )

    topic: Mapped[str] = mapped_column(String(64))
    target_url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_by: Mapped[str] = mapped_column(String(64))
    updated_by: Mapped[str] = mapped_column(String(64))
    app_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=True
    )
    sealed_key: Mapped[str | None] = mapped_column(Text)

    @property
    def public_id(self) -> str:
        return Event.public_id_of(self.created_at, self.id)


class WebhookDelivery(SiteRecord):
    """One event to one subscription: sent until answered 2xx or out of retries.

    ``next_attempt_at`` is when it is next due (wall clock, UTC); a site's virtual clock moving
    forward brings its pending deliveries forward with it. ``claimed_until`` is a worker's
    lease while it sends: another worker skips the row until then, so an attempt is made once
    even with several workers, and a worker killed mid-send only delays the retry.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = table_args(
        Index("ix_webhook_deliveries_site_id_id", "site_id", "id"),
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_webhook_id", "webhook_id"),
        Index("ix_webhook_deliveries_event_id", "event_id"),
    )

    webhook_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("webhooks.id", ondelete="SET NULL"), nullable=True
    )
    event_id: Mapped[int] = mapped_column(Id, ForeignKey("events.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(64))
    target_url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    # Someone asked to send it again (a redeliver): one attempt, outside the retry schedule.
    manual: Mapped[bool] = mapped_column(Boolean, default=False)


class DeliveryAttempt(SiteRecord):
    """One POST of a delivery: what the receiver answered, and how fast."""

    __tablename__ = "webhook_delivery_attempts"
    __table_args__ = table_args(
        Index("ix_webhook_delivery_attempts_delivery_id_id", "delivery_id", "id")
    )

    delivery_id: Mapped[int] = mapped_column(
        Id, ForeignKey("webhook_deliveries.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    # The receiver's answer, cut short; or why there was none (timeout, refused connection).
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(500))
    # Sent because someone asked (a manual redeliver), not by the retry schedule.
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
