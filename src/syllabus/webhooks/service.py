"""Webhook subscriptions through ``/api/v2/webhooks`` (FIDELITY §7.3).

A webhook is signed for by whoever created it (FIDELITY §7.2): an OAuth app's token keeps the
app (``app_id``: its client secret signs), anything else keeps the API key or token that
authenticated the request, sealed (``keys.py``). ``created_by`` and ``updated_by`` name the
writer as a string: the OAuth app's id, else the id of the API key or access token.

Thinkific's 422s map each field to one message, and call ``target_url`` ``url``. Duplicates
(the same topic and URL twice) are allowed, as nothing says Thinkific refuses them and clients
check the list before creating (FIDELITY §7.3). No Thinkific topic covers these writes: each
records an internal ``webhook.*`` event, the webhook with alphabetical keys.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from syllabus.auth import hash_secret
from syllabus.clock import clock
from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.errors import BadRequest, Unprocessable, found
from syllabus.events.recorder import read_recorded, record_read
from syllabus.events.topics import TOPICS
from syllabus.kit.schemas import public_id_row
from syllabus.kit.wire import JSONObject
from syllabus.models import Site, Webhook
from syllabus.models.base import stamp
from syllabus.site_scripts.service import source_host
from syllabus.webhooks.keys import seal
from syllabus.webhooks.repository import (
    WEBHOOK_PAYLOAD,
    WebhookRepository,
    cancel_pending_deliveries,
)
from syllabus.webhooks.schemas import MAX_URL_LENGTH, WebhookWrite

INVALID_TOPIC = "invalid format"
INVALID_URL = "is not valid"
# Hosts Thinkific will not deliver to (FIDELITY §7.2), refused with SYLLABUS_STRICT_WEBHOOK_URLS.
REFUSED_DOMAINS = ("localhost", "thinkific.com")


def refused_host(host: str) -> bool:
    """Whether strict mode refuses ``host``: a loopback or unspecified address, ``localhost``,
    or Thinkific's own domain (and their subdomains)."""
    host = host.rstrip(".").lower()
    if any(host == domain or host.endswith("." + domain) for domain in REFUSED_DOMAINS):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def valid_target(url: Any, *, strict: bool) -> bool:
    """Whether ``url`` may be a webhook's target: an absolute http(s) URL that fits the column;
    with ``strict``, as Thinkific wants it, https and not on a refused host."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        return False
    host = source_host(url)
    if host is None:
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (an out-of-range port raises)
    except ValueError:
        return False
    return not strict or (parts.scheme == "https" and not refused_host(host))


class WebhookService:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.webhooks = WebhookRepository(scope)

    def list(self, cursor: str | None, limit: int) -> JSONObject:
        """A page of ``limit`` webhooks in creation order, from the one ``cursor`` names (the
        previous page's ``next_page``), or from the first."""
        first = public_id_row(cursor) if cursor else 0
        if first is None:
            raise BadRequest("Parameter next is invalid.")
        items, following = self.webhooks.page_from(first, limit)
        page = {
            "has_next": following is not None,
            "next_page": "" if following is None else following["id"],
            "page_items": len(items),
            "total_items": self.webhooks.count(),
        }
        return {"items": items, "meta": {"page": page}}

    def read(self, public_id: str) -> JSONObject:
        row = public_id_row(public_id)
        body = None if row is None else self.webhooks.read(row)
        return found(body if body is not None and body["id"] == public_id else None)

    def create(self, data: WebhookWrite) -> JSONObject:
        self._check(data.topic, data.target_url)
        author = self._writer()
        app_id, sealed_key = self._signer()
        webhook = Webhook(
            topic=data.topic,
            target_url=data.target_url,
            status="active",
            created_by=author,
            updated_by=author,
            app_id=app_id,
            sealed_key=sealed_key,
        )
        self.webhooks.add(webhook)
        self.webhooks.flush()
        return read_recorded(
            self.scope, "webhook.created", self.webhooks, webhook.id, WEBHOOK_PAYLOAD
        )

    def update(self, public_id: str, data: WebhookWrite) -> JSONObject:
        """Change the topic or the target URL (a field left out keeps its value). The webhook
        stays signed for by its creator."""
        webhook = self._get(public_id)
        given = data.model_fields_set
        topic = data.topic if "topic" in given else webhook.topic
        target_url = data.target_url if "target_url" in given else webhook.target_url
        self._check(topic, target_url)
        webhook.topic, webhook.target_url = topic, target_url
        webhook.updated_by = self._writer()
        self.webhooks.touch(webhook)
        self.webhooks.flush()
        return read_recorded(
            self.scope, "webhook.updated", self.webhooks, webhook.id, WEBHOOK_PAYLOAD
        )

    def delete(self, public_id: str) -> None:
        """Delete the webhook; its deliveries still waiting are cancelled, never sent."""
        webhook = self._get(public_id)
        record_read(self.scope, "webhook.deleted", self.webhooks, webhook.id, WEBHOOK_PAYLOAD)
        self.webhooks.cancel_pending_deliveries(webhook.id)
        self.webhooks.delete(webhook)
        self.webhooks.flush()

    def _get(self, public_id: str) -> Webhook:
        row = public_id_row(public_id)
        webhook = None if row is None else self.webhooks.get(row)
        return found(webhook if webhook is not None and webhook.public_id == public_id else None)

    def _check(self, topic: Any, target_url: Any) -> None:
        errors: dict[str, str] = {}
        if not isinstance(topic, str) or topic not in TOPICS:
            errors["topic"] = INVALID_TOPIC
        if not valid_target(target_url, strict=self.scope.settings.strict_webhook_urls):
            errors["url"] = INVALID_URL
        if errors:
            raise Unprocessable(errors)

    def _app_id(self) -> int | None:
        caller = self.scope.caller
        return None if caller is None else caller.app_id

    def _secret(self) -> str:
        if self.scope.signing_secret is None:
            raise ValueError("webhooks are written by an authenticated API caller")
        return self.scope.signing_secret

    def _writer(self) -> str:
        """Who is writing, as ``created_by`` and ``updated_by`` say it."""
        app_id = self._app_id()
        if app_id is not None:
            return str(app_id)
        return str(found(self.webhooks.credential_id(hash_secret(self._secret()))))

    def _signer(self) -> tuple[int | None, str | None]:
        """What a new webhook keeps to sign with: the calling app, or else the sealed key."""
        app_id = self._app_id()
        if app_id is not None:
            return app_id, None
        return None, seal(self.scope.session, self.scope.settings, self._secret())


# --- subscriptions of Syllabus's own tools (`syllabus webhooks listen`), signed with a key of
# their own rather than a caller's, and recording no event (no API call made them) -------------


def subscribe_with_key(
    session: Session, settings: Settings, site: Site, topic: str, url: str, key: str, author: str
) -> Webhook:
    """An active subscription of ``topic`` to ``url`` whose deliveries ``key`` signs."""
    webhook = Webhook(
        topic=topic,
        target_url=url,
        status="active",
        created_by=author,
        updated_by=author,
        sealed_key=seal(session, settings, key),
    )
    stamp(webhook, site.id, clock.now(site.clock_offset_seconds))
    session.add(webhook)
    session.flush()
    return webhook


def unsubscribe(session: Session, site: Site, webhook_ids: list[int]) -> None:
    """Delete these subscriptions of ``site``; what they still had to send is cancelled."""
    for webhook_id in webhook_ids:
        cancel_pending_deliveries(session, site.id, webhook_id)
        webhook = session.get(Webhook, webhook_id)
        if webhook is not None and webhook.site_id == site.id:
            session.delete(webhook)
