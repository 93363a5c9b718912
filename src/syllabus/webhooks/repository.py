from __future__ import annotations

from sqlalchemy import Integer, bindparam, func, select, update
from sqlalchemy.orm import Session

from syllabus.db import connection_of
from syllabus.kit.repository import Repository
from syllabus.kit.wire import JSONObject, Wire
from syllabus.models import Credential, Webhook, WebhookDelivery
from syllabus.webhooks.schemas import WebhookRead

WEBHOOK = Wire(WebhookRead, Webhook)
# webhook.created, .updated and .deleted: internal topics (``id`` is the public id).
WEBHOOK_PAYLOAD = WEBHOOK.alphabetical()

_COUNT = select(func.count()).select_from(Webhook).where(Webhook.site_id == bindparam("site_id"))
# A cursor page: the site's webhooks from row ``:first`` on, one more than the page holds (so
# that the next page's first one is known).
_FROM = (
    WEBHOOK.select.where(Webhook.site_id == bindparam("site_id"), Webhook.id >= bindparam("first"))
    .order_by(Webhook.id)
    .limit(bindparam("limit", type_=Integer))
)
_CREDENTIAL_ID = select(Credential.id).where(
    Credential.site_id == bindparam("site_id"), Credential.token_hash == bindparam("digest")
)
# A deleted subscription's deliveries that were still waiting are never sent.
_CANCEL_PENDING = (
    update(WebhookDelivery)
    .where(
        # Not named after the columns: an UPDATE reserves those names for its SET clause.
        WebhookDelivery.site_id == bindparam("site"),
        WebhookDelivery.webhook_id == bindparam("webhook"),
        WebhookDelivery.status == "pending",
    )
    .values(status="cancelled", next_attempt_at=None)
)


class WebhookRepository(Repository[Webhook]):
    model = Webhook
    wire = WEBHOOK

    def count(self) -> int:
        total: int = self.value(_COUNT)
        return total

    def page_from(self, first: int, limit: int) -> tuple[list[JSONObject], JSONObject | None]:
        """Up to ``limit`` bodies from row ``first`` on, in id order, and the body after them
        (None after the last)."""
        values = {"site_id": self.site_id, "first": first, "limit": limit + 1}
        rows = self.scope.connection.execute(_FROM, values).all()
        bodies = [WEBHOOK.render(row, self.scope, ()) for row in rows]
        return bodies[:limit], (bodies[limit] if len(bodies) > limit else None)

    def credential_id(self, digest: str) -> int | None:
        """The id of the site's credential whose secret has SHA-256 ``digest``."""
        found: int | None = self.value(_CREDENTIAL_ID, digest=digest)
        return found

    def cancel_pending_deliveries(self, webhook_id: int) -> None:
        cancel_pending_deliveries(self.session, self.site_id, webhook_id)


def cancel_pending_deliveries(session: Session, site_id: int, webhook_id: int) -> None:
    """The webhook's deliveries still waiting are never sent."""
    values = {"site": site_id, "webhook": webhook_id}
    connection_of(session).execute(_CANCEL_PENDING, values)
