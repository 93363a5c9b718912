"""Snapshots, diffs and exports through the control plane, a site with rows in every table, and
every Admin API answer of a site with its identifiers made comparable across sites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
from sqlalchemy.orm import Session

from syllabus.models import DeliveryAttempt, Site, WebhookDelivery
from syllabus.models.base import stamp
from syllabus.seed.generator import seed_site
from tests.deliveries.helpers import subscribe
from tests.factories import make_oauth_app
from tests.openapi_validator import assert_matches_openapi
from tests.support import SiteClient

ADMIN = {"Authorization": "Bearer test-admin-token"}
PREFIX = "/api/public/v1"


def control(site: SiteClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """``/_syllabus/sites/{subdomain}{path}`` with the admin token; the answer must match our
    OpenAPI."""
    full = f"/_syllabus/sites/{site.subdomain}{path}"
    headers = {**ADMIN, **kwargs.pop("headers", {})}
    response = site.http.request(method, full, headers=headers, **kwargs)
    assert_matches_openapi(site.http.app.openapi(), method, full, response)  # type: ignore[attr-defined]
    return response


def save(site: SiteClient, name: str) -> dict[str, Any]:
    response = control(site, "POST", "/snapshots", json={"name": name})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def restore(site: SiteClient, name: str) -> None:
    response = control(site, "POST", f"/snapshots/{name}/restore")
    assert response.status_code == 204, response.text
    assert response.content == b""


def diff(site: SiteClient, since: str | None = None) -> dict[str, Any]:
    params = {} if since is None else {"since": since}
    response = control(site, "GET", "/diff", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def exported(site: SiteClient) -> dict[str, Any]:
    response = control(site, "GET", "/export", params={"format": "json"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def loaded(site: SiteClient, document: dict[str, Any]) -> dict[str, Any]:
    response = control(site, "POST", "/load", json=document)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def seeded(site: SiteClient, **counts: int) -> None:
    response = control(
        site, "POST", "/seed", json=counts or {"users": 30, "courses": 4, "enrollments": 40}
    )
    assert response.status_code == 201, response.text


# --- a site with rows in every table --------------------------------------------------------


def _log_an_attempt(session: Session) -> None:
    delivery = session.query(WebhookDelivery).order_by(WebhookDelivery.id.desc()).first()
    assert delivery is not None
    attempt = DeliveryAttempt(
        delivery_id=delivery.id, number=1, status_code=None, latency_ms=3, error="refused"
    )
    stamp(attempt, delivery.site_id, delivery.created_at)
    session.add(attempt)


def fill_every_table(site: SiteClient) -> None:
    """Rows in every table a snapshot holds: the seeder's, a webhook subscription with a
    delivery and its attempt (from an API write, which records an event), an OAuth app, and a
    student's progress (a lesson completed, a quiz attempted)."""
    with site.database.transaction() as session:
        seed_site(
            session, session.get_one(Site, site.id), users=20, courses=3, enrollments=30, seed=5
        )
    make_oauth_app(site, scopes=["read:users"])
    subscribe(site, "user.signup", "http://127.0.0.1:9/hook")  # a delivery, never sent
    user = {"first_name": "Eve", "last_name": "V", "email": "eve@example.com", "external_id": "e-1"}
    assert site.post("/users", json=user).status_code == 201
    site.db(_log_an_attempt)
    enrollment = next(
        item
        for item in site.get("/enrollments", params={"limit": 250}).json()["items"]
        if not item["expired"] and not item["is_free_trial"]
    )
    chapters = site.get(f"/courses/{enrollment['course_id']}/chapters").json()["items"]
    contents = [
        content
        for chapter in chapters
        for content in site.get(f"/chapters/{chapter['id']}/contents").json()["items"]
    ]
    quiz = next(
        content for content in contents if content["contentable_type"] in ("Quiz", "Survey")
    )
    student = {"user_id": enrollment["user_id"]}
    done = control(
        site,
        "POST",
        "/simulate/lesson_completed",
        json={**student, "content_id": contents[0]["id"]},
    )
    assert done.status_code == 200, done.text
    if quiz["contentable_type"] == "Quiz":
        tried = control(
            site, "POST", "/simulate/quiz_attempted", json={**student, "content_id": quiz["id"]}
        )
        assert tried.status_code == 201, tried.text


# --- every Admin API answer, comparable across sites ----------------------------------------

# What an id-holding field names, by its name (`id` names the rows of the answer's resource).
NAMES = {
    "user_id": "users",
    "requesting_user_id": "users",
    "responding_user_id": "users",
    "administrator_user_ids": "users",
    "group_analysts": "users",
    "course_id": "courses",
    "course_ids": "courses",
    "administered_course_ids": "courses",
    "product_id": "products",
    "product_ids": "products",
    "related_product_ids": "products",
    "collection_ids": "collections",
    "chapter_id": "chapters",
    "chapter_ids": "chapters",
    "content_ids": "contents",
    "instructor_id": "instructors",
    "coupon_id": "coupons",
    "coupon_ids": "coupons",
    "promotion_id": "promotions",
    "custom_profile_field_definition_id": "custom_profile_field_definitions",
}
# Objects inside an answer whose `id` is of another kind.
NESTED = {"product_prices": "product_prices", "custom_profile_fields": "custom_profile_fields"}
# A path's last segment, when its items are not named after it.
ITEMS = {"related": "products", "analysts": "users"}
TAKE_URL = re.compile(r"^https://[^/]+(/courses/take/[^/]+/[^/]+/)(\d+)(.*)$")


