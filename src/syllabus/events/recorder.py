"""Record an event inside the caller's transaction: if the request rolls back, the event vanishes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from syllabus.events.topics import InternalTopic, Topic
from syllabus.models import Event

if TYPE_CHECKING:
    from syllabus.context import Scope


def record(scope: Scope, topic: Topic | InternalTopic, payload: dict[str, Any]) -> Event | None:
    """One event of ``topic``; ``payload`` is that topic's webhook payload (events/topics.py).

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
    return event
