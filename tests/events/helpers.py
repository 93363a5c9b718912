"""The events a site's writes recorded, and what a payload is expected to be."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from syllabus.models import Event
from tests.support import SiteClient

Recorded = tuple[str, dict[str, Any]]


def recorded(site: SiteClient) -> list[Recorded]:
    """Every event the site recorded, oldest first, as ``(topic, payload)``."""
    statement = (
        select(Event.resource, Event.action, Event.payload)
        .where(Event.site_id == site.id)
        .order_by(Event.id)
    )
    return site.db(
        lambda s: [
            (f"{resource}.{action}", payload) for resource, action, payload in s.execute(statement)
        ]
    )


def recorded_events(site: SiteClient) -> list[tuple[str, str, dict[str, Any]]]:
    """``recorded``, each topic split into its resource and action."""
    events = []
    for topic, payload in recorded(site):
        resource, _, action = topic.partition(".")
        events.append((resource, action, payload))
    return events


def alphabetical(body: dict[str, Any]) -> dict[str, Any]:
    """An API body as a webhook payload carries it: the same keys and values, alphabetically."""
    return dict(sorted(body.items()))


def assert_recorded(site: SiteClient, *expected: Recorded) -> None:
    """The site recorded exactly these events, in this order, with these payloads in this key
    order (alphabetical, the payload convention)."""
    events = recorded(site)
    assert events == list(expected)
    assert [list(payload) for _, payload in events] == [sorted(payload) for _, payload in expected]


def topics(site: SiteClient) -> list[str]:
    """The topics of every event the site recorded, oldest first."""
    return [topic for topic, _ in recorded(site)]
