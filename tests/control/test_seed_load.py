"""Seeding and loading a site through the control plane."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.models import (
    Course,
    CourseReview,
    Group,
    Product,
    ProductPublishRequest,
    SiteScript,
    User,
    group_analysts,
)
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
PEOPLE = ("groups", "course reviews", "site scripts", "publish requests")


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

    assert {name: created[name] for name in PEOPLE} == {
        "groups": 2,
        "course reviews": 2,
        "site scripts": 2,
        "publish requests": 1,
    }
    people = people_of(site)
    assert people == {
        "analysts": [("Apollo Team", "margaret@example.com")],
        "reviews": [
            ("intro-to-python", "ada@example.com", 5, True),
            ("intro-to-python", "linus@example.com", 4, False),
        ],
        "scripts": [
            ("Example Analytics", "https://analytics.example.com/tracker.js", None),
            ("Help Widget", None, "<script>window.helpWidget = { team: 'support' };</script>"),
        ],
        "requests": [("algorithms-preview", "pending", "grace@example.com")],
    }
    # And as the API serves them.
    users = {u["email"]: u["id"] for u in site.get("/users", params={"limit": 250}).json()["items"]}
    groups = {g["name"]: g["id"] for g in site.get("/groups").json()["items"]}
    assert site.get(f"/groups/{groups['Apollo Team']}/analysts").json() == {
        "group_analysts": [users["margaret@example.com"]]
    }
    python = products[0]["productable_id"]
    reviews = site.get("/course_reviews", params={"course_id": python}).json()["items"]
    assert [(r["user_id"], r["rating"], r["approved"]) for r in reviews] == [
        (users["ada@example.com"], 5, True),
        (users["Linus@Example.com"], 4, False),
    ]
    scripts = site.get("/site_scripts").json()["items"]
    assert [(s["name"], s["location"], s["load_method"]) for s in scripts] == [
        ("Example Analytics", "footer", "defer"),
        ("Help Widget", "footer", "async"),
    ]
    requests = site.get("/product_publish_requests").json()["items"]
    assert [(r["product_id"], r["status"], r["requesting_user_id"]) for r in requests] == [
        (products[2]["id"], "pending", users["grace@example.com"])
    ]

    again = site.http.post(path, json=document, headers=ADMIN).json()
    assert again["changes"] == 0
    assert again["sections"]["orders"] == {"created": 0, "updated": 0, "unchanged": 3, "deleted": 0}
    assert {name: again["sections"][name]["unchanged"] for name in PEOPLE} == {
        "groups": 2,
        "course reviews": 2,
        "site scripts": 2,
        "publish requests": 1,
    }
    assert events_of(site) == events
    assert site.get("/orders").json()["meta"]["pagination"]["total_items"] == 3
    assert people_of(site) == people


def people_of(site: SiteClient) -> dict[str, list[tuple[Any, ...]]]:
    """The people rows of the site, by user email and course or product slug, in id order."""

    def read(session: Session) -> dict[str, list[tuple[Any, ...]]]:
        users = select(User.id, User.email_key).where(User.site_id == site.id)
        emails: dict[int, str] = {id: email for id, email in session.execute(users)}
        analysts = (
            select(Group.name, group_analysts.c.user_id)
            .join(group_analysts, group_analysts.c.group_id == Group.id)
            .where(Group.site_id == site.id)
            .order_by(Group.id, group_analysts.c.user_id)
        )
        reviews = (
            select(Course.slug, CourseReview.user_id, CourseReview.rating, CourseReview.approved)
            .join(Course, Course.id == CourseReview.course_id)
            .where(CourseReview.site_id == site.id)
            .order_by(CourseReview.id)
        )
        scripts = (
            select(SiteScript.name, SiteScript.src, SiteScript.content)
            .where(SiteScript.site_id == site.id)
            .order_by(SiteScript.id)
        )
        requests = (
            select(
                Product.slug,
                ProductPublishRequest.status,
                ProductPublishRequest.requesting_user_id,
            )
            .join(Product, Product.id == ProductPublishRequest.product_id)
            .where(ProductPublishRequest.site_id == site.id)
            .order_by(ProductPublishRequest.id)
        )
        return {
            "analysts": [(name, emails[user]) for name, user in session.execute(analysts)],
            "reviews": [
                (slug, emails[user], rating, approved)
                for slug, user, rating, approved in session.execute(reviews)
            ],
            "scripts": [tuple(row) for row in session.execute(scripts)],
            "requests": [
                (slug, status, emails.get(user)) for slug, status, user in session.execute(requests)
            ],
        }

    return site.db(read)


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


SHOP: dict[str, Any] = {
    "users": [{"email": "a@example.com", "first_name": "A", "last_name": "B"}],
    "courses": [{"slug": "c", "name": "C"}],
}
SCRIPT = {"name": "S", "description": "D", "page_scopes": ["all"], "category": "analytics"}
REVIEW = {"course": "c", "user": "a@example.com", "rating": 5, "title": "T", "review_text": "R"}


@pytest.mark.parametrize(
    ("people", "problems"),
    [
        pytest.param(
            {
                "groups": [{"name": "G", "analysts": ["a@example.com", "A@example.com"]}],
                "course_reviews": [REVIEW, {**REVIEW, "user": "A@Example.com"}],
                "site_scripts": [SCRIPT],
                "publish_requests": [{"product": "c"}, {"product": "c"}],
            },
            [
                "site_scripts[0]: must provide one of: src or content",
                "publish_requests[1].product: 'c' is already given by publish_requests[0]",
                "groups[0].analysts[1]: 'a@example.com' is already given by analysts[0]",
                "course_reviews[1]: A@Example.com's review of 'c' is already given by "
                "course_reviews[0]",
            ],
            id="in-the-file",
        ),
        pytest.param(
            {
                "groups": [{"name": "G", "analysts": ["a@example.com"]}],
                "course_reviews": [{**REVIEW, "user": "ghost@example.com"}],
                "site_scripts": [{**SCRIPT, "src": "https://example.com/s.js"}],
                "publish_requests": [{"product": "nope", "requested_by": "a@example.com"}],
            },
            [
                "publish_requests[0].product: no course or bundle with slug 'nope' in the file "
                "or the site",
                "groups[0].analysts[0]: 'a@example.com' is missing the group_analyst role",
                "course_reviews[0].user: no user with email 'ghost@example.com' in the file or "
                "the site",
            ],
            id="against-the-site",
        ),
    ],
)
def test_load_reports_the_people_problems_and_writes_nothing(
    site: SiteClient, people: dict[str, Any], problems: list[str]
) -> None:
    response = site.http.post(
        f"/_syllabus/sites/{site.subdomain}/load", json={**SHOP, **people}, headers=ADMIN
    )

    assert response.status_code == 422
    assert response.json() == {"errors": {"base": problems}}
    assert site.get("/users").json()["meta"]["pagination"]["total_items"] == 0
    assert people_of(site) == {"analysts": [], "reviews": [], "scripts": [], "requests": []}


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
