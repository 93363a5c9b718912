"""The registry of event topics: Thinkific's 25 webhook topics (FIDELITY §7.1), a closed type.

Every write records one event (``events/recorder.py``), named by its topic ``resource.action``.
Its payload is the webhook payload of that topic (FIDELITY §7.2): what a subscriber would receive,
stored as it will be sent, so that delivery sends the stored payload unchanged.

A write that fires no Thinkific topic (deleting a user, changing an enrollment's dates, an app
reporting an external order) records an *internal* event: it is listed by the control plane (``internal: true``), but webhooks never
deliver it and the Events API does not serve it. Its payload follows the same convention: the
resource's webhook payload as it was (before a delete) or is (after an update).
"""

from __future__ import annotations

from typing import Literal, get_args

Topic = Literal[
    "lead.created",
    "order.created",
    "order_transaction.succeeded",
    "order_transaction.failed",
    "order_transaction.refunded",
    "subscription.cancelled",
    "subscription.past_due",
    "subscription.unpaid",
    "user.signup",
    "user.signin",
    "user.updated",
    "enrollment.trial",
    "enrollment.created",
    "enrollment.completed",
    "enrollment.progress",
    "course.created",
    "course.deleted",
    "course.updated",
    "lesson.completed",
    "quiz.attempted",
    "app.uninstalled",
    "product.created",
    "product.deleted",
    "product.updated",
    "plan.updated",
]
InternalTopic = Literal["user.deleted", "enrollment.updated", "external_order.created"]

TOPICS: frozenset[str] = frozenset(get_args(Topic))
INTERNAL_TOPICS: frozenset[str] = frozenset(get_args(InternalTopic))


def is_deliverable(topic: str) -> bool:
    """Whether webhooks deliver events of ``topic`` (and the Events API serves them)."""
    return topic in TOPICS
