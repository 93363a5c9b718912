"""course.created and course.updated: what the control plane's load (and `syllabus load`) fires
when it writes a course, each with the course as the Admin API serves it, keys alphabetical.
(Nothing in Syllabus deletes a course, so course.deleted and product.deleted never fire.)"""

from __future__ import annotations

from typing import Any

from tests.events.helpers import alphabetical, recorded
from tests.support import SiteClient

ADMIN = {"Authorization": "Bearer test-admin-token"}


def load(site: SiteClient, document: dict[str, Any]) -> None:
    response = site.http.post(
        f"/_syllabus/sites/{site.subdomain}/load", json=document, headers=ADMIN
    )
    assert response.status_code == 200, response.text


def course_named(site: SiteClient, slug: str) -> dict[str, Any]:
    [course] = [c for c in site.get("/courses").json()["items"] if c["slug"] == slug]
    return dict(course)


def test_a_loaded_course_fires_course_created_then_course_updated(site: SiteClient) -> None:
    load(site, {"courses": [{"slug": "intro", "name": "Intro", "price": "10.00"}]})
    created = course_named(site, "intro")
    product = site.get(f"/products/{created['product_id']}").json()
    assert recorded(site) == [
        ("product.created", alphabetical(product)),
        ("course.created", alphabetical(created)),
    ]
    load(site, {"courses": [{"slug": "intro", "name": "Introduction"}]})
    updated = course_named(site, "intro")
    assert updated["name"] == "Introduction"
    # The name is the product's too (mirrored): its product changes first.
    product = site.get(f"/products/{created['product_id']}").json()
    assert recorded(site)[2:] == [
        ("product.updated", alphabetical(product)),
        ("course.updated", alphabetical(updated)),
    ]
    # Loading it unchanged fires nothing.
    load(site, {"courses": [{"slug": "intro", "name": "Introduction"}]})
    assert len(recorded(site)) == 4
