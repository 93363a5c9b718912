"""Request parsing rules that HTTP tests cannot pin down: an id that happens to exist elsewhere."""

from __future__ import annotations

from typing import Any

import pytest

from syllabus.enrollments.schemas import EnrollmentCreate


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        (7, 7),
        ("7", 7),
        (" 7 ", 7),
        ("7.0", 7),
        (7.0, 7),
        (2**63 - 1, 2**63 - 1),
        (True, None),
        (False, None),
        (2**63, None),
        (0, None),
        ("-7", None),
        ("+7", None),
        ("7e0", None),
        ("\uff17", None),
        (7.5, None),
        (float("inf"), None),
        (float("nan"), None),
        ({"id": 7}, None),
    ],
)
def test_ids_are_lenient_but_never_guess(raw: Any, parsed: int | None) -> None:
    assert EnrollmentCreate.model_validate({"course_id": raw, "user_id": raw}).model_dump() == {
        "course_id": parsed,
        "user_id": parsed,
        "activated_at": None,
        "expiry_date": None,
    }
