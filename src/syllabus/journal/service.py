"""Reading a site's journal: the control plane's list, and the CLI's tail and follow. Each
function is one step of the caller's unit of work."""

from __future__ import annotations

from sqlalchemy.orm import Session

from syllabus.clock import clock
from syllabus.errors import found
from syllabus.journal import repository
from syllabus.kit.filters import Filters
from syllabus.kit.wire import JSONObject
from syllabus.pagination import PageParams
from syllabus.sites.service import find_site


def site_id(session: Session, subdomain: str) -> int:
    """The site's id: a 404 when there is none."""
    return found(find_site(session, subdomain)).id


def list_requests(
    session: Session, subdomain: str, filters: Filters, params: PageParams
) -> JSONObject:
    return repository.page(
        session, site_id(session, subdomain), filters.criteria(clock.now()), params
    )


def latest(session: Session, site: int, filters: Filters, limit: int) -> list[JSONObject]:
    return repository.latest(session, site, filters.criteria(clock.now()), limit)


def after(
    session: Session, site: int, filters: Filters, last_id: int, limit: int
) -> list[JSONObject]:
    return repository.after(session, site, filters.criteria(clock.now()), last_id, limit)
