"""The registry of event topics: Thinkific's 25 webhook topics (FIDELITY §7.1), a closed type.

Every create, update and delete records its event in the write's transaction
(``events/recorder.py``), named by its topic ``resource.action``. Its payload is the webhook
payload of that topic (FIDELITY §7.2): what a subscriber would receive, stored as it will be
sent, so that delivery sends the stored payload unchanged.

A write that fires no Thinkific topic (deleting a user, a category, a coupon; changing an
enrollment's dates; an app reporting an external order) records an *internal* event
(``InternalTopic``): it is listed by the control plane (``internal: true``), but webhooks never
deliver it and the Events API does not serve it. Its payload follows the same convention: the
resource's API object with alphabetical keys, as it was (before a delete) or is (after a create
or an update), read through a payload ``Wire`` (``X.alphabetical()``). A bulk create records one
event per row.

Links: adding or removing a category's products changes the category (``collection.updated``,
its ``product_ids``); a group membership is a row of its own (``group_user.created`` for each
group named: its ``created_at``, ``group_id`` and ``user_id``); an analyst assignment has no
field but its two ids (``group_analyst.created`` or ``.deleted`` for each group and user,
``{"group_id": ..., "user_id": ...}``, with no row to read).

A write records the events of what it writes, not of what it changes in passing: coupons moved
into a promotion or used by an order, memberships deleted with their category or group, show in
that write's own payload (the promotion's ``coupon_ids``, the order's ``coupon``) rather than in
events of their own. Enrolling (a bundle, a checkout) records each enrollment's Thinkific topic.
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
InternalTopic = Literal[
    "user.deleted",
    "enrollment.updated",
    "external_order.created",
    "collection.created",
    "collection.updated",
    "collection.deleted",
    "promotion.created",
    "promotion.updated",
    "promotion.deleted",
    "coupon.created",
    "coupon.updated",
    "coupon.deleted",
    "group.created",
    "group.deleted",
    "group_user.created",
    "group_analyst.created",
    "group_analyst.deleted",
    "instructor.created",
    "instructor.updated",
    "instructor.deleted",
    "course_review.created",
    "site_script.created",
    "site_script.updated",
    "site_script.deleted",
    "product_publish_request.created",
    "product_publish_request.approved",
    "product_publish_request.denied",
    "webhook.created",
    "webhook.updated",
    "webhook.deleted",
]

TOPICS: frozenset[str] = frozenset(get_args(Topic))
INTERNAL_TOPICS: frozenset[str] = frozenset(get_args(InternalTopic))


def is_deliverable(topic: str) -> bool:
    """Whether webhooks deliver events of ``topic`` (and the Events API serves them)."""
    return topic in TOPICS
