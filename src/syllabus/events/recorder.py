"""Record an event inside the caller's transaction: if the request rolls back, the event vanishes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from syllabus.models import Event

if TYPE_CHECKING:
    from syllabus.context import Scope


def record(scope: Scope, resource: str, action: str, payload: dict[str, Any]) -> Event:
    event = Event(
        site_id=scope.site.id,
        resource=resource,
        action=action,
        payload=payload,
        created_at=scope.now,
    )
    scope.session.add(event)
    return event
