"""Each wire renders exactly its response schema: the same keys, in the same order, and values
that the schema reads back to the same JSON (so the encodings are the schema's own)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from syllabus.auth import SiteRef
from syllabus.clock import clock
from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.db import Database
from syllabus.kit.schemas import format_timestamp
from syllabus.kit.wire import Wire
from syllabus.models import DeliveryAttempt, Site, WebhookDelivery
from syllabus.models.base import UTCDateTime, stamp
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


def _rows(
    database: Database, wire: Wire, site: Site, *, by_id: bool = False
) -> list[dict[str, Any]]:
    """The bodies of the site's first rows, rendered from SQLAlchemy's rows (every column
    converted by its type), or, ``by_id``, as the wire reads each one itself (``Wire.read``:
    its prebuilt statement, its timestamps read raw)."""
    scope_of = wire.model.site_id if wire.tenant else wire.model.id
    statement = wire.select.where(scope_of == bindparam("site")).order_by(wire.model.id).limit(5)
    with database.transaction(write=False) as session:
        ref = SiteRef(site.id, site.subdomain, site.global_id, 0.0)
        scope = Scope(session, ref, site.created_at, Settings())
        connection = session.connection()
        rows = connection.execute(statement, {"site": site.id, "site_id": site.id}).all()
        if by_id:
            values = {"site_id": site.id}
            return [
                (wire.read(connection, {**values, "id": row[0]}, scope) or [{}])[0] for row in rows
            ]
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


@pytest.mark.parametrize("name", sorted(WIRES))
def test_a_wire_reads_what_it_renders(name: str, database: Database, seeded: Site) -> None:
    """Its own statements (timestamps read as stored, unconverted: ``Wire.raw``) give the same
    bodies as SQLAlchemy's converted rows."""
    wire = WIRES[name]
    moment = datetime.now(UTC)
    clock.set_source(lambda: moment)  # a site's clock renders its "now"
    try:
        converted = _rows(database, wire, seeded)
        assert converted, f"{name}: no rows to render"
        assert _rows(database, wire, seeded, by_id=True) == converted
    finally:
        clock.set_source(None)


def test_timestamps_read_raw_are_the_ones_only_printed() -> None:
    from syllabus.enrollments.repository import ENROLLMENT

    raw = {ENROLLMENT.columns[index].name for index in ENROLLMENT.raw}
    # expiry_date and completed_at also feed `expired` and `completed`: those are converted.
    assert raw == {"created_at", "updated_at", "started_at", "activated_at"}


@pytest.mark.parametrize(
    "stored",
    ["2024-02-22 20:32:52.726050", "2024-02-22 20:32:52", "2024-02-22T22:32:52.726050+02:00"],
)
def test_a_stored_timestamp_prints_as_its_datetime(stored: str) -> None:
    parsed = UTCDateTime().process_result_value(stored, sqlite.dialect())
    assert parsed is not None
    assert format_timestamp(stored) == format_timestamp(parsed)
    assert format_timestamp(stored).endswith("Z")
