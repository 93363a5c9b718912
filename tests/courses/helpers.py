"""Helpers shared by the course, chapter, content and profile-field tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import event, insert

from syllabus.auth import forget_credentials
from syllabus.models import Course, CustomProfileFieldDefinition
from tests.factories import FIXED
from tests.support import AUTHENTICATION_ERROR, PREFIX, SiteClient, assert_answers, overridden

SPEC = Path(__file__).resolve().parents[3] / "shared" / "thinkific" / "admin-api-openapi.yml"


@contextmanager
def count_statements(site: SiteClient) -> Iterator[list[str]]:
    """Collect every SQL statement the app's engine runs inside the block.

    Credentials are forgotten first, so every counted request includes its auth lookup.
    """
    forget_credentials()
    statements: list[str] = []

    def before_cursor_execute(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(site.database.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(site.database.engine, "before_cursor_execute", before_cursor_execute)


def _bulk(site: SiteClient, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` of ``model`` for the site in one transaction; their ids, in order."""
    stamped = [
        {"site_id": site.id, **row, "created_at": FIXED, "updated_at": FIXED} for row in rows
    ]
    return site.db(
        lambda s: list(
            s.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), stamped)
        )
    )


# Credentials that fail on the site's own subdomain: none, a wrong key, a bearer that is no key.
WRONG_KEYS = [{}, {"X-Auth-API-Key": "0" * 32}, {"Authorization": "Bearer nope"}]


def assert_rejected(site: SiteClient, path: str, headers: dict[str, str]) -> None:
    """GET ``path`` on the site's subdomain, with ``headers`` as credentials, is a 401."""
    response = site.http.get(PREFIX + path, headers={**headers, "X-Auth-Subdomain": site.subdomain})
    assert_answers(response, 401, AUTHENTICATION_ERROR)


def bulk_courses(site: SiteClient, count: int) -> list[int]:
    """Bare courses (no product, chapters or admins) in one transaction, for big pages."""
    rows = [
        {"name": f"Bulk {n}", "slug": f"bulk-{n}", "reviews_enabled": False} for n in range(count)
    ]
    return _bulk(site, Course, rows)


def bulk_definitions(site: SiteClient, count: int) -> list[int]:
    rows = [{"label": f"Bulk {n}", "field_type": "text", "required": False} for n in range(count)]
    return _bulk(site, CustomProfileFieldDefinition, rows)


def chapter_body(chapter_id: int, name: str, position: int, **overrides: Any) -> dict[str, Any]:
    """A chapter as Thinkific sends it, in the spec's ChapterResponse order."""
    body: dict[str, Any] = {
        "id": chapter_id,
        "name": name,
        "position": position,
        "description": None,
        "duration_in_seconds": None,
        "content_ids": [],
    }
    return overridden(body, overrides)


@cache
def upstream_spec() -> dict[str, Any]:
    """The upstream spec; a test that needs it skips, saying why, when it is absent."""
    if not SPEC.is_file():
        pytest.skip(f"Thinkific's Admin API OpenAPI document is not at {SPEC}: nothing to compare")
    with SPEC.open() as handle:
        spec: dict[str, Any] = yaml.safe_load(handle)
    return spec


def upstream_properties(schema: str) -> list[str]:
    """The property names of an upstream response schema, in the spec's order."""
    return list(upstream_spec()["components"]["schemas"][schema]["properties"])


def our_operation(site: SiteClient, path: str) -> dict[str, Any]:
    spec = site.http.get("/openapi.json").json()
    operation: dict[str, Any] = spec["paths"][PREFIX + path]["get"]
    return operation


def our_properties(site: SiteClient, ref: str) -> list[str]:
    spec = site.http.get("/openapi.json").json()
    name = ref.rsplit("/", 1)[-1]
    return list(spec["components"]["schemas"][name]["properties"])


def check_documented_get(
    site: SiteClient, path: str, operation_id: str, schema: str, upstream: str | None = None
) -> None:
    """GET ``path`` is documented as ``operation_id`` answering ``schema``, whose properties
    are the ``upstream`` schema's, in its order."""
    operation = our_operation(site, path)
    assert operation["operationId"] == operation_id
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == f"#/components/schemas/{schema}"
    if upstream:
        assert our_properties(site, ref) == upstream_properties(upstream)