class Labels:
    """Identifiers as labels in order of first appearance, one sequence per kind of row: two
    sites whose answers differ only by their ids read the same once labelled."""

    def __init__(self) -> None:
        self.labels: dict[str, dict[Any, str]] = {}

    def of(self, kind: str, value: Any) -> Any:
        if value is None:
            return None
        known = self.labels.setdefault(kind, {})
        return known.setdefault(value, f"{kind}#{len(known) + 1}")

    def body(self, value: Any, kind: str) -> Any:
        if isinstance(value, list):
            return [self.body(item, kind) for item in value]
        if not isinstance(value, dict):
            return value
        labelled = {}
        for key, item in value.items():
            if key == "id":
                labelled[key] = self.of(kind, item)
            elif key == "productable_id":
                labelled[key] = self.of(f"{value['productable_type'].lower()}s", item)
            elif key in NAMES:
                named = NAMES[key]
                many = isinstance(item, list)
                labelled[key] = [self.of(named, i) for i in item] if many else self.of(named, item)
            elif key == "token":  # a group's: unique across the server, like an id
                labelled[key] = "token"
            elif key == "take_url":
                match = TAKE_URL.match(item)
                assert match, item
                labelled[key] = f"{match[1]}{self.of('contents', int(match[2]))}{match[3]}"
            else:
                labelled[key] = self.body(item, NESTED.get(key, kind))
        return labelled


def _pages(site: SiteClient, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    page: int | None = 1
    while page is not None:
        response = site.get(path, params={**params, "page": page, "limit": 250})
        assert response.status_code == 200, (path, response.text)
        body: dict[str, Any] = response.json()
        yield body
        page = body["meta"]["pagination"]["next_page"]


def _kind(operation: str) -> str:
    """What the rows an operation answers are: its path's last segment that is no parameter."""
    segment = [part for part in operation.split("/") if part and not part.startswith("{")][-1]
    return ITEMS.get(segment, segment)


# Lists that need their parent in the query string, by the parameter's name.
BY_QUERY = {"promotion_id": "promotions", "course_id": "courses"}


class AsTheyAre(Labels):
    """Identifiers left as they are: the same site's answers at two moments compare whole."""

    def body(self, value: Any, kind: str) -> Any:
        return value


def answers(
    site: SiteClient, labels: Labels | None = None
) -> tuple[list[tuple[str, Any]], set[str]]:
    """Every answer of every GET operation of the Admin API (found in our OpenAPI), labelled
    (``Labels``, unless told otherwise), in a fixed order: each list, every page; each list of
    each parent's children; each row by its id. With the operations it could not ask: those
    needing a value that no list gives."""
    spec = site.http.app.openapi()  # type: ignore[attr-defined]
    queries = {
        path.removeprefix(PREFIX): [
            parameter["name"]
            for parameter in methods["get"].get("parameters", [])
            if parameter.get("required") and parameter["in"] == "query"
        ]
        for path, methods in spec["paths"].items()
        if path.startswith(PREFIX) and "get" in methods
    }
    labels = labels or Labels()
    found: list[tuple[str, Any]] = []
    ids: dict[str, list[Any]] = {}

    def ask(operation: str, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The operation's answers (every page of a list): labelled into ``found``; its items."""
        if operation.endswith("}") or operation.endswith("/analysts"):  # one object
            response = site.get(path, params=params)
            assert response.status_code == 200, (path, response.text)
            found.append((operation, labels.body(response.json(), _kind(operation))))
            return []
        items = []
        for body in _pages(site, path, params):
            found.append((operation, labels.body(body, _kind(operation))))
            items += body["items"]
        return items

    # The lists of a site's rows, first: they name every row the others need.
    for operation, query in sorted(queries.items()):
        if "{" not in operation and not query:
            ids[_kind(operation)] = [item["id"] for item in ask(operation, operation, {})]
    ids["bundles"] = [
        item["productable_id"]
        for item in _every(site, "/products")
        if item["productable_type"] == "Bundle"
    ]
    listed = set(ids)
    pending = {
        operation: query for operation, query in queries.items() if "{" in operation or query
    }
    progress = True
    while progress:
        progress = False
        for operation, query in sorted(pending.items()):
            names = re.findall(r"{(\w+)}", operation)
            if len(names) + len(query) != 1 or any(name not in BY_QUERY for name in query):
                continue
            parent = BY_QUERY[query[0]] if query else operation.split("/")[1]
            if parent not in ids:
                continue
            items = []
            for parent_id in ids[parent]:
                if query:
                    items += ask(operation, operation, {query[0]: parent_id})
                else:
                    items += ask(
                        operation, operation.replace(f"{{{names[0]}}}", str(parent_id)), {}
                    )
            kind = _kind(operation)
            if kind not in listed and items:
                ids.setdefault(kind, []).extend(item["id"] for item in items)
            del pending[operation]
            progress = True
    return found, set(pending)


def _every(site: SiteClient, path: str) -> list[dict[str, Any]]:
    return [item for body in _pages(site, path, {}) for item in body["items"]]


def difference(want: Any, got: Any, at: str = "") -> str | None:
    """Where two JSON values first differ, and how; None when they are equal."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in [*want, *(key for key in got if key not in want)]:
            found = difference(want.get(key, "<missing>"), got.get(key, "<missing>"), f"{at}.{key}")
            if found:
                return found
        return None
    if isinstance(want, list) and isinstance(got, list):
        for index, (one, other) in enumerate(zip(want, got, strict=False)):
            found = difference(one, other, f"{at}[{index}]")
            if found:
                return found
        return None if len(want) == len(got) else f"{at}: {len(want)} items, then {len(got)}"
    return None if want == got else f"{at}: {want!r}, then {got!r}"
