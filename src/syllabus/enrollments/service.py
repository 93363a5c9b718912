from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from syllabus.context import Scope
from syllabus.courses.repository import CourseRepository
from syllabus.enrollments.repository import ENROLLMENT_PAYLOAD, EnrollmentRepository
from syllabus.enrollments.schemas import EnrollmentCreate, EnrollmentUpdate
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import record
from syllabus.events.topics import InternalTopic, Topic
from syllabus.kit.filters import Filters
from syllabus.kit.wire import JSONObject
from syllabus.models import Course, Enrollment, User
from syllabus.models.enrollment import is_expired
from syllabus.pagination import PageParams
from syllabus.users.repository import UserRepository

COURSE_NOT_FOUND = "Course could not be found."
USER_NOT_FOUND = "User could not be found."
ALREADY_ENROLLED = "is already enrolled in this course"


class EnrollmentService:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.enrollments = EnrollmentRepository(scope)
        self.courses = CourseRepository(scope)
        self.users = UserRepository(scope)

    def list(self, filters: Filters, params: PageParams) -> JSONObject:
        return self.enrollments.page(filters.criteria(self.scope.now), params)

    def read(self, id: int) -> JSONObject:
        return found(self.enrollments.read(id))

    def create(self, data: EnrollmentCreate) -> JSONObject:
        """Enroll a user; without ``activated_at`` the enrollment is a free trial (§8).

        Enrolling again in the same course is a 422, unless the earlier enrollment has expired:
        then that enrollment is re-activated with the new dates (FIDELITY §10 #4).
        """
        course = self.courses.get(data.course_id) if data.course_id is not None else None
        user = self.users.get(data.user_id) if data.user_id is not None else None
        # Thinkific reports both problems at once, course first, as a list (§9.2 #18).
        problems: list[str] = []
        if course is None:
            problems.append(COURSE_NOT_FOUND)
        if user is None:
            problems.append(USER_NOT_FOUND)
        if course is None or user is None:
            raise Unprocessable(problems)
        enrollment = self.enroll(user, course, data.activated_at, data.expiry_date)
        return found(self.enrollments.read(enrollment.id))

    def enroll(
        self,
        user: User,
        course: Course,
        activated_at: datetime | None,
        expiry_date: datetime | None,
        *,
        update: bool = False,
    ) -> Enrollment:
        """Enroll ``user`` in ``course`` with these dates, and record the event: the one way
        every writer (the API, bundles, checkout) enrolls.

        An existing enrollment is taken over with the new dates when it has expired, or always
        with ``update`` (a bundle's or a purchase's enrollments are updated, never duplicated);
        otherwise enrolling twice is a 422.
        """
        enrollment = self.enrollments.for_pair(user.id, course.id)
        if enrollment is None and update:
            # A concurrent writer may enroll the pair after this lookup: take its enrollment over.
            enrollment = self._insert_or_take_over(user, course, activated_at, expiry_date)
        if enrollment is not None:
            if not update and not is_expired(enrollment.expiry_date, self.scope.now):
                raise Unprocessable.field("user_id", ALREADY_ENROLLED)
            self.enrollments.touch(enrollment)
        else:
            enrollment = self.enrollments.add(
                _new_enrollment(user, course, activated_at, expiry_date)
            )
        enrollment.activated_at = activated_at
        enrollment.expiry_date = expiry_date
        enrollment.is_free_trial = activated_at is None
        self.enrollments.flush(on_conflict=Unprocessable.field("user_id", ALREADY_ENROLLED))
        self._record(
            "enrollment.trial" if enrollment.is_free_trial else "enrollment.created", enrollment
        )
        return enrollment

    def _insert_or_take_over(
        self,
        user: User,
        course: Course,
        activated_at: datetime | None,
        expiry_date: datetime | None,
    ) -> Enrollment:
        """The pair's enrollment, inserted now, or the one a concurrent writer inserted after
        ``enroll``'s lookup. The unique constraint decides: our insert is then undone to a
        savepoint and the other's row (committed, or it would not conflict) is read instead, so
        an enroller that updates (a bundle, a purchase) never answers a 422 it did not cause."""
        try:
            with self.scope.session.begin_nested():
                enrollment = self.enrollments.add(
                    _new_enrollment(user, course, activated_at, expiry_date)
                )
                self.enrollments.flush()
            return enrollment
        except IntegrityError as error:
            taken = self.enrollments.for_pair(user.id, course.id)
            if taken is None:  # not the pair's constraint after all
                raise Unprocessable.field("user_id", ALREADY_ENROLLED) from error
            return taken

    def update(self, id: int, data: EnrollmentUpdate) -> None:
        """Change the activation or expiry; an expiry in the past is how clients unenroll (§8)."""
        self.change(found(self.enrollments.get(id)), data.model_dump(exclude_unset=True))

    def change(self, enrollment: Enrollment, changes: dict[str, datetime | None]) -> None:
        """Apply ``activated_at`` and ``expiry_date`` from ``changes`` (the keys given).

        No Thinkific topic covers this change: it records an internal ``enrollment.updated``.
        """
        # Activation cannot be undone through the API: a null activated_at changes nothing.
        activated_at = changes.get("activated_at")
        if activated_at is not None:
            enrollment.activated_at = activated_at
            enrollment.is_free_trial = False
        if "expiry_date" in changes:
            enrollment.expiry_date = changes["expiry_date"]
        self.enrollments.touch(enrollment)
        self.enrollments.flush()
        self._record("enrollment.updated", enrollment)

    def _record(self, topic: Topic | InternalTopic, enrollment: Enrollment) -> None:
        record(self.scope, topic, found(self.enrollments.read(enrollment.id, ENROLLMENT_PAYLOAD)))


def _new_enrollment(
    user: User, course: Course, activated_at: datetime | None, expiry_date: datetime | None
) -> Enrollment:
    """A new enrollment of ``user`` in ``course`` with these dates: not started, nothing done."""
    return Enrollment(
        user=user,
        course=course,
        activated_at=activated_at,
        expiry_date=expiry_date,
        is_free_trial=activated_at is None,
        percentage_completed=0.0,
        started_at=None,
        completed_at=None,
    )
