"""Our /api/v2 against Thinkific's Webhooks and Events specs: the same operations (served at
``/api/v2``, although the specs name the Admin API's base: FIDELITY §1), their operationIds, the
list's parameters and the bodies' fields.

Reads the specs in place, at ``../shared/thinkific/`` beside the repository; without them there
is nothing to compare with, and these tests skip. (docs/coverage.md covers the Admin API only.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from syllabus.kit.routing import V2_PREFIX
from tests.contract.harness import METHODS, SERVED

ROOT = Path(__file__).resolve().parents[2]
SPECS = [
    ROOT.parent / "shared" / "thinkific" / "webhooks-api-openapi.yml",
    ROOT.parent / "shared" / "thinkific" / "events-api-openapi.yml",
]

pytestmark = pytest.mark.skipif(
    not all(spec.is_file() for spec in SPECS),
    reason=f"Thinkific's Webhooks and Events OpenAPI documents are not at {SPECS[0].parent}",
)


def shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _operations(paths: dict[str, Any], prefix: str = "") -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), shape(path.removeprefix(prefix))): operation
        for path, operations in paths.items()
        if path.startswith(prefix + "/")
        for method, operation in operations.items()
        if method in METHODS
    }


@pytest.fixture(scope="module")
def upstream() -> dict[str, Any]:
    """Both specs' paths and schemas, as one document."""
    merged: dict[str, Any] = {"paths": {}, "schemas": {}}
    for spec in SPECS:
        with spec.open(encoding="utf-8") as stream:
            document = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        merged["paths"].update(document["paths"])
        merged["schemas"].update(document["components"]["schemas"])
    return merged


SERVED_V2 = _operations(SERVED["paths"], V2_PREFIX)


def test_serves_exactly_the_upstream_operations(upstream: dict[str, Any]) -> None:
    assert set(SERVED_V2) == set(_operations(upstream["paths"]))
    assert ("DELETE", "/webhooks/{}") in SERVED_V2


def test_operation_ids_are_upstreams_where_it_names_them(upstream: dict[str, Any]) -> None:
    named = {
        key: operation["operationId"]
        for key, operation in _operations(upstream["paths"]).items()
        if "operationId" in operation
    }
    assert named, "the specs name no operation"
    assert {key: SERVED_V2[key]["operationId"] for key in named} == named


def test_the_list_takes_upstreams_query_parameters(upstream: dict[str, Any]) -> None:
    def query(operation: dict[str, Any]) -> set[str]:
        return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}

    theirs = _operations(upstream["paths"])[("GET", "/webhooks")]
    assert query(SERVED_V2[("GET", "/webhooks")]) == query(theirs) == {"next", "limit"}


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [("WebhookRead", "WebhookResponse"), ("EventV2Read", "EventResponse")],
)
def test_bodies_carry_upstreams_fields(upstream: dict[str, Any], ours: str, theirs: str) -> None:
    fields = SERVED["components"]["schemas"][ours]["properties"]
    assert set(fields) == set(upstream["schemas"][theirs]["properties"])


def test_the_list_page_carries_the_examples_fields(upstream: dict[str, Any]) -> None:
    """``meta.page`` as the spec's example has it; its schema also lists ``total_pages``, which
    the example, like a cursor, leaves out."""
    operation = upstream["paths"]["/webhooks"]["get"]
    example = operation["responses"][200]["content"]["application/json"]["example"]
    page = SERVED["components"]["schemas"]["CursorPage"]["properties"]
    assert list(page) == list(example["meta"]["page"])
