"""Webhooks: https://developers.thinkific.com/api/webhooks-api/ (served at ``/api/v2``,
FIDELITY §1, although the spec names the Admin API's base)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.kit.routing import V2_PREFIX, ResourceRouter
from syllabus.pagination import PageParams
from syllabus.webhooks.schemas import WebhookPage, WebhookRead, WebhookWrite
from syllabus.webhooks.service import WebhookService

router = ResourceRouter(api=V2_PREFIX, prefix="/webhooks", tags=["Webhooks"])

WebhookId = Annotated[
    str, Path(description="The webhook's 23-digit string id; anything else is a 404.")
]


@router.get("", operation_id="getWebhooks", response_model=WebhookPage)
async def get_webhooks(
    api: ApiDep,
    cursor: Annotated[
        str | None,
        Query(
            alias="next",
            description="Where the page starts: the previous page's `meta.page.next_page`. "
            "Without it, the first page.",
        ),
    ] = None,
    limit: Annotated[
        str | None,
        Query(description="Items per page: default 25, at most 250 (larger values are clamped)."),
    ] = None,
) -> Response:
    """List webhooks, in the order they were created. Pages follow the `next` cursor; a `page`
    parameter is ignored."""
    size = PageParams.parse(None, limit).limit
    return await api.read(lambda scope: WebhookService(scope).list(cursor, size))


@router.post("", operation_id="createWebhook", status_code=201, response_model=WebhookRead)
async def create_webhook(api: ApiDep, body: WebhookWrite) -> Response:
    """Create a webhook. Its deliveries are signed with the API key or token that creates it,
    or with the OAuth app's client secret."""
    return await api.write(lambda scope: WebhookService(scope).create(body))


@router.get("/{id}", operation_id="getWebhookByID", response_model=WebhookRead)
async def get_webhook_by_id(api: ApiDep, id: WebhookId) -> Response:
    """Get a webhook by its string id."""
    return await api.read(lambda scope: WebhookService(scope).read(id))


@router.put("/{id}", operation_id="updateWebhookByID", response_model=WebhookRead)
async def update_webhook_by_id(api: ApiDep, id: WebhookId, body: WebhookWrite) -> Response:
    """Change a webhook's topic or target URL. Unlike the Admin API's updates, it answers 200
    with the webhook."""
    return await api.write(lambda scope: WebhookService(scope).update(id, body))


@router.delete("/{id}", operation_id="deleteWebhookByID", status_code=204)
async def delete_webhook_by_id(api: ApiDep, id: WebhookId) -> Response:
    """Delete a webhook; deliveries still waiting are cancelled. Once gone, it is a 404."""
    return await api.write(lambda scope: WebhookService(scope).delete(id))
