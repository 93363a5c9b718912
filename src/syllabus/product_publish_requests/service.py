from __future__ import annotations

from syllabus.context import Scope
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import read_recorded, record_read
from syllabus.events.topics import InternalTopic
from syllabus.kit.filters import equal
from syllabus.kit.wire import JSONObject
from syllabus.models import ProductPublishRequest
from syllabus.pagination import PageParams
from syllabus.product_publish_requests.repository import (
    PRODUCT_PUBLISH_REQUEST_PAYLOAD,
    ProductPublishRequestRepository,
)
from syllabus.product_publish_requests.schemas import PublishRequestAnswer, PublishStatus
from syllabus.products.repository import PRODUCT_PAYLOAD, ProductRepository
from syllabus.users.repository import UserRepository

# The spec's example says `user_id: not found` (in a malformed body: FIDELITY §9.2 #8).
RESPONDER_NOT_FOUND = "not found"
NOT_A_SITE_ADMIN = "is not a site admin"
PRODUCT_NOT_FOUND = "Product could not be found."
USER_NOT_FOUND = "User could not be found."
# The request's own events, internal: no Thinkific topic covers publish requests.
ANSWERED: dict[PublishStatus, InternalTopic] = {
    "approved": "product_publish_request.approved",
    "denied": "product_publish_request.denied",
}


def already_answered(status: str) -> str:
    return f"Product publish request has already been {status}"


class ProductPublishRequestService:
    """Publish requests. Each write records the request's internal event, the request with
    alphabetical keys as it is afterwards (``product_publish_request.created``, ``.approved``,
    ``.denied``); an approval then records the product's ``product.updated``."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.requests = ProductPublishRequestRepository(scope)
        self.products = ProductRepository(scope)
        self.users = UserRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        """The requests nobody has answered yet, in ascending id order."""
        pending = equal("status", ProductPublishRequest.status, "pending")
        return self.requests.page(pending, params)

    def read(self, id: int) -> JSONObject:
        return found(self.requests.read(id))

    def create(self, product_id: int, requesting_user_id: int | None) -> JSONObject:
        """A pending request to publish the product, as a course admin makes in Thinkific's
        admin (the control plane's; the Admin API cannot)."""
        errors: dict[str, list[str]] = {}
        if not self.products.exists(product_id):
            errors["product_id"] = [PRODUCT_NOT_FOUND]
        if requesting_user_id is not None and not self.users.exists(requesting_user_id):
            errors["requesting_user_id"] = [USER_NOT_FOUND]
        if errors:
            raise Unprocessable(errors)
        request = self.requests.add(
            ProductPublishRequest(
                product_id=product_id,
                requesting_user_id=requesting_user_id,
                status="pending",
                notify_requester=False,
            )
        )
        self.requests.flush()
        return read_recorded(
            self.scope,
            "product_publish_request.created",
            self.requests,
            request.id,
            PRODUCT_PUBLISH_REQUEST_PAYLOAD,
        )

    def approve(self, id: int, data: PublishRequestAnswer) -> JSONObject:
        """Approve the request and publish its product (``product.updated``)."""
        body, product_id = self._answer(id, data, "approved")
        product = found(self.products.get(product_id))
        product.status = "published"
        self.products.touch(product)
        self.products.flush()
        record_read(self.scope, "product.updated", self.products, product.id, PRODUCT_PAYLOAD)
        return body

    def deny(self, id: int, data: PublishRequestAnswer) -> JSONObject:
        """Deny the request; the product stays as it is."""
        return self._answer(id, data, "denied")[0]

    def _answer(
        self, id: int, data: PublishRequestAnswer, status: PublishStatus
    ) -> tuple[JSONObject, int]:
        """Answer a pending request for ``data.user_id``, a site admin, and record it: the
        request's body afterwards, and its product. Every problem is reported at once: the
        responder, and a request already answered."""
        state = found(self.requests.state_of(id))
        errors: dict[str, list[str]] = {}
        responder = self.users.get(data.user_id)
        if responder is None:
            errors["user_id"] = [RESPONDER_NOT_FOUND]
        elif "site_admin" not in responder.roles:
            errors["user_id"] = [NOT_A_SITE_ADMIN]
        if state.status != "pending":
            errors["base"] = [already_answered(state.status)]
        if errors or responder is None:
            raise Unprocessable(errors)
        answered = self.requests.answer(
            id, status, responder.id, data.response_text, data.notify_requester
        )
        if not answered:  # a concurrent answer came first
            latest = found(self.requests.state_of(id))
            raise Unprocessable({"base": [already_answered(latest.status)]})
        body = read_recorded(
            self.scope, ANSWERED[status], self.requests, id, PRODUCT_PUBLISH_REQUEST_PAYLOAD
        )
        return body, state.product_id
