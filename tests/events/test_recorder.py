"""The recorder: events share the write's transaction, and a quiet unit of work records none."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from syllabus.categories.schemas import CollectionCreate, CollectionUpdate
from syllabus.categories.service import CategoryService
from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.models import Site
from tests.categories.helpers import category_count
from tests.events.helpers import recorded
from tests.support import SiteClient

NEW = CollectionCreate(name="Business", description="Money", slug="business")


def _service(session: Session, site: SiteClient, *, quiet: bool = False) -> CategoryService:
    scope = Scope.for_site(session, session.get_one(Site, site.id), Settings(), quiet=quiet)
    return CategoryService(scope)


def test_a_quiet_unit_of_work_writes_and_answers_but_records_nothing(site: SiteClient) -> None:
    def work(session: Session) -> dict[str, Any]:
        service = _service(session, site, quiet=True)
        created = service.create(NEW)
        service.update(int(str(created["id"])), CollectionUpdate(name="Renamed"))
        return created

    created = site.db(work)
    assert (created["name"], created["slug"]) == ("Business", "business")
    assert site.get(f"/collections/{created['id']}").json() == {**created, "name": "Renamed"}
    assert recorded(site) == []


class Boom(RuntimeError):
    pass


def test_a_write_that_rolls_back_takes_its_event_with_it(site: SiteClient) -> None:
    def work(session: Session) -> None:
        _service(session, site).create(NEW)
        raise Boom

    with pytest.raises(Boom):
        site.db(work)
    assert category_count(site) == 1  # the default category only
    assert recorded(site) == []
