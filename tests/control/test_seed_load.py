"""Seeding and loading a site through the control plane."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.control.test_router import ADMIN
from tests.support import SiteClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo.yaml"


def test_seed_adds_what_it_reports(site: SiteClient) -> None:
    response = site.http.post(
        f"/_syllabus/sites/{site.subdomain}/seed",
        json={"users": 12, "courses": 3, "enrollments": 20, "seed": 7},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    summary = response.json()
    assert (summary["users"], summary["courses"], summary["enrollments"]) == (12, 3, 20)
    for path, count in (("/users", 12), ("/courses", 3), ("/enrollments", 20)):
        listed = site.get(path, params={"limit": 1}).json()
        assert listed["meta"]["pagination"]["total_items"] == count, path


def test_seed_rejects_impossible_and_huge_counts(site: SiteClient) -> None:
    path = f"/_syllabus/sites/{site.subdomain}/seed"
    too_many = site.http.post(
        path, json={"users": 2, "courses": 2, "enrollments": 5}, headers=ADMIN
    )
    assert too_many.status_code == 422
    assert too_many.json() == {
        "errors": {
            "base": [
                "5 enrollments need at least that many distinct (user, course) pairs, "
                "but 2 users x 2 courses give only 4"
            ]
        }
    }
    huge = site.http.post(path, json={"users": 10**9}, headers=ADMIN)
    assert huge.status_code == 422
    assert huge.json() == {"errors": {"users": ["must be less than or equal to 100000"]}}
    assert site.get("/users").json()["meta"]["pagination"]["total_items"] == 0


def test_load_the_example_file_as_json(site: SiteClient) -> None:
    # YAML reads timestamps as datetimes; a JSON client sends them as ISO 8601 strings.
    loaded = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    document = json.loads(json.dumps(loaded, default=lambda value: value.isoformat()))
    path = f"/_syllabus/sites/{site.subdomain}/load"
    first = site.http.post(path, json=document, headers=ADMIN)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["changes"] > 0
    assert body["sections"]["courses"]["created"] == len(document["courses"])
    assert body["sections"]["users"]["created"] == len(document["users"])
    courses = site.get("/courses", params={"limit": 250}).json()["items"]
    assert sorted(c["slug"] for c in courses) == sorted(c["slug"] for c in document["courses"])
    again = site.http.post(path, json=document, headers=ADMIN).json()
    assert again["changes"] == 0


def test_load_reports_every_problem_and_writes_nothing(site: SiteClient) -> None:
    response = site.http.post(
        f"/_syllabus/sites/{site.subdomain}/load",
        json={"users": [{"email": "a@example.com"}], "enrollments": [{"user": "x@y.z"}]},
        headers=ADMIN,
    )
    assert response.status_code == 422
    problems = response.json()["errors"]["base"]
    assert "users[0].first_name: is required" in problems
    assert len(problems) >= 2
    assert site.get("/users").json()["meta"]["pagination"]["total_items"] == 0


def test_unknown_site_is_404(site: SiteClient) -> None:
    for action in ("seed", "load"):
        response = site.http.post(f"/_syllabus/sites/nope-nope/{action}", json={}, headers=ADMIN)
        assert (response.status_code, response.json()) == (404, {"error": "Record not found."})
