"""Record an event inside the caller's transaction: if the request rolls back, the event vanishes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from syllabus.errors import found
from syllabus.events.topics import InternalTopic, Topic, is_deliverable
from syllabus.models import Event
from syllabus.webhooks.outbox import fan_out

if TYPE_CHECKING:
    from syllabus.context import Scope
    from syllabus.kit.repository import Repository
    from syllabus.kit.wire import JSONObject, Wire


def record(scope: Scope, topic: Topic | InternalTopic, payload: dict[str, Any]) -> Event | None:
    """One event of ``topic``; ``payload`` is that topic's webhook payload (events/topics.py),
    queued for delivery to the site's subscriptions of ``topic`` (webhooks/outbox.py).

    A quiet unit of work (seeding) records nothing."""
    if scope.quiet:
        return None
    resource, _, action = topic.partition(".")
    event = Event(
        site_id=scope.site.id,
        resource=resource,
        action=action,
        payload=payload,
        created_at=scope.now,
    )
    scope.session.add(event)
    if is_deliverable(topic):
        fan_out(scope, event, topic)
    return event


def record_read(
    scope: Scope, topic: Topic | InternalTopic, repository: Repository[Any], id: int, wire: Wire
) -> None:
    """Record ``topic`` with row ``id`` rendered through its payload ``wire``: after a create or
    an update is flushed (the row as it is), or before a delete (the row as it was)."""
    if not scope.quiet:
        record(scope, topic, found(repository.read(id, wire)))


def read_recorded(
    scope: Scope, topic: Topic | InternalTopic, repository: Repository[Any], id: int, wire: Wire
) -> JSONObject:
    """``record_read``, and row ``id``'s body (the repository's own wire) from the same fetch:
    what a create answers. ``wire`` is that wire's ``alphabetical()``, which shares its
    statement."""
    if scope.quiet:
        return found(repository.read(id))
    body, payload = found(repository.read_as(id, repository.wire, wire))
    record(scope, topic, payload)
    return body
