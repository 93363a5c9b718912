"""Builders for enrollment tests: people and courses whose wire values the tests know."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select

from syllabus.models import Enrollment
from tests.events.helpers import recorded_events as recorded_events
from tests.factories import make_course, make_user
from tests.support import SiteClient, overridden

NOW = datetime(2025, 1, 10, 9, 15, 30, 250000, tzinfo=UTC)
NOW_TEXT = "2025-01-10T09:15:30.250Z"
FIXED_TEXT = "2024-02-22T20:32:52.726Z"

FIELD_ORDER = [
    "id",
    "created_at",
    "user_email",
    "user_name",
    "expiry_date",
    "user_id",
    "course_name",
    "course_id",
    "percentage_completed",
    "completed_at",
    "expired",
    "is_free_trial",
    "completed",
    "started_at",
    "activated_at",
    "updated_at",
]

_names = itertools.count(1)


@dataclass(frozen=True)
class Learner:
    id: int
    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class CourseRef:
    id: int
    name: str


def new_learner(site: SiteClient, email: str | None = None) -> Learner:
    n = next(_names)
    first, last = f"Ada{n}", f"Lovelace{n}"
    email = email or f"ada{n}@example.com"
    return Learner(
        make_user(site, first_name=first, last_name=last, email=email), email, first, last
    )


def new_course(site: SiteClient) -> CourseRef:
    name = f"Corporate Course {next(_names)}"
    return CourseRef(make_course(site, name=name), name)


def enroll(site: SiteClient, user_id: Any, course_id: Any, **fields: Any) -> httpx.Response:
    """POST /enrollments with this ``course_id`` and ``user_id`` (ids or junk), and ``fields``."""
    return site.post("/enrollments", json={"course_id": course_id, "user_id": user_id, **fields})


def enrollment_body(
    enrollment_id: int, user: Learner, course: CourseRef, **overrides: Any
) -> dict[str, Any]:
    """An enrollment as the API renders it; defaults are a factory row (FIXED, full, 0%)."""
    body: dict[str, Any] = {
        "id": enrollment_id,
        "created_at": FIXED_TEXT,
        "user_email": user.email,
        "user_name": f"{user.first_name} {user.last_name}",
        "expiry_date": None,
        "user_id": user.id,
        "course_name": course.name,
        "course_id": course.id,
        "percentage_completed": "0.0",
        "completed_at": None,
        "expired": False,
        "is_free_trial": False,
        "completed": False,
        "started_at": None,
        "activated_at": FIXED_TEXT,
        "updated_at": FIXED_TEXT,
    }
    return overridden(body, overrides)


def event_payload(
    enrollment_id: int, user: Learner, course: CourseRef, **overrides: Any
) -> dict[str, Any]:
    """The webhook-shaped payload (FIDELITY §7.2), keys in alphabetical order."""
    payload: dict[str, Any] = {
        "activated_at": FIXED_TEXT,
        "completed_at": None,
        "course": {"id": course.id, "name": course.name},
        "course_id": course.id,
        "created_at": FIXED_TEXT,
        "expiry_date": None,
        "free_trial": False,
        "id": enrollment_id,
        "percentage_completed": "0.0",
        "started_at": None,
        "updated_at": FIXED_TEXT,
        "user": {
            "email": user.email,
            "first_name": user.first_name,
            "id": user.id,
            "last_name": user.last_name,
        },
    }
    return overridden(payload, overrides)


def stored_enrollments(site: SiteClient) -> list[tuple[int, int, int]]:
    """(id, user_id, course_id) of every enrollment row of the site."""
    return site.db(
        lambda s: [
            (e.id, e.user_id, e.course_id)
            for e in s.scalars(
                select(Enrollment).where(Enrollment.site_id == site.id).order_by(Enrollment.id)
            )
        ]
    )
