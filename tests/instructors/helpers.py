"""Builders for instructor tests: the instructor Thinkific sends, whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from syllabus.models import Instructor
from tests.promotions.helpers import FIXED_TEXT
from tests.support import SiteClient, overridden


def instructor_body(instructor_id: int, **overrides: Any) -> dict[str, Any]:
    """An instructor as the API renders it, in the spec's InstructorResponse order; the defaults
    are Ada Lovelace's, with nothing optional, made at FIXED."""
    body: dict[str, Any] = {
        "id": instructor_id,
        "user_id": None,
        "title": None,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "bio": None,
        "slug": "ada-lovelace",
        "avatar_url": None,
        "email": None,
        "created_at": FIXED_TEXT,
    }
    return overridden(body, overrides)


def count_instructors(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(Instructor.site_id == site.id)))
