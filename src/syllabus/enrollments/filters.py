from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, or_, select

from syllabus.kit.filters import (
    BoolFilter,
    Criteria,
    Filter,
    FilterContext,
    FilterSet,
    IntFilter,
    date_filters,
    parse_bool,
)
from syllabus.models import Enrollment, User
from syllabus.models.user import email_key


def _email(criteria: Criteria, email: str, _context: FilterContext) -> None:
    # A subquery rather than a join keeps the COUNT on the enrollments indexes alone. Emails are
    # unique per site, so it is scalar: `user_id = (...)` lets SQLite use the
    # (site_id, user_id, id) index for the ordered page, where `IN (...)` made it scan.
    criteria.add(
        "email",
        lambda: (
            Enrollment.user_id
            == select(User.id)
            .where(User.site_id == bindparam("site_id"), User.email_key == bindparam("email"))
            .scalar_subquery()
        ),
        email=email_key(email),
    )


def _expired(criteria: Criteria, expired: bool, context: FilterContext) -> None:
    """Expiry is computed from the site's clock, as the body's ``expired`` is."""
    now: Any = bindparam("now")
    criteria.add(
        f"expired:{expired}",
        lambda: (
            and_(Enrollment.expiry_date.is_not(None), Enrollment.expiry_date <= now)
            if expired
            else or_(Enrollment.expiry_date.is_(None), Enrollment.expiry_date > now)
        ),
        now=context.now,
    )


# The filters that /bundles/{id}/enrollments shares (bundles/filters.py), declared once.
USER_ID = IntFilter("user_id", Enrollment.user_id, "Enrollments of this user.")
EMAIL = Filter(
    "email",
    "Enrollments of the user with this email (exact, case-insensitive).",
    str,
    "string",
    _email,
)
COMPLETED = BoolFilter(
    "completed",
    description="true: only completed enrollments; false: only incomplete ones.",
    present=Enrollment.completed_at,
)
EXPIRED = Filter(
    "expired",
    "true: only expired enrollments; false: only current ones.",
    parse_bool,
    "boolean",
    _expired,
)
CREATED = date_filters("created", Enrollment.created_at, "Created")
UPDATED = date_filters("updated", Enrollment.updated_at, "Updated")

ENROLLMENT_FILTERS = FilterSet(
    USER_ID,
    IntFilter("course_id", Enrollment.course_id, "Enrollments in this course."),
    EMAIL,
    BoolFilter(
        "free_trial",
        Enrollment.is_free_trial,
        "true: only free-trial enrollments; false: only full ones.",
    ),
    BoolFilter(
        "full",
        Enrollment.is_free_trial,
        "true: only full enrollments; false: only free-trial ones.",
        negate=True,
    ),
    COMPLETED,
    EXPIRED,
    *CREATED,
    *UPDATED,
)
