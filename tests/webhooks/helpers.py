"""Calling /api/v2 as a site, webhooks made straight in the database, and the v2 wire written
out from Thinkific's webhooks spec rather than taken from the server."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select

from syllabus.models import Credential, Webhook
from tests.openapi_validator import assert_matches_openapi
from tests.support import SiteClient

V2 = "/api/v2"
# The order of the spec's examples.
WEBHOOK_KEYS = [
    "id",
    "status",
    "topic",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "target_url",
]
INVALID_TOPIC = {"errors": {"topic": "invalid format"}}
INVALID_URL = {"errors": {"url": "is not valid"}}
TARGET = "https://receiver.example.com/hooks"


def v2(
    site: SiteClient,
    method: str,
    path: str,
    *,
    credentials: dict[str, str] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """``site.request`` for /api/v2: the site's API-key headers (or ``credentials``), and the
    answer checked against our OpenAPI."""
    headers = {
        **(site.headers if credentials is None else credentials),
        **kwargs.pop("headers", {}),
    }
    response = site.http.request(method, V2 + path, headers=headers, **kwargs)
    if response.status_code != 500:
        openapi = site.http.app.openapi()  # type: ignore[attr-defined]
        assert_matches_openapi(openapi, method, V2 + path, response)
    return response


def public_id(created_at: datetime, row_id: int) -> str:
    """Thinkific's 23-digit id: the creation second and nine digits of the row id."""
    return f"{created_at:%Y%m%d%H%M%S}{row_id:09d}"


def nano(moment: datetime) -> str:
    """RFC 3339 as Go's RFC3339Nano prints it, in UTC: no trailing zeros in the fraction."""
    text = moment.isoformat(timespec="microseconds").removesuffix("+00:00")
    return re.sub(r"\.?0+$", "", text) + "Z"


def webhook_row(site: SiteClient, id: str) -> Webhook:
    """The webhook whose public id is ``id`` (found by its row id, the last nine digits)."""
    return site.db(lambda s: s.get_one(Webhook, int(id[14:])))


def webhook_count(site: SiteClient) -> int:
    return len(
        site.db(lambda s: s.scalars(select(Webhook.id).where(Webhook.site_id == site.id)).all())
    )


def credential_id(site: SiteClient, secret: str) -> str:
    """The id of the site's credential ``secret``, as ``created_by`` names it."""
    digest = hashlib.sha256(secret.encode()).hexdigest()
    statement = select(Credential.id).where(Credential.token_hash == digest)
    return str(site.db(lambda s: s.scalars(statement).one()))


def expected_webhook(
    row: Webhook, topic: str, target_url: str, created_by: str, updated_by: str | None = None
) -> dict[str, Any]:
    """The body Thinkific's spec shows for a webhook of ``topic`` to ``target_url``; its id and
    timestamps are ``row``'s (the server's clock), the rest is what the test expects."""
    return {
        "id": public_id(row.created_at, row.id),
        "status": "active",
        "topic": topic,
        "created_at": nano(row.created_at),
        "created_by": created_by,
        "updated_at": nano(row.updated_at),
        "updated_by": updated_by or created_by,
        "target_url": target_url,
    }
