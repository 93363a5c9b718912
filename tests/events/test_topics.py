"""The topic registry: Thinkific's 25 webhook topics, and the internal topics our writes use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import String

import syllabus
from syllabus.events import topics
from syllabus.events.topics import INTERNAL_TOPICS, TOPICS, is_deliverable
from syllabus.models import Event

SOURCE = Path(syllabus.__file__).parent
TESTS = Path(__file__).parents[1]
# FIDELITY §7.1: Thinkific's topics by resource, as its webhook documentation groups them.
ACTIONS = {
    "lead": ["created"],
    "order": ["created"],
    "order_transaction": ["succeeded", "failed", "refunded"],
    "subscription": ["cancelled", "past_due", "unpaid"],
    "user": ["signup", "signin", "updated"],
    "enrollment": ["trial", "created", "completed", "progress"],
    "course": ["created", "deleted", "updated"],
    "lesson": ["completed"],
    "quiz": ["attempted"],
    "app": ["uninstalled"],
    "product": ["created", "deleted", "updated"],
    "plan": ["updated"],
}
THINKIFIC = {f"{resource}.{action}" for resource, actions in ACTIONS.items() for action in actions}


def _texts(root: Path, *, leaving_out: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for path in root.rglob("*.py") if path != leaving_out
    )


def test_thinkifics_topics_are_exactly_its_25() -> None:
    assert TOPICS == THINKIFIC
    assert len(THINKIFIC) == 25


def test_internal_topics_are_never_delivered() -> None:
    assert not INTERNAL_TOPICS & TOPICS
    assert not any(is_deliverable(topic) for topic in INTERNAL_TOPICS)


@pytest.mark.parametrize("topic", sorted(TOPICS | INTERNAL_TOPICS))
def test_a_topic_is_a_singular_resource_and_an_action_that_fit_the_outbox(topic: str) -> None:
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*", topic)
    for part, column in zip(topic.split("."), (Event.resource, Event.action), strict=True):
        assert isinstance(column.type, String)
        assert column.type.length is not None
        assert len(part) <= column.type.length


@pytest.mark.parametrize("topic", sorted(INTERNAL_TOPICS))
def test_every_internal_topic_is_recorded_by_some_write(topic: str) -> None:
    """A listed topic no write records is a dead name; each one is named in src/ beyond the
    registry (a write records it)."""
    assert f'"{topic}"' in _texts(SOURCE, leaving_out=Path(topics.__file__))


@pytest.mark.parametrize("topic", sorted(INTERNAL_TOPICS))
def test_every_internal_topic_is_asserted_by_some_test(topic: str) -> None:
    """Some test expects an event of the topic: ``"resource.action"``, or the two apart."""
    resource, action = topic.split(".")
    named = rf'"{re.escape(topic)}"|"{resource}",\s*"{action}"'
    assert re.search(named, _texts(TESTS, leaving_out=Path(__file__)))
