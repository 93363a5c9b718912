"""Concurrent completions of one enrollment are counted in turn (its row is locked): on
PostgreSQL these requests really overlap; on SQLite the write lock serializes them, and the
answers must be the same."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.events.helpers import recorded, topics
from tests.orders.helpers import frozen_clock
from tests.simulate.helpers import complete, completions, new_classroom
from tests.support import SiteClient

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)

WRITERS = 8


def test_every_lesson_at_once_counts_each_once(site: SiteClient) -> None:
    classroom = new_classroom(site, ("Lesson",) * WRITERS)

    def finish(index: int) -> int:
        return complete(site, classroom.student.id, classroom.lessons[index].id).status_code

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = list(pool.map(finish, range(WRITERS)))

    assert statuses == [200] * WRITERS
    progress = [
        payload["percentage_completed"]
        for topic, payload in recorded(site)
        if topic == "enrollment.progress"
    ]
    assert sorted(progress) == [str(n / WRITERS) for n in range(1, WRITERS + 1)]
    assert topics(site).count("enrollment.completed") == 1
    assert site.get(f"/enrollments/{classroom.enrollment}").json()["percentage_completed"] == "1.0"


def test_one_lesson_at_once_is_completed_once(site: SiteClient) -> None:
    classroom = new_classroom(site)
    lesson = classroom.lessons[0].id

    def finish(_: int) -> tuple[int, object]:
        response = complete(site, classroom.student.id, lesson)
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(finish, range(WRITERS)))

    assert {status for status, _ in results} == {200}
    assert len({str(body) for _, body in results}) == 1
    assert len(completions(site)) == 1
    assert topics(site) == ["lesson.completed", "enrollment.progress"]
