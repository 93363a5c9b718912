"""Contract exercises for product publish requests (see tests/contract/harness.py)."""

from __future__ import annotations

from tests.contract.harness import NO_SUCH_ID, NOT_AN_OBJECT, Contract, exercise
from tests.factories import make_publish_request
from tests.product_publish_requests.helpers import (
    NOT_A_SITE_ADMIN,
    RESPONDER_NOT_FOUND,
    already,
    course_admin,
    draft,
    new_request,
    site_admin,
)


@exercise("GET /product_publish_requests")
def list_product_publish_requests(c: Contract) -> None:
    ids = [new_request(c.site) for _ in range(3)]
    make_publish_request(c.site, draft(c.site), status="approved")
    new_request(c.other_site)
    c.page_through("/product_publish_requests", ids)
    c.unauthorized("/product_publish_requests")


@exercise("GET /product_publish_requests/{id}")
def get_product_publish_request(c: Contract) -> None:
    id = new_request(c.site)
    assert c.call(200, f"/product_publish_requests/{id}").json()["status"] == "pending"
    c.call(404, f"/product_publish_requests/{NO_SUCH_ID}")
    c.call(404, "/product_publish_requests/abc")
    c.call(404, f"/product_publish_requests/{new_request(c.other_site)}")
    c.unauthorized(f"/product_publish_requests/{id}")


def answer(c: Contract, how: str, status: str) -> None:
    id, admin = new_request(c.site), site_admin(c.site)
    path = f"/product_publish_requests/{id}/{how}"
    c.unauthorized(path, json={"user_id": admin})
    c.call(422, path, json={"user_id": NO_SUCH_ID}, expect=RESPONDER_NOT_FOUND)
    c.call(422, path, json={"user_id": course_admin(c.site)}, expect=NOT_A_SITE_ADMIN)
    c.call(422, path, json={}, expect={"errors": {"user_id": ["can't be blank"]}})
    c.call(400, path, json=[admin], expect=NOT_AN_OBJECT)
    body = c.call(200, path, json={"user_id": admin, "response_text": "Thanks"}).json()
    assert (body["status"], body["responding_user_id"], body["response_text"]) == (
        status,
        admin,
        "Thanks",
    )
    c.call(422, path, json={"user_id": admin}, expect=already(status))
    c.call(404, f"/product_publish_requests/{NO_SUCH_ID}/{how}", json={"user_id": admin})
    foreign = new_request(c.other_site)
    c.call(404, f"/product_publish_requests/{foreign}/{how}", json={"user_id": admin})


@exercise("POST /product_publish_requests/{id}/approve")
def approve_publish_request(c: Contract) -> None:
    answer(c, "approve", "approved")


@exercise("POST /product_publish_requests/{id}/deny")
def deny_publication_request(c: Contract) -> None:
    answer(c, "deny", "denied")
