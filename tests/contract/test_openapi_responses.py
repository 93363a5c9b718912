"""Every operation we serve under /api/public/v1 and /api/v2 is exercised over HTTP
(tests/contract/harness.py, with each resource's exercises in ``tests/<resource>/contract.py``)
and every response is checked against our own OpenAPI document. The operations are discovered
from ``create_app().openapi()``, so a new route is picked up by itself, and fails here until
someone registers its exercise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from syllabus.api import ADMIN_PREFIX
from tests.contract.harness import (
    AUTHENTICATION_ERROR,
    EXERCISES,
    OPERATIONS,
    PAGINATION_KEYS,
    RECORD_NOT_FOUND,
    SERVED,
    Contract,
    discover,
    operations_of,
    shape,
    url_of,
)
from tests.support import SiteClient

discover()


@pytest.fixture(scope="module")
def served(http: TestClient) -> dict[str, Any]:
    return http.app.openapi()  # type: ignore[attr-defined,no-any-return]


def test_operations_are_discovered(served: dict[str, Any]) -> None:
    assert operations_of(served) == OPERATIONS
    assert ("GET", "/users") in OPERATIONS
    assert ("GET", "/api/v2/webhooks") in OPERATIONS


@pytest.mark.parametrize(("method", "template"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_responses_match_the_openapi_document(
    method: str,
    template: str,
    served: dict[str, Any],
    site: SiteClient,
    other_site: SiteClient,
) -> None:
    run = EXERCISES.get(shape(method, template))
    if run is None:
        pytest.fail(
            f"{method} {template} has no exercise: add one to EXERCISES in {__name__}, "
            "with valid data and its error cases"
        )
    spec = served["paths"][url_of(template)][method.lower()]
    contract = Contract(method, template, spec, served, site, other_site)
    run(contract)
    seen = set(contract.statuses)
    assert any(200 <= status < 300 for status in seen), f"no success exercised: {sorted(seen)}"
    missing = contract.required_statuses() - seen
    assert not missing, f"{method} {template}: the exercise never checks {sorted(missing)}"
    listed = contract.is_list or contract.is_cursor_list
    assert contract.paged or not listed, "a list must be walked (page_through, cursor_through)"


def _resolver(openapi: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    schemas = openapi.get("components", {}).get("schemas", {})

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].removeprefix("#/components/schemas/")]
        return schema

    return resolve


def _nullable_integer(schema: dict[str, Any]) -> bool:
    if "anyOf" in schema:
        return sorted(branch.get("type") for branch in schema["anyOf"]) == ["integer", "null"]
    return sorted(schema.get("type", [])) == ["integer", "null"]


def _get_operations(openapi: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for template, operations in openapi["paths"].items():
        if template.startswith(ADMIN_PREFIX + "/") and "get" in operations:
            yield template, operations["get"]


def _success_schema(operation: dict[str, Any]) -> dict[str, Any]:
    response = operation["responses"].get("200", {})
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return _resolver(SERVED)(schema)


# A list is anything that takes page and limit, or answers items: both must be the envelope.
LIST_OPERATIONS = sorted(
    template
    for template, operation in _get_operations(SERVED)
    if {"page", "limit"} & {p["name"] for p in operation.get("parameters", [])}
    # An order has `items` of its own: a list answers items AND meta.
    or {"items", "meta"} <= set(_success_schema(operation).get("properties", {}))
)


@pytest.mark.parametrize("template", LIST_OPERATIONS)
def test_lists_document_the_items_and_pagination_envelope(template: str) -> None:
    resolve = _resolver(SERVED)
    operation = SERVED["paths"][template]["get"]
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    assert {"page", "limit"} <= query
    envelope = _success_schema(operation)
    assert set(envelope["properties"]) == {"items", "meta"}
    assert set(envelope["required"]) == {"items", "meta"}
    assert envelope["properties"]["items"]["type"] == "array"
    meta = resolve(envelope["properties"]["meta"])
    assert (set(meta["properties"]), set(meta["required"])) == ({"pagination"}, {"pagination"})
    page = resolve(meta["properties"]["pagination"])
    assert set(page["properties"]) == set(page["required"]) == PAGINATION_KEYS
    fields = page["properties"]
    assert [fields[k]["type"] for k in ("current_page", "total_pages", "total_items")] == [
        "integer"
    ] * 3
    assert _nullable_integer(fields["next_page"])
    assert _nullable_integer(fields["prev_page"])
    assert fields["entries_info"]["type"] == "string"


def test_the_users_list_is_recognised_as_a_list() -> None:
    assert f"{ADMIN_PREFIX}/users" in LIST_OPERATIONS
    assert f"{ADMIN_PREFIX}/users/{{id}}" not in LIST_OPERATIONS


ERROR_BODIES = {
    400: {"error": "Parameter promotion_id is required."},
    401: AUTHENTICATION_ERROR,
    404: RECORD_NOT_FOUND,
    413: {"error": "Request body is too large."},
    422: {"errors": {"email": ["has already been taken"]}},
}
# /api/v2's 422s map each field to one message (FIDELITY §5).
V2_ERROR_BODIES = {**ERROR_BODIES, 422: {"errors": {"topic": "invalid format"}}}


def test_error_responses_document_thinkific_error_bodies() -> None:
    """Each documented 4xx schema must accept Thinkific's body and reject FastAPI's ``detail``.

    Otherwise validating a response cannot tell ``{"error": "Record not found."}`` from
    ``{"detail": "Not Found"}``, the regression that matters most to Thinkific clients.
    """
    registry: Registry[Any] = Registry().with_resource(
        "urn:served", DRAFT202012.create_resource(SERVED)
    )
    loose: dict[str, list[str]] = {}
    for method, template in OPERATIONS:
        responses = SERVED["paths"][url_of(template)][method.lower()]["responses"]
        bodies = V2_ERROR_BODIES if url_of(template) == template else ERROR_BODIES
        for status in sorted(responses):
            if not status.startswith("4"):
                continue
            pointer = "/".join(
                part.replace("~", "~0").replace("/", "~1")
                for part in (
                    "paths",
                    url_of(template),
                    method.lower(),
                    "responses",
                    status,
                    "content",
                    "application/json",
                    "schema",
                )
            )
            validator = Draft202012Validator({"$ref": f"urn:served#/{pointer}"}, registry=registry)
            thinkific = bodies.get(int(status), {"error": "message"})
            if not validator.is_valid(thinkific) or validator.is_valid({"detail": "Not Found"}):
                loose.setdefault(status, []).append(f"{method} {template}")
    assert not loose, "documented error schemas that accept {'detail': ...}:\n" + "\n".join(
        f"  {status}: {', '.join(operations)}" for status, operations in sorted(loose.items())
    )
