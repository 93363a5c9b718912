from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, bindparam, select

from syllabus.bundles.schemas import BundleRead
from syllabus.courses.repository import COURSE_CHILDREN
from syllabus.courses.schemas import CourseRead
from syllabus.enrollments.repository import ENROLLMENT
from syllabus.kit.filters import Criteria, equal
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Children, JSONObject, Wire
from syllabus.models import Bundle, Course, Enrollment
from syllabus.models.bundle import bundle_courses
from syllabus.pagination import PageParams

_POSITION = (bundle_courses.c.position, bundle_courses.c.course_id)
_IN_BUNDLE = bundle_courses.c.bundle_id == bindparam("bundle_id")

# A bundle's course ids, in the bundle's order.
_COURSE_IDS = Children.linked(
    bundle_courses.c.bundle_id, bundle_courses.c.course_id, Course, bundle_courses.c.position
)
BUNDLE = Wire(BundleRead, Bundle, children={"course_ids": _COURSE_IDS})
# A bundle's courses as course bodies, in the bundle's order: listed through the link table.
BUNDLE_COURSE = Wire(
    CourseRead,
    Course,
    children=COURSE_CHILDREN,
    through=((bundle_courses, bundle_courses.c.course_id == Course.id),),
    order_by=(bundle_courses.c.position,),
)

_COURSES = (
    select(Course)
    .join(bundle_courses, and_(bundle_courses.c.course_id == Course.id, _IN_BUNDLE))
    .where(Course.site_id == bindparam("site_id"))
    .order_by(*_POSITION)
)
_ENROLLMENTS = (
    select(Enrollment)
    .join(bundle_courses, and_(bundle_courses.c.course_id == Enrollment.course_id, _IN_BUNDLE))
    .where(Enrollment.site_id == bindparam("site_id"), Enrollment.user_id == bindparam("user_id"))
    .order_by(*_POSITION)
)


def _in_bundle() -> ColumnElement[bool]:
    return Enrollment.course_id.in_(select(bundle_courses.c.course_id).where(_IN_BUNDLE))


class BundleRepository(Repository[Bundle]):
    model = Bundle
    wire = BUNDLE

    def course_page(self, id: int, params: PageParams) -> JSONObject:
        """A page of the bundle's courses, in the bundle's order."""
        return self.page(equal("bundle_id", bundle_courses.c.bundle_id, id), params, BUNDLE_COURSE)

    def enrollment_page(self, id: int, criteria: Criteria, params: PageParams) -> JSONObject:
        """A page of the enrollments in the bundle's courses that ``criteria`` select, by id."""
        criteria.add("bundle", _in_bundle, bundle_id=id)
        return self.page(criteria, params, ENROLLMENT)

    def courses(self, id: int) -> Sequence[Course]:
        """The bundle's courses, in the bundle's order."""
        params = {"site_id": self.site_id, "bundle_id": id}
        return self.session.scalars(_COURSES, params).all()

    def enrollments(self, id: int, user_id: int) -> Sequence[Enrollment]:
        """The user's enrollments in the bundle's courses, in the bundle's order."""
        params = {"site_id": self.site_id, "bundle_id": id, "user_id": user_id}
        return self.session.scalars(_ENROLLMENTS, params).all()
