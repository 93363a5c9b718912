"""Each wire renders exactly its response schema: the same keys, in the same order, and values
that the schema reads back to the same JSON (so the encodings are the schema's own)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from syllabus.auth import SiteRef
from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.db import Database
from syllabus.kit.wire import Wire
from syllabus.models import DeliveryAttempt, Site, WebhookDelivery
from syllabus.models.base import stamp
from syllabus.seed.generator import seed_site
from tests.deliveries.helpers import subscribe
from tests.factories import make_oauth_app
from tests.registry import wires
from tests.support import SiteClient

WIRES = wires()


def test_the_registry_finds_the_wires() -> None:
    assert {"syllabus.users.repository.USER", "syllabus.enrollments.repository.ENROLLMENT"} <= set(
        WIRES
    )


def log_an_attempt(session: Session) -> None:
    delivery = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id.desc())).first()
    assert delivery is not None
    attempt = DeliveryAttempt(
        delivery_id=delivery.id, number=1, status_code=None, latency_ms=3, error="refused"
    )
    stamp(attempt, delivery.site_id, delivery.created_at)
    session.add(attempt)


@pytest.fixture
def seeded(site: SiteClient) -> Site:
    """A site with every kind of row: the seeder's, a user created through the API with an
    external identity (which records an event, queued for a webhook), an OAuth app, an
    attempt of the delivery, a fault rule and the request journal's entries."""
    with site.database.transaction() as session:
        owner = session.get_one(Site, site.id)
        seed_site(session, owner, users=30, courses=3, enrollments=40, seed=7)
    subscribe(site, "user.signup", "http://127.0.0.1:9/hook")  # a delivery, never sent
    user = {"first_name": "E", "last_name": "V", "email": "e@v.co", "external_id": "ev-1"}
    assert site.post("/users", json=user).status_code == 201
    make_oauth_app(site, scopes=["read:users"])
    site.db(log_an_attempt)
    # A fault rule, and the journal's entries of the requests above (a read writes them).
    control = f"/_syllabus/sites/{site.subdomain}"
    admin = {"Authorization": "Bearer test-admin-token"}
    rule = {"action": "delay", "delay_ms": 0, "path": "/nowhere"}
    assert site.http.post(f"{control}/faults", json=rule, headers=admin).status_code == 201
    assert site.http.get(f"{control}/requests", headers=admin).status_code == 200
    return site.db(lambda session: session.get_one(Site, site.id))


def _rows(database: Database, wire: Wire, site: Site) -> list[dict[str, Any]]:
    scope_of = wire.model.site_id if wire.tenant else wire.model.id
    statement = wire.select.where(scope_of == bindparam("site")).order_by(wire.model.id).limit(5)
    with database.transaction(write=False) as session:
        ref = SiteRef(site.id, site.subdomain, site.global_id, 0.0)
        scope = Scope(session, ref, site.created_at, Settings())
        connection = session.connection()
        rows = connection.execute(statement, {"site": site.id, "site_id": site.id}).all()
        children = wire.rows(connection, rows, {"site_id": site.id})
        return [wire.render(row, scope, children) for row in rows]


@pytest.mark.parametrize("name", sorted(WIRES))
def test_a_wire_renders_its_schema(name: str, database: Database, seeded: Site) -> None:
    wire = WIRES[name]
    bodies = _rows(database, wire, seeded)
    assert bodies, f"{name}: no rows to render"
    expected = list(wire.schema.model_fields)
    if wire.sort_keys:  # a webhook payload: alphabetical keys
        expected.sort()
    for body in bodies:
        assert list(body) == expected
        assert wire.schema.model_validate(body).model_dump(mode="json") == body
