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
from tests.support import PREFIX, SiteClient

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


def bulk_courses(site: SiteClient, count: int) -> list[int]:
    """Bare courses (no product, chapters or admins) in one transaction, for big pages."""
    rows = [
        {
            "site_id": site.id,
            "name": f"Bulk {n}",
            "slug": f"bulk-{n}",
            "reviews_enabled": False,
            "created_at": FIXED,
            "updated_at": FIXED,
        }
        for n in range(count)
    ]
    return site.db(
        lambda s: list(
            s.scalars(insert(Course).returning(Course.id, sort_by_parameter_order=True), rows)
        )
    )


def bulk_definitions(site: SiteClient, count: int) -> list[int]:
    rows = [
        {
            "site_id": site.id,
            "label": f"Bulk {n}",
            "field_type": "text",
            "required": False,
            "created_at": FIXED,
            "updated_at": FIXED,
        }
        for n in range(count)
    ]
    return site.db(
        lambda s: list(
            s.scalars(
                insert(CustomProfileFieldDefinition).returning(
                    CustomProfileFieldDefinition.id, sort_by_parameter_order=True
                ),
                rows,
            )
        )
    )


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
