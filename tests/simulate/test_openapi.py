"""The simulation is documented in our OpenAPI: under "Control plane", with its request bodies
and its answers, behind the admin token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

OPERATIONS = [
    ("lesson_completed", "LessonCompleted", "200", "EnrollmentRead"),
    ("user_signin", "UserSignin", "200", "UserRead"),
    ("quiz_attempted", "QuizAttempted", "201", "QuizAttemptedPayload"),
]


@pytest.mark.parametrize(("action", "request_schema", "status", "answer"), OPERATIONS)
def test_each_operation_is_documented(
    http: TestClient, action: str, request_schema: str, status: str, answer: str
) -> None:
    document = http.app.openapi()  # type: ignore[attr-defined]
    operation = document["paths"][f"/_syllabus/sites/{{subdomain}}/simulate/{action}"]["post"]
    assert operation["tags"] == ["Control plane"]
    assert operation["security"] == [{"AdminToken": []}]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": f"#/components/schemas/{request_schema}"}
    assert operation["responses"][status]["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{answer}"
    }


def test_the_request_schemas(http: TestClient) -> None:
    schemas = http.app.openapi()["components"]["schemas"]  # type: ignore[attr-defined]
    assert schemas["LessonCompleted"]["required"] == ["user_id", "content_id"]
    assert schemas["UserSignin"]["required"] == ["user_id"]
    quiz = schemas["QuizAttempted"]
    assert quiz["required"] == ["user_id", "content_id"]
    assert list(quiz["properties"]) == ["user_id", "content_id", "correct_count", "incorrect_count"]
    assert (
        quiz["properties"]["correct_count"]["default"],
        quiz["properties"]["incorrect_count"]["default"],
    ) == (1, 0)
