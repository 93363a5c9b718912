"""Races lose nothing and duplicate nothing (DESIGN "Reliability").

On PostgreSQL each unit of work runs in its own worker thread, so these requests really overlap;
on SQLite they are serialized by the write lock, and the answers must be the same.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from syllabus.models import Event, User
from tests.support import SiteClient

WRITERS = 16


def test_concurrent_creates_with_one_email_make_one_user(site: SiteClient) -> None:
    body = {"first_name": "Race", "last_name": "Condition", "email": "race@example.com"}

    def create(index: int) -> tuple[int, object]:
        response = site.post("/users", json={**body, "company": f"c{index}"})
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(create, range(WRITERS)))

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [422] * (WRITERS - 1)
    assert all(
        payload == {"errors": {"email": ["has already been taken"]}}
        for status, payload in results
        if status == 422
    )

    def counts(session: Session) -> tuple[int | None, int | None]:
        return (
            session.scalar(select(func.count()).where(User.site_id == site.id)),
            session.scalar(select(func.count()).where(Event.site_id == site.id)),
        )

    assert site.db(counts) == (1, 1)


def test_concurrent_creates_with_distinct_emails_all_land(site: SiteClient) -> None:
    def create(index: int) -> int:
        response = site.post(
            "/users",
            json={"first_name": "P", "last_name": "Q", "email": f"distinct{index}@example.com"},
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = list(pool.map(create, range(WRITERS * 2)))

    assert statuses == [201] * (WRITERS * 2)
    listed = site.get("/users", params={"limit": 250}).json()
    assert listed["meta"]["pagination"]["total_items"] == WRITERS * 2
    assert len({user["id"] for user in listed["items"]}) == WRITERS * 2
