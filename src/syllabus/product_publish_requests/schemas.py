from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from syllabus.kit.schemas import DbInt, LongText, RequestSchema, ResponseSchema, Timestamp
from syllabus.models.publish_request import PUBLISH_STATUSES

PublishStatus = Literal["pending", "approved", "denied"]
assert get_args(PublishStatus) == PUBLISH_STATUSES


class ProductPublishRequestRead(ResponseSchema):
    """The spec's ProductPublishRequest, with ``id`` first. (The spec's list schema names
    PromotionResponse for its items: a mistake, FIDELITY §9.2 #9; they are these.)"""

    id: int
    product_id: int
    status: PublishStatus
    response_text: str | None
    requesting_user_id: int | None
    responding_user_id: int | None
    completed_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp


class PublishRequestAnswer(RequestSchema):
    """The spec's ProductPublishRequestBody: who answers a request, approving or denying it."""

    user_id: DbInt = Field(description="The responding user: a site admin of the site.")
    response_text: LongText | None = Field(None, description="The approval or denial message.")
    notify_requester: bool = Field(
        False, description="Whether the requesting user should be told (stored; no email is sent)."
    )
