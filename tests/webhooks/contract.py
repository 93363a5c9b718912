"""Contract exercises for /api/v2: webhooks and events (see tests/contract/harness.py)."""

from __future__ import annotations

from sqlalchemy import select

from syllabus.models import Event
from tests.contract.harness import NOT_AN_OBJECT, Contract, exercise
from tests.factories import make_webhook
from tests.support import SiteClient
from tests.webhooks.helpers import (
    INVALID_TOPIC,
    INVALID_URL,
    TARGET,
    V2,
    public_id,
    webhook_count,
)

WEBHOOKS = f"{V2}/webhooks"
REQUEST = {"topic": "order.created", "target_url": TARGET}
NO_SUCH_WEBHOOK = f"{WEBHOOKS}/20240222203252987654321"


def refusals(c: Contract, path: str) -> None:
    """The spec's two 422s and the 400."""
    c.call(422, path, json={**REQUEST, "topic": "user.created"}, expect=INVALID_TOPIC)
    c.call(422, path, json={**REQUEST, "target_url": "/hooks"}, expect=INVALID_URL)
    c.call(400, path, json=[REQUEST], expect=NOT_AN_OBJECT)


@exercise("GET /api/v2/webhooks")
def list_webhooks(c: Contract) -> None:
    ids = [make_webhook(c.site) for _ in range(3)]
    make_webhook(c.other_site)
    c.cursor_through(WEBHOOKS, ids)
    c.unauthorized(WEBHOOKS)


@exercise("POST /api/v2/webhooks")
def create_webhook(c: Contract) -> None:
    body = c.call(201, WEBHOOKS, json=REQUEST).json()
    assert (body["topic"], body["target_url"], body["status"]) == (
        "order.created",
        TARGET,
        "active",
    )
    refusals(c, WEBHOOKS)
    c.unauthorized(WEBHOOKS, json=REQUEST)
    assert webhook_count(c.site) == 1


@exercise("GET /api/v2/webhooks/{id}")
def get_webhook(c: Contract) -> None:
    id = make_webhook(c.site)
    assert c.call(200, f"{WEBHOOKS}/{id}").json()["id"] == id
    c.call(404, NO_SUCH_WEBHOOK)
    c.call(404, f"{WEBHOOKS}/{make_webhook(c.other_site)}")
    c.unauthorized(f"{WEBHOOKS}/{id}")


@exercise("PUT /api/v2/webhooks/{id}")
def update_webhook(c: Contract) -> None:
    path = f"{WEBHOOKS}/{make_webhook(c.site)}"
    c.unauthorized(path, json={"topic": "user.signup"})
    assert c.call(200, path, json={"topic": "user.signup"}).json()["topic"] == "user.signup"
    refusals(c, path)
    c.call(404, NO_SUCH_WEBHOOK, json=REQUEST)


@exercise("DELETE /api/v2/webhooks/{id}")
def delete_webhook(c: Contract) -> None:
    path = f"{WEBHOOKS}/{make_webhook(c.site)}"
    c.unauthorized(path)
    assert c.call(204, path).content == b""
    c.call(404, path)
    c.call(404, f"{WEBHOOKS}/{make_webhook(c.other_site)}")


def signed_up(site: SiteClient) -> str:
    """The public id of the ``user.signup`` event of a user created through the Admin API."""
    user = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}
    assert site.post("/users", json=user).status_code == 201
    statement = select(Event.created_at, Event.id).where(Event.site_id == site.id)
    created_at, row_id = site.db(lambda s: s.execute(statement).one())
    return public_id(created_at, row_id)


@exercise("GET /api/v2/events/{id}")
def get_event(c: Contract) -> None:
    id = signed_up(c.site)
    body = c.call(200, f"{V2}/events/{id}").json()
    assert (body["id"], body["resource"], body["action"]) == (id, "user", "signup")
    c.call(404, f"{V2}/events/{signed_up(c.other_site)}")
    c.call(404, f"{V2}/events/{id[:-1]}")
    c.unauthorized(f"{V2}/events/{id}")
