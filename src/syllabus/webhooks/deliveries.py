"""The delivery log: each delivery of a site with every attempt (the control plane's
``/deliveries`` and ``syllabus webhooks deliveries``), and a redeliver. Each function is one
step of the caller's unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.clock import clock
from syllabus.db import connection_of
from syllabus.errors import RecordNotFound, Unprocessable, found
from syllabus.kit.filters import Filters, FilterSet, IntFilter, TextFilter
from syllabus.kit.schemas import INT64_MAX, ResponseSchema, Timestamp
from syllabus.kit.wire import Children, From, JSONObject, Wire
from syllabus.models import DeliveryAttempt, Event, Webhook, WebhookDelivery
from syllabus.pagination import PageParams
from syllabus.sites.service import find_site
from syllabus.webhooks.outbox import wake_workers_after_commit


class AttemptRead(ResponseSchema):
    number: int
    attempted_at: Annotated[Timestamp, From(DeliveryAttempt.created_at)]
    status_code: int | None = Field(description="The receiver's status; null: no answer.")
    latency_ms: int
    response_excerpt: str | None = Field(description="The start of the receiver's answer.")
    error: str | None = Field(description="Why there was no answer (a timeout, a refusal).")
    manual: bool = Field(description="Sent by a redeliver rather than the retry schedule.")


def _public_id(created_at: datetime | None, id: int | None) -> str | None:
    return None if created_at is None or id is None else Event.public_id_of(created_at, id)


_WEBHOOK_CREATED = (
    select(Webhook.created_at)
    .where(Webhook.id == WebhookDelivery.webhook_id)
    .correlate(WebhookDelivery)
    .scalar_subquery()
    .label("webhook_created_at")
)


class DeliveryRead(ResponseSchema):
    id: int
    event_id: Annotated[str, From(Event.public_id_of, Event.created_at, Event.id)]
    webhook_id: Annotated[
        str | None,
        From(_public_id, _WEBHOOK_CREATED, WebhookDelivery.webhook_id),
        Field(description="The subscription's id; null once it is deleted."),
    ]
    topic: str
    target_url: str
    status: str = Field(description="pending, delivered, failed (out of retries) or cancelled.")
    attempts: int
    next_attempt_at: Annotated[
        Timestamp | None, Field(description="When it is next sent (the wall clock); null: never.")
    ]
    created_at: Timestamp
    log: Annotated[list[AttemptRead], Field(description="Every attempt, oldest first.")]


ATTEMPT = Wire(AttemptRead, DeliveryAttempt, order_by=(DeliveryAttempt.number,))
DELIVERY = Wire(
    DeliveryRead,
    WebhookDelivery,
    joins=((Event, Event.id == WebhookDelivery.event_id),),
    children={"log": Children.of(ATTEMPT, DeliveryAttempt.delivery_id)},
)
DELIVERY_FILTERS = FilterSet(
    TextFilter("status", WebhookDelivery.status, "pending, delivered, failed or cancelled."),
    TextFilter("topic", WebhookDelivery.topic, "Deliveries of this topic."),
    IntFilter("id", WebhookDelivery.id, "The delivery with this id."),
)


def _site_id(session: Session, subdomain: str) -> int:
    return found(find_site(session, subdomain)).id


def list_deliveries(
    session: Session, subdomain: str, filters: Filters, params: PageParams
) -> JSONObject:
    criteria = filters.criteria(clock.now())
    values = {"site_id": _site_id(session, subdomain)}
    return DELIVERY.page(connection_of(session), criteria, params, values, None)


NOT_REDELIVERABLE = "its webhook was deleted: there is nothing to sign it with or send it to"


def redeliver(session: Session, subdomain: str, delivery_id: int) -> JSONObject:
    """Send a delivery once more, now, whatever its state: one attempt, outside the schedule."""
    site_id = _site_id(session, subdomain)
    delivery = session.get(WebhookDelivery, delivery_id) if 0 < delivery_id <= INT64_MAX else None
    if delivery is None or delivery.site_id != site_id:
        raise RecordNotFound()
    if delivery.webhook_id is None:
        raise Unprocessable({"base": [NOT_REDELIVERABLE]})
    now = clock.now()
    delivery.status, delivery.next_attempt_at, delivery.manual = "pending", now, True
    delivery.claimed_until = None
    delivery.updated_at = now
    wake_workers_after_commit(session)
    session.flush()
    return found(
        DELIVERY.read(connection_of(session), {"id": delivery.id, "site_id": site_id}, None)
    )[0]
