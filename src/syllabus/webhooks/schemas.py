"""The ``/api/v2/webhooks`` bodies (Thinkific's webhooks spec; FIDELITY §6.1, §6.2, §7.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, Field, WithJsonSchema

from syllabus.events.topics import TOPICS, Topic
from syllabus.kit.schemas import NanoTimestamp, RequestSchema, ResponseSchema
from syllabus.kit.wire import From
from syllabus.models import Event, Webhook
from syllabus.models.webhook import WEBHOOK_STATUSES

if TYPE_CHECKING:
    WebhookStatus: TypeAlias = str
else:
    WebhookStatus = Literal[WEBHOOK_STATUSES]

# The longest target URL a webhook keeps (its column).
MAX_URL_LENGTH = 2048


class WebhookRead(ResponseSchema):
    """The order of the spec's examples (its schema lists the fields in another). Ids are
    23-digit strings, like an event's; ``created_by`` and ``updated_by`` are strings (the
    examples, FIDELITY §6.1), although the spec's schema says number; timestamps are the v2
    form (``NanoTimestamp``), not the Admin API's milliseconds."""

    id: Annotated[str, From(Event.public_id_of, Webhook.created_at, Webhook.id)]
    status: WebhookStatus
    topic: Topic
    created_at: NanoTimestamp
    created_by: str = Field(
        description="Who created it: the OAuth app's id when an app's token did, else the id "
        "of the API key or access token that did."
    )
    updated_at: NanoTimestamp
    updated_by: str = Field(description="Who changed it last, as `created_by`.")
    target_url: str


class WebhookWrite(RequestSchema):
    """A create, or an update (a field left out of a PUT keeps its value). Any JSON value is
    taken here and judged by the service, because Thinkific's 422 names a bad ``target_url``
    ``url``, with one message per field: ``{"errors": {"url": "is not valid"}}``."""

    topic: Annotated[
        Any,
        WithJsonSchema(
            {
                "type": "string",
                "enum": sorted(TOPICS),
                "description": "One of Thinkific's 25 topics; anything else is a 422.",
            }
        ),
    ] = None
    target_url: Annotated[
        Any,
        WithJsonSchema(
            {
                "type": "string",
                "maxLength": MAX_URL_LENGTH,
                "description": "An absolute http(s) URL; https only, and no loopback host, "
                "with SYLLABUS_STRICT_WEBHOOK_URLS.",
            }
        ),
    ] = None


class CursorPage(BaseModel):
    """``meta.page`` of a v2 list: ``next_page`` is the ``next`` cursor of the following page,
    ``""`` after the last."""

    has_next: bool
    next_page: str
    page_items: int
    total_items: int


class CursorMeta(BaseModel):
    page: CursorPage


class WebhookPage(BaseModel):
    """The v2 list envelope (FIDELITY §3), not the Admin API's ``meta.pagination``."""

    items: list[WebhookRead]
    meta: CursorMeta
