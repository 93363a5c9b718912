"""``ThinkificSite.snapshot``, ``restore``, ``diff`` and ``export``, through the plugin's own
fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from syllabus.testing import ControlPlaneError, SyllabusServer, ThinkificSite

ADA = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
SCHOOL = {
    "users": [ADA],
    "courses": [{"slug": "intro", "name": "Intro", "price": 10}],
    "enrollments": [{"user": "ada@example.com", "course": "intro", "percentage_completed": 0.5}],
}


@pytest.fixture
def other_site(syllabus_server: SyllabusServer) -> Iterator[ThinkificSite]:
    with syllabus_server.site() as site:
        yield site


def emails(site: ThinkificSite) -> list[str]:
    return [user["email"] for user in site.client.get("/users").json()["items"]]


def test_diff_is_what_the_test_changed(thinkific_site: ThinkificSite) -> None:
    assert thinkific_site.diff() == {"since": None, "resources": {}}
    created = thinkific_site.client.post("/users", json=ADA).json()

    changed = thinkific_site.diff()

    assert list(changed["resources"]) == ["users"]
    rows = changed["resources"]["users"]["created"]
    assert [(row["id"], row["email"]) for row in rows] == [(created["id"], "ada@example.com")]


def test_an_enrollment_whose_answer_failed_exists_anyway(thinkific_site: ThinkificSite) -> None:
    """The issue's scenario: the write commits, the client gets a 500, the diff shows it."""
    thinkific_site.load({"courses": [{"slug": "intro", "name": "Intro"}]})
    thinkific_site.snapshot("a-course")
    user = thinkific_site.client.post("/users", json=ADA).json()
    course = thinkific_site.client.get("/courses").json()["items"][0]
    thinkific_site.fault("commit_then_fail", method="POST", path="/enrollments", times=1)

    enrolled = {"user_id": user["id"], "course_id": course["id"]}
    assert thinkific_site.client.post("/enrollments", json=enrolled).status_code == 500

    changed = thinkific_site.diff("a-course")["resources"]
    assert list(changed) == ["users", "enrollments"]
    rows = changed["enrollments"]["created"]
    assert [(row["user_id"], row["course_id"]) for row in rows] == [(user["id"], course["id"])]


def test_snapshot_and_restore(thinkific_site: ThinkificSite) -> None:
    thinkific_site.client.post("/users", json=ADA)
    saved = thinkific_site.snapshot("ada")
    assert (saved["name"], saved["tables"]["users"]) == ("ada", 1)
    other = {**ADA, "email": "grace@example.com"}
    thinkific_site.client.post("/users", json=other)
    assert emails(thinkific_site) == ["ada@example.com", "grace@example.com"]

    thinkific_site.restore("ada")

    assert emails(thinkific_site) == ["ada@example.com"]
    with pytest.raises(ControlPlaneError, match="404"):
        thinkific_site.restore("nothing")


def test_export_loads_into_another_site(
    thinkific_site: ThinkificSite, other_site: ThinkificSite
) -> None:
    thinkific_site.load(SCHOOL)
    document = thinkific_site.export()
    assert [user["email"] for user in document["users"]] == ["ada@example.com"]

    other_site.load(document)

    assert other_site.export() == document
    mine, theirs = (
        [
            {key: value for key, value in item.items() if not key.endswith("id")}
            for item in site.client.get("/enrollments").json()["items"]
        ]
        for site in (thinkific_site, other_site)
    )
    assert theirs == mine
