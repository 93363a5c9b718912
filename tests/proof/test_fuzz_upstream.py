"""Fuzzing from Thinkific's own documents: schemathesis drives every operation of Thinkific's
Admin API, Webhooks API and Events API OpenAPI documents with generated requests, valid and not,
authenticated as a real site seeded with a few records of every kind, on the suite's database
(SQLite, and PostgreSQL with ``SYLLABUS_TEST_DATABASE_URL``).

What it proves: whatever a client written against Thinkific's documents sends, no answer is a
5xx, and every 4xx is one of our JSON error bodies (``{"error": message}`` or
``{"errors": ...}``, errors.py). We serve every operation the documents name; one we did not
would answer 404 ``No route matches``, which passes. Answers are not held to the documents'
schemas: the documents are reference only, and wrong in places.

The documents are read in place, at ``../shared/thinkific/`` beside the repository, never copied
here; a document that is not there skips its operations. All three name the Admin API's base;
the Admin API is served at ``/api/public/v1``, Webhooks and Events at ``/api/v2`` (FIDELITY §1).
Generated path ids rarely name a real row, so about half of the examples aim their ids (path,
``*_id`` query parameters and ``*_id``/``*_ids`` body fields) at the seeded rows.

The number of examples per operation is bounded (``FUZZ_UPSTREAM_EXAMPLES``, default 12) so that
the suite stays fast; raise it locally to search harder. Each 5xx found this way, or while
probing around it, is fixed and kept as a plain regression test in ``test_hostile.py``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.schemas import APIOperation
from sqlalchemy.orm import Session

from syllabus.kit.routing import ADMIN_PREFIX, V2_PREFIX
from syllabus.models import Event, SiteScript
from tests import factories as f
from tests.support import SiteClient, httpx_arguments

T = TypeVar("T")
EXAMPLES = int(os.environ.get("FUZZ_UPSTREAM_EXAMPLES", "12"))
UPSTREAM = Path(__file__).resolve().parents[3] / "shared" / "thinkific"
# Each document, and where we serve what it describes.
DOCUMENTS = {
    "admin-api-openapi.yml": ADMIN_PREFIX,
    "webhooks-api-openapi.yml": V2_PREFIX,
    "events-api-openapi.yml": V2_PREFIX,
}
METHODS = ("get", "post", "put", "patch", "delete")
# The kind of row a path's ``{id}`` names, by the path's first segment.
SEGMENT_KINDS = {
    "bundles": "bundle",
    "chapters": "chapter",
    "collections": "collection",
    "collection_memberships": "collection",
    "contents": "content",
    "coupons": "coupon",
    "course_reviews": "course_review",
    "courses": "course",
    "custom_profile_field_definitions": "custom_profile_field",
    "enrollments": "enrollment",
    "events": "event",
    "external_orders": "external_order",
    "group_analysts": "user",
    "groups": "group",
    "instructors": "instructor",
    "orders": "order",
    "product_publish_requests": "product_publish_request",
    "products": "product",
    "promotions": "promotion",
    "site_scripts": "site_script",
    "users": "user",
    "webhooks": "webhook",
}
# Field names whose kind is not their stem.
ALIASES = {
    "related_product": "product",
    "administrator_user": "user",
    "administered_course": "course",
}
ID_FIELD = re.compile(r"(?:query\[)?(?P<stem>\w+?)_id(?P<many>s?)\]?")

# Requests sent and answers, by operation.
SENT: Counter[str] = Counter()
STATUSES: dict[str, Counter[int]] = {}


def _load(name: str, prefix: str) -> dict[str, Any]:
    """The document, its paths under ``prefix`` (the tests' app has no other base)."""
    with (UPSTREAM / name).open(encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    document.pop("servers", None)
    document["paths"] = {prefix + path: item for path, item in document["paths"].items()}
    return dict(document)


def _operations() -> tuple[dict[str, APIOperation], dict[str, Path]]:
    operations: dict[str, APIOperation] = {}
    absent: dict[str, Path] = {}
    for name, prefix in DOCUMENTS.items():
        if not (UPSTREAM / name).is_file():
            absent[f"{name} (absent)"] = UPSTREAM / name
            continue
        schema = schemathesis.openapi.from_dict(_load(name, prefix))
        for result in schema.get_all_operations():
            operation = result.ok()
            operations[operation.label] = operation
    return operations, absent


OPERATIONS, ABSENT = _operations()


@dataclass
class _Batch(SiteClient):
    """The site, for the factories, each of whose rows joins one open transaction."""

    session: Session | None = None

    def db(self, work: Callable[[Session], T]) -> T:
        assert self.session is not None
        return work(self.session)


@pytest.fixture
def seeded(site: SiteClient) -> dict[str, list[Any]]:
    """A few real rows of every kind on the site, written in one transaction: their public ids,
    by kind."""
    with site.database.transaction() as session:
        return _seed(_Batch(site.http, site.database, site.id, site.subdomain, site.key, session))


def _seed(site: _Batch) -> dict[str, list[Any]]:
    assert site.session is not None
    users = [f.make_user(site) for _ in range(3)]
    products = [f.make_product(site) for _ in range(3)]
    courses = [f.make_course(site, product_id=product) for product in products[:2]]
    chapter = f.make_chapter(site, courses[0])
    group = f.make_group(site)
    f.add_member(site, group, users[0])
    f.add_analyst(site, group, users[1])
    collection = f.make_collection(site)
    f.add_to_collection(site, collection, products[0])
    promotion = f.make_promotion(site, [products[0]])
    script = site.session.get_one(SiteScript, f.make_site_script(site))
    event = Event(
        site_id=site.id,
        resource="user",
        action="signup",
        payload={"id": users[0]},
        created_at=f.FIXED,
    )
    site.session.add(event)
    site.session.flush()
    return {
        "user": users,
        "product": products,
        "course": courses,
        "chapter": [chapter],
        "content": [f.make_content(site, chapter, courses[0])],
        "enrollment": [
            f.make_enrollment(site, users[0], courses[0]),
            f.make_enrollment(site, users[1], courses[1]),
        ],
        "group": [group],
        "collection": [collection],
        "bundle": [f.make_bundle(site, courses)],
        "promotion": [promotion],
        "coupon": [f.make_coupon(site, promotion)],
        "order": [f.make_order(site, users[0], products[0])],
        "external_order": [f.make_external_order(site, users[0], products[0])],
        "course_review": [f.make_course_review(site, courses[0], users[0])],
        "instructor": [f.make_instructor(site)],
        "product_publish_request": [f.make_publish_request(site, products[2])],
        "custom_profile_field": [f.make_profile_field_definition(site)],
        "site_script": [script.script_id],
        "webhook": [f.make_webhook(site)],
        "event": [event.public_id],
    }


def test_every_upstream_operation_is_fuzzed() -> None:
    if ABSENT:
        pytest.skip(f"Thinkific's documents are not all there: {sorted(map(str, ABSENT.values()))}")
    assert "GET /api/public/v1/users" in OPERATIONS
    assert "DELETE /api/v2/webhooks/{id}" in OPERATIONS
    assert "GET /api/v2/events/{id}" in OPERATIONS
    documented = 0
    for name, prefix in DOCUMENTS.items():
        paths = _load(name, prefix)["paths"]
        documented += sum(method in METHODS for item in paths.values() for method in item)
    assert len(OPERATIONS) == documented


@pytest.mark.parametrize("label", sorted(OPERATIONS) + sorted(ABSENT))
def test_no_5xx_and_every_4xx_is_our_json_error(
    label: str, site: SiteClient, seeded: dict[str, list[Any]]
) -> None:
    if label in ABSENT:
        pytest.skip(f"Thinkific's OpenAPI document is not at {ABSENT[label]}: nothing to fuzz")
    operation = OPERATIONS[label]
    STATUSES[label] = Counter()
    # Valid requests and, as often, invalid ones (a wrong type, a missing required field...).
    cases = st.one_of(operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=cases, data=st.data())
    def fuzz(case: Case, data: st.DataObject) -> None:
        if data.draw(st.booleans(), label="aim ids at seeded rows"):
            _aim(case, seeded, data)
        request = case.as_transport_kwargs(base_url="http://testserver", headers=site.headers)
        # The site's API key authenticates every request: a generated Bearer token would win.
        request["headers"].pop("Authorization", None)
        response = site.http.request(**httpx_arguments(request))
        SENT[label] += 1
        STATUSES[label][response.status_code] += 1
        assert response.status_code < 500, _failure(case, response)
        if response.status_code >= 400:
            assert _is_error_body(response), _failure(case, response)

    fuzz()
    assert SENT[label] > 0, f"{label}: no request was generated"


def _aim(case: Case, seeded: dict[str, list[Any]], data: st.DataObject) -> None:
    """Point the case's ids (path, ``*_id`` query parameters, ``*_id(s)`` body fields) at
    seeded rows of their kind, so that requests reach past the lookup."""

    def real(kind: str | None) -> Any:
        return data.draw(st.sampled_from(seeded[kind])) if kind in seeded else None

    segment = case.operation.path.removeprefix(ADMIN_PREFIX).removeprefix(V2_PREFIX)
    segment_kind = SEGMENT_KINDS.get(segment.split("/")[1])
    for name in case.path_parameters or {}:
        kind = segment_kind if name == "id" else _kind(name)
        if (value := real(kind)) is not None:
            case.path_parameters[name] = value
    if isinstance(case.query, dict):
        for name in case.query:
            if (value := real(_kind(name))) is not None:
                case.query[name] = value
    if isinstance(case.body, dict):
        for name in case.body:
            match = ID_FIELD.fullmatch(name)
            if match and (value := real(_kind(name))) is not None:
                case.body[name] = [value] if match["many"] else value


def _kind(name: str) -> str | None:
    match = ID_FIELD.fullmatch(name)
    return None if match is None else ALIASES.get(match["stem"], match["stem"])


def _is_error_body(response: httpx.Response) -> bool:
    """``{"error": message}``, or ``{"errors": {field: ...}}`` / ``{"errors": [message]}``."""
    if response.headers.get("content-type", "").split(";")[0] != "application/json":
        return False
    body = response.json()
    if not isinstance(body, dict) or len(body) != 1:
        return False
    if "error" in body:
        return isinstance(body["error"], str) and bool(body["error"])
    return isinstance(body.get("errors"), dict | list) and bool(body["errors"])


def _failure(case: Case, response: httpx.Response) -> str:
    return f"{case.as_curl_command()}\n{response.status_code} {response.text}"
