"""Our OpenAPI document describes /api/v2 as it does the Admin API: the same credentials, the
scope each operation needs, and Thinkific's error bodies (a 422 with one message per field)."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.contract.harness import SERVED

# Each /api/v2 operation and the OAuth scope it needs.
SCOPES = [
    ("get", "/api/v2/webhooks", "read:webhooks"),
    ("post", "/api/v2/webhooks", "write:webhooks"),
    ("get", "/api/v2/webhooks/{id}", "read:webhooks"),
    ("put", "/api/v2/webhooks/{id}", "write:webhooks"),
    ("delete", "/api/v2/webhooks/{id}", "write:webhooks"),
    ("get", "/api/v2/events/{id}", "read:events"),
]


def test_every_v2_operation_is_listed() -> None:
    served = {
        (method, path)
        for path, operations in SERVED["paths"].items()
        if path.startswith("/api/v2/")
        for method in operations
    }
    assert served == {(method, path) for method, path, _ in SCOPES}


@pytest.mark.parametrize(("method", "path", "scope"), SCOPES)
def test_operations_name_the_credentials_and_their_scope(
    method: str, path: str, scope: str
) -> None:
    assert SERVED["paths"][path][method]["security"] == [
        {"ApiKey": [], "Subdomain": []},
        {"Bearer": []},
        {"OAuth": [scope]},
    ]


def _schema(path: str, method: str, status: str) -> Any:
    response = SERVED["paths"][path][method]["responses"][status]
    return response["content"]["application/json"]["schema"]


@pytest.mark.parametrize(("method", "path"), [("post", "/api/v2/webhooks")])
def test_a_422_maps_each_field_to_one_message(method: str, path: str) -> None:
    validator = Draft202012Validator(_schema(path, method, "422"))
    assert validator.is_valid({"errors": {"topic": "invalid format", "url": "is not valid"}})
    assert not validator.is_valid({"errors": {"topic": ["invalid format"]}})
    assert not validator.is_valid({"detail": [{"msg": "Field required"}]})
