"""Seeding and loading a site through the control plane."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.control.test_router import ADMIN
from tests.support import SiteClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo.yaml"
COMMERCE = (
    "bundles",
    "categories",
    "promotions",
    "coupons",
    "orders",
    "external orders",
    "transactions",
)


def events_of(site: SiteClient) -> list[dict[str, Any]]:
    """Every event the site recorded, oldest first (the control plane's list)."""
    path = f"/_syllabus/sites/{site.subdomain}/events"
    body = site.http.get(path, params={"limit": 250}, headers=ADMIN).json()
    assert body["meta"]["pagination"]["total_pages"] <= 1
    items: list[dict[str, Any]] = body["items"]
    return items


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
    created = {name: tally["created"] for name, tally in body["sections"].items()}
    assert {name: created[name] for name in COMMERCE} == {
        "bundles": 1,
        "categories": 1,  # and the default one, updated
        "promotions": 2,
        "coupons": 2,
        "orders": 3,
        "external orders": 1,
        "transactions": 2,
    }
    assert body["sections"]["categories"]["updated"] == 1
    products = site.get("/products").json()["items"]
    assert [(p["slug"], p["productable_type"], p["price"]) for p in products] == [
        ("intro-to-python", "Course", "49.0"),
        ("data-viz-basics", "Course", "99.99"),
        ("algorithms-preview", "Course", "0.0"),
        ("python-and-viz", "Bundle", "129.0"),
    ]
    bundle = site.get(f"/bundles/{products[3]['productable_id']}").json()
    assert bundle["course_ids"] == [products[0]["productable_id"], products[1]["productable_id"]]
    orders = site.get("/orders").json()["items"]
    assert [(o["user_email"], o["product_id"], o["amount_cents"]) for o in orders] == [
        ("grace@example.com", products[3]["id"], 9900),
        ("Linus@Example.com", products[1]["id"], 7999),
        ("ada@example.com", products[2]["id"], 0),
    ]
    events = events_of(site)
    assert [e["payload"]["id"] for e in events if e["resource"] == "product"] == [
        p["id"] for p in products
    ]
    assert {e["action"] for e in events if e["resource"] == "product"} == {"created"}

    again = site.http.post(path, json=document, headers=ADMIN).json()
    assert again["changes"] == 0
    assert again["sections"]["orders"] == {"created": 0, "updated": 0, "unchanged": 3, "deleted": 0}
    assert events_of(site) == events
    assert site.get("/orders").json()["meta"]["pagination"]["total_items"] == 3


def test_load_reports_what_cannot_be_sold_and_writes_nothing(site: SiteClient) -> None:
    document = {
        "users": [{"email": "a@example.com", "first_name": "A", "last_name": "B"}],
        "courses": [{"slug": "c", "name": "C", "price": 10}],
        "bundles": [{"slug": "b", "name": "B", "courses": ["c", "nope"]}],
        "promotions": [
            {"name": "P", "discount_type": "percentage", "amount": "50", "products": ["c"]},
            {"name": "Q", "discount_type": "fixed", "amount": 5, "coupons": [{"code": "ONCE"}]},
        ],
        "orders": [
            {"user": "a@example.com", "product": "b", "coupon": "NOPE"},
            {"user": "a@example.com", "product": "c", "coupon": "ONCE"},
        ],
    }
    response = site.http.post(
        f"/_syllabus/sites/{site.subdomain}/load", json=document, headers=ADMIN
    )
    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "base": [
                "bundles[0].courses[1]: no course with slug 'nope' in the file or the site",
                "orders[0].coupon: NOPE is not a valid coupon for this product",
            ]
        }
    }
    for path in ("/users", "/products", "/promotions", "/orders"):
        assert site.get(path).json()["meta"]["pagination"]["total_items"] == 0, path
    assert events_of(site) == []


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
