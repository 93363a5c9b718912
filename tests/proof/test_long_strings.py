"""Very long strings in every text field of every write: validated (a 422 in Thinkific's shape)
or stored and returned intact, never a 500 and never cut.

The operations and their text fields are enumerated from our OpenAPI, so a new write or a new
field is covered by itself. Each request is the operation's working base request (the one
``test_isolation.py`` proves succeeds on a site's own records) with one text field replaced by a
string far over any limit of ours, of characters outside ASCII (PostgreSQL counts characters,
SQLite bytes: both must agree). A second request sends the longest value the schema allows, which
is never refused as too long, and is returned whole where the answer echoes the field (a field
may be refused for its format: an email, a currency).
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from syllabus.db import Database
from tests.proof.test_isolation import (
    OPERATIONS,
    Operation,
    Probe,
    Slot,
    World,
    base,
    build,
    schema_of,
    send,
)
from tests.support import new_site

LONG = 100_000
CHARACTER = "é"
_sites = itertools.count(1)


def text_fields(operation: Operation) -> list[tuple[str, dict[str, Any]]]:
    """The body's top-level free-text fields (no enum, no format) and their schemas."""
    content = operation.spec.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return []
    properties = schema_of(schema).get("properties", {})
    return [
        (name, field)
        for name, raw in properties.items()
        if (field := schema_of(raw)).get("type") == "string"
        and "enum" not in field
        and "format" not in field
    ]


WRITES = [
    operation
    for operation in OPERATIONS
    if operation.method in ("POST", "PUT", "PATCH") and text_fields(operation)
]


@pytest.fixture
def world(http: TestClient, database: Database) -> World:
    return build(new_site(http, database, f"long{next(_sites)}x{id(http) % 10_000}"))


def _with(operation: Operation, world: World, name: str, value: str) -> httpx.Response:
    values = {**base(operation, world.main), Slot("body", name, "text"): value}
    return send(operation, world.site, Probe(values, {}))


def test_the_sweep_covers_the_writes_with_text() -> None:
    labels = {operation.label for operation in WRITES}
    assert {"POST /users", "PUT /users/{id}", "POST /api/v2/webhooks"} <= labels
    assert len(WRITES) >= 15


@pytest.mark.parametrize("operation", WRITES, ids=[operation.label for operation in WRITES])
def test_every_text_field_is_validated_or_kept_whole(operation: Operation, world: World) -> None:
    problems: list[str] = []
    for name, field in text_fields(operation):
        for value in (CHARACTER * LONG, CHARACTER * field.get("maxLength", 255)):
            answer = _with(operation, world, name, value)
            body = answer.json() if answer.content else None
            if answer.status_code >= 500:
                problems.append(f"{name} ({len(value)}): {answer.status_code} {answer.text[:200]}")
            elif answer.status_code >= 400:
                if not (isinstance(body, dict) and ({"error", "errors"} & body.keys())):
                    problems.append(f"{name} ({len(value)}): {answer.status_code} {body!r:.200}")
                elif len(value) < LONG and "is too long" in str(body):
                    problems.append(f"{name} at its limit ({len(value)}) refused: {body!r:.300}")
            elif isinstance(body, dict) and isinstance(body.get(name), str):
                returned = body[name]
                if returned != value and value.startswith(returned):
                    problems.append(f"{name} ({len(value)}): cut to {len(returned)} characters")
    assert not problems, "\n".join(problems)
