"""Builders for course review tests: the review Thinkific sends, whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from syllabus.models import CourseReview
from tests.promotions.helpers import FIXED_TEXT
from tests.support import SiteClient, overridden

# What a client sends to create a review, but the user.
REVIEW = {"rating": 4, "title": "My Review", "review_text": "It was great!", "approved": True}


def review_body(review_id: int, course_id: int, user_id: int, **overrides: Any) -> dict[str, Any]:
    """A review as the API renders it, in the spec's CourseReviewResponse order; the defaults
    are a factory review's: four stars, approved, made at FIXED."""
    body: dict[str, Any] = {
        "id": review_id,
        "rating": 4,
        "title": "My Review",
        "review_text": "It was great!",
        "user_id": user_id,
        "course_id": course_id,
        "approved": True,
        "created_at": FIXED_TEXT,
    }
    return overridden(body, overrides)


def count_reviews(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(CourseReview.site_id == site.id)))
