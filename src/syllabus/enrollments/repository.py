from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, bindparam, or_, select

from syllabus.courses.repository import CourseRepository
from syllabus.kit.filters import Criteria, Filters
from syllabus.kit.repository import Repository
from syllabus.models import Course, Enrollment, User
from syllabus.pagination import PageParams
from syllabus.users.repository import UserRepository

# What a response needs, as plain rows: the enrollment with its user's and course's fields.
# Reads never build ORM objects (three per enrollment); a page of rows costs a fraction.
_ROWS = (
    select(
        Enrollment.id,
        Enrollment.created_at,
        User.email.label("user_email"),
        User.first_name,
        User.last_name,
        Enrollment.expiry_date,
        Enrollment.user_id,
        Course.name.label("course_name"),
        Enrollment.course_id,
        Enrollment.percentage_completed,
        Enrollment.completed_at,
        Enrollment.is_free_trial,
        Enrollment.started_at,
        Enrollment.activated_at,
        Enrollment.updated_at,
    )
    .join(User, User.id == Enrollment.user_id)
    .join(Course, Course.id == Enrollment.course_id)
)
_ROW_BY_ID = _ROWS.where(
    Enrollment.site_id == bindparam("site_id"), Enrollment.id == bindparam("id")
)
EnrollmentRow = Row[*tuple[Any, ...]]


class EnrollmentRepository(Repository[Enrollment]):
    model = Enrollment

    def read_row(self, id: int) -> EnrollmentRow | None:
        return self.row(_ROW_BY_ID, id)

    def read_page(
        self, criteria: Criteria, params: PageParams
    ) -> tuple[Sequence[EnrollmentRow], int]:
        return self.page_rows(_ROWS, criteria, params)

    def for_pair(self, user: User, course: Course) -> Enrollment | None:
        return self.find(Enrollment.user_id == user.id, Enrollment.course_id == course.id)

    def course(self, id: int) -> Course | None:
        return CourseRepository(self.scope).get(id)

    def user(self, id: int) -> User | None:
        return UserRepository(self.scope).get(id)

    def criteria(self, filters: Filters) -> Criteria:
        criteria = Criteria()
        if "user_id" in filters:
            criteria.add_equal("user_id", Enrollment.user_id, filters["user_id"])
        if "course_id" in filters:
            criteria.add_equal("course_id", Enrollment.course_id, filters["course_id"])
        if "email" in filters:
            # A subquery rather than a join keeps the COUNT on the enrollments indexes alone.
            # Emails are unique per site, so it is scalar: `user_id = (...)` lets SQLite use the
            # (site_id, user_id, id) index for the ordered page, where `IN (...)` made it scan.
            criteria.add(
                "email",
                lambda: (
                    Enrollment.user_id
                    == select(User.id)
                    .where(
                        User.site_id == bindparam("site_id"), User.email_key == bindparam("email")
                    )
                    .scalar_subquery()
                ),
                email=filters["email"].strip().lower(),
            )
        # Boolean filters: false selects the complement (FIDELITY §10 #13, `query[expired]=0`).
        if "free_trial" in filters:
            criteria.add_equal("free_trial", Enrollment.is_free_trial, filters["free_trial"])
        if "full" in filters:
            criteria.add_equal("trial", Enrollment.is_free_trial, not filters["full"])
        if "completed" in filters:
            done = filters["completed"]
            criteria.add(
                f"completed:{done}",
                lambda: (
                    Enrollment.completed_at.is_not(None)
                    if done
                    else Enrollment.completed_at.is_(None)
                ),
            )
        if "expired" in filters:
            expired = filters["expired"]
            now: Any = bindparam("now")
            criteria.add(
                f"expired:{expired}",
                lambda: (
                    and_(Enrollment.expiry_date.is_not(None), Enrollment.expiry_date <= now)
                    if expired
                    else or_(Enrollment.expiry_date.is_(None), Enrollment.expiry_date > now)
                ),
                now=self.scope.now,
            )
        criteria.add_dates(filters, "created", Enrollment.created_at)
        criteria.add_dates(filters, "updated", Enrollment.updated_at)
        return criteria
