from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import CursorResult, bindparam, select, update

from syllabus.kit.repository import Repository, fits
from syllabus.kit.wire import Wire
from syllabus.models import ProductPublishRequest
from syllabus.product_publish_requests.schemas import ProductPublishRequestRead

PRODUCT_PUBLISH_REQUEST = Wire(ProductPublishRequestRead, ProductPublishRequest)
# product_publish_request.created, .approved and .denied: internal topics.
PRODUCT_PUBLISH_REQUEST_PAYLOAD = PRODUCT_PUBLISH_REQUEST.alphabetical()

_STATE = select(ProductPublishRequest.status, ProductPublishRequest.product_id).where(
    ProductPublishRequest.site_id == bindparam("site_id"),
    ProductPublishRequest.id == bindparam("id"),
)
# Answering is one conditional UPDATE of a pending request: of two concurrent answers, one
# finds it pending (PostgreSQL re-checks the condition on the row it locks); the other changes
# nothing. (An UPDATE reserves its columns' names for SET values: hence these names.)
_ANSWER = (
    update(ProductPublishRequest)
    .where(
        ProductPublishRequest.site_id == bindparam("request_site_id"),
        ProductPublishRequest.id == bindparam("request_id"),
        ProductPublishRequest.status == "pending",
    )
    .values(
        status=bindparam("answer"),
        responding_user_id=bindparam("responder"),
        response_text=bindparam("text"),
        notify_requester=bindparam("notify"),
        completed_at=bindparam("now"),
        updated_at=bindparam("now"),
    )
    .execution_options(synchronize_session=False)
)


class RequestState(NamedTuple):
    status: str
    product_id: int


class ProductPublishRequestRepository(Repository[ProductPublishRequest]):
    model = ProductPublishRequest
    wire = PRODUCT_PUBLISH_REQUEST

    def state_of(self, id: int) -> RequestState | None:
        """The request's status and product, or None when the site has no request ``id``."""
        if not fits(id):
            return None
        row = self.scope.connection.execute(_STATE, {"site_id": self.site_id, "id": id})
        found = row.first()
        return None if found is None else RequestState(*found)

    def answer(self, id: int, status: str, responder: int, text: str | None, notify: bool) -> bool:
        """Answer pending request ``id``; False when it was not pending (any longer)."""
        params = {
            "request_site_id": self.site_id,
            "request_id": id,
            "answer": status,
            "responder": responder,
            "text": text,
            "notify": notify,
            "now": self.scope.now,
        }
        result: CursorResult[Any] = self.session.execute(_ANSWER, params)  # type: ignore[assignment]
        return result.rowcount == 1
