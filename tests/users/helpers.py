"""Builders for user tests: the user Thinkific sends, whole."""

from __future__ import annotations

from typing import Any

from tests.support import overridden


def user_body(user_id: int, created_at: str, **overrides: Any) -> dict[str, Any]:
    """A user as the API renders it, in the spec's order; the defaults are Bob Smith's."""
    body: dict[str, Any] = {
        "id": user_id,
        "created_at": created_at,
        "first_name": "Bob",
        "last_name": "Smith",
        "full_name": "Bob Smith",
        "company": None,
        "email": "bob@example.com",
        "roles": [],
        "avatar_url": None,
        "bio": None,
        "headline": None,
        "affiliate_code": None,
        "external_source": None,
        "affiliate_commission": None,
        "affiliate_commission_type": None,
        "affiliate_payout_email": None,
        "administered_course_ids": [],
        "custom_profile_fields": [],
    }
    return overridden(body, overrides)
