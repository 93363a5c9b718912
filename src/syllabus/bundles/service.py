from __future__ import annotations

from syllabus.bundles.repository import BundleRepository
from syllabus.bundles.schemas import BundleEnrollmentRequest
from syllabus.context import Scope
from syllabus.enrollments.service import USER_NOT_FOUND, EnrollmentService
from syllabus.errors import RecordNotFound, Unprocessable, found
from syllabus.kit.filters import Filters
from syllabus.kit.wire import JSONObject
from syllabus.models import User
from syllabus.pagination import PageParams
from syllabus.users.repository import UserRepository


class BundleService:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.bundles = BundleRepository(scope)
        self.users = UserRepository(scope)

    def read(self, id: int) -> JSONObject:
        return found(self.bundles.read(id))

    def courses_of(self, id: int, params: PageParams) -> JSONObject:
        """The bundle's courses; a missing bundle is a 404, not an empty page."""
        self.bundles.require(id)
        return self.bundles.course_page(id, params)

    def enrollments_of(self, id: int, filters: Filters, params: PageParams) -> JSONObject:
        self.bundles.require(id)
        return self.bundles.enrollment_page(id, filters.criteria(self.scope.now), params)

    def enroll(self, id: int, data: BundleEnrollmentRequest) -> None:
        """Enroll the user in every course of the bundle, in the bundle's order; an enrollment
        the user already has is updated with these dates, never duplicated."""
        self.bundles.require(id)
        user = self._user(data.user_id)
        enrollments = EnrollmentService(self.scope)
        for course in self.bundles.courses(id):
            enrollments.enroll(user, course, data.activated_at, data.expiry_date, update=True)

    def update(self, id: int, data: BundleEnrollmentRequest) -> None:
        """Change the dates present on the user's enrollments in the bundle's courses; an expiry
        in the past unenrolls the user from all of them. None to change is a 404: a PUT never
        enrolls, and a bundle the user is not in is no record to update."""
        self.bundles.require(id)
        user = self._user(data.user_id)
        held = self.bundles.enrollments(id, user.id)
        if not held:
            raise RecordNotFound()
        changes = data.model_dump(exclude_unset=True, exclude={"user_id"})
        enrollments = EnrollmentService(self.scope)
        for enrollment in held:
            enrollments.change(enrollment, changes)

    def _user(self, user_id: int | None) -> User:
        """The site's user; Thinkific reports a missing one as POST /enrollments does (§9.2)."""
        user = self.users.get(user_id) if user_id is not None else None
        if user is None:
            raise Unprocessable([USER_NOT_FOUND])
        return user
