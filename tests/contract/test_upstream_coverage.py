"""Our operations against Thinkific's: nothing invented, and docs/coverage.md tells the truth.

Reads Thinkific's Admin API OpenAPI document in place, at ``../shared/thinkific/`` beside the
repository; without it there is nothing to compare with, and these tests skip.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from syllabus.api import ADMIN_PREFIX

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "thinkific" / "admin-api-openapi.yml"
COVERAGE = ROOT / "docs" / "coverage.md"
METHODS = ("get", "post", "put", "patch", "delete")
LINE = re.compile(r"^- \[(?P<mark>[ x])\] `(?P<method>[A-Z]+) (?P<path>/[^`]*)`$")
REGENERATE = "regenerate it with `.venv/bin/python scripts/coverage.py`"

pytestmark = pytest.mark.skipif(
    not SPEC.is_file(),
    reason=f"Thinkific's Admin API OpenAPI document is not at {SPEC}: nothing to compare with",
)


def shape(method: str, path: str) -> tuple[str, str]:
    return method.upper(), re.sub(r"\{[^}]*\}", "{}", path)


@pytest.fixture(scope="module")
def upstream() -> list[tuple[str, str]]:
    with SPEC.open(encoding="utf-8") as stream:
        spec = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return [
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in METHODS
    ]


@pytest.fixture(scope="module")
def served(http: TestClient) -> list[tuple[str, str]]:
    openapi: dict[str, Any] = http.app.openapi()  # type: ignore[attr-defined]
    return [
        (method.upper(), path.removeprefix(ADMIN_PREFIX))
        for path, operations in openapi["paths"].items()
        if path.startswith(ADMIN_PREFIX + "/")
        for method in operations
        if method in METHODS
    ]


def test_upstream_document_is_read(upstream: list[tuple[str, str]]) -> None:
    assert ("GET", "/users") in upstream
    assert ("PUT", "/enrollments/{id}") in upstream
    assert len(upstream) == len(set(upstream))


def test_every_served_operation_exists_upstream(
    upstream: list[tuple[str, str]], served: list[tuple[str, str]]
) -> None:
    known = {shape(*operation) for operation in upstream}
    invented = sorted(f"{m} {p}" for m, p in served if shape(m, p) not in known)
    assert served, "the app serves no operation under the Admin API prefix"
    assert not invented, f"served under {ADMIN_PREFIX} but not in Thinkific's API: {invented}"


def test_coverage_lists_exactly_the_upstream_operations(
    upstream: list[tuple[str, str]], served: list[tuple[str, str]]
) -> None:
    assert COVERAGE.is_file(), f"{COVERAGE} is missing: {REGENERATE}"
    listed: dict[tuple[str, str], bool] = {}
    for line in COVERAGE.read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        if match is None:
            assert not line.startswith("- ["), f"malformed coverage line {line!r}: {REGENERATE}"
            continue
        operation = (match["method"], match["path"])
        assert operation not in listed, f"{operation} is listed twice: {REGENERATE}"
        listed[operation] = match["mark"] == "x"

    served_shapes = {shape(*operation) for operation in served}
    expected = {operation: shape(*operation) in served_shapes for operation in upstream}
    missing = sorted(set(expected) - set(listed))
    extra = sorted(set(listed) - set(expected))
    wrong = sorted(
        f"{'[x]' if is_served else '[ ]'} {method} {path}"
        for (method, path), is_served in expected.items()
        if (method, path) in listed and listed[(method, path)] != is_served
    )
    assert (missing, extra, wrong) == ([], [], []), (
        f"docs/coverage.md is stale ({REGENERATE}).\n"
        f"  not listed: {missing}\n  not upstream: {extra}\n  should be: {wrong}"
    )
    assert any(listed.values()), "docs/coverage.md checks no operation"
