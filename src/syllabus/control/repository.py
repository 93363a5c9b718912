"""The control plane's reads: sites (not scoped to one site) and a site's events, as wire bodies."""

from __future__ import annotations

from sqlalchemy.orm import Session

from syllabus.control.schemas import ClockRead, EventRead, SiteRead
from syllabus.db import connection_of
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject, Wire
from syllabus.models import Event, Site
from syllabus.pagination import PageParams

SITE = Wire(SiteRead, Site, tenant=False)
CLOCK = Wire(ClockRead, Site, tenant=False)
EVENT = Wire(EventRead, Event)


def read(session: Session, wire: Wire, site: Site) -> JSONObject:
    """``site``'s body, with the unit of work's changes to it so far."""
    session.flush()
    bodies = wire.read(connection_of(session), {"id": site.id}, None)
    assert bodies is not None  # the caller holds the row
    return bodies[0]


def sites(session: Session, params: PageParams) -> JSONObject:
    return SITE.page(connection_of(session), Criteria(), params, {}, None)


def events(session: Session, site: Site, params: PageParams) -> JSONObject:
    return EVENT.page(connection_of(session), Criteria(), params, {"site_id": site.id}, None)
