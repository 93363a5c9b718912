from __future__ import annotations

from sqlalchemy import bindparam, or_, select
from sqlalchemy.exc import IntegrityError

from syllabus.errors import ApiError
from syllabus.instructors.schemas import InstructorRead
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Wire
from syllabus.models import Course, Instructor

INSTRUCTOR = Wire(InstructorRead, Instructor)
# instructor.created, .updated and .deleted: internal topics.
INSTRUCTOR_PAYLOAD = INSTRUCTOR.alphabetical()
# How many slugs a create tries when concurrent writers keep taking the one it chose.
SLUG_ATTEMPTS = 20

_ID_BY_SLUG = select(Instructor.id).where(
    Instructor.site_id == bindparam("site_id"), Instructor.slug == bindparam("slug")
)
# `base` and `base-…` (LIKE may match more on SQLite, or through `_`: the caller compares).
_SLUGS_FROM = select(Instructor.id, Instructor.slug).where(
    Instructor.site_id == bindparam("site_id"),
    or_(Instructor.slug == bindparam("base"), Instructor.slug.like(bindparam("pattern"))),
)
_COURSES_TAUGHT = (
    select(Course.id, Course.name)
    .where(Course.site_id == bindparam("site_id"), Course.instructor_id == bindparam("id"))
    .order_by(Course.id)
)


class InstructorRepository(Repository[Instructor]):
    model = Instructor
    wire = INSTRUCTOR

    def id_by_slug(self, slug: str) -> int | None:
        found: int | None = self.value(_ID_BY_SLUG, slug=slug)
        return found

    def free_slug(self, base: str, own_id: int | None) -> str:
        """``base``, or ``base-2``, ``base-3``…: the first that no other instructor of the site
        has (the instructor ``own_id`` may keep its own)."""
        params = {"site_id": self.site_id, "base": base, "pattern": f"{base}-%"}
        rows = self.scope.connection.execute(_SLUGS_FROM, params)
        taken = {slug for id, slug in rows if id != own_id}
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        return candidate

    def save_with_free_slug(self, row: Instructor, base: str, *, on_conflict: ApiError) -> None:
        """Write ``row`` (new or changed) with the first free slug made from ``base``.

        A concurrent writer may take that slug between the choice and the write: the write is
        then undone to a savepoint and the next free slug tried, so a client that sent no slug
        never gets a conflict it could not cause; ``on_conflict`` only after SLUG_ATTEMPTS.
        """
        new = row.id is None
        if not new:
            self.flush()  # the row's other changes, outside the savepoint
        for _ in range(SLUG_ATTEMPTS):
            try:
                with self.session.begin_nested():
                    row.slug = self.free_slug(base, row.id)
                    if new:
                        self.add(row)
                    self.session.flush()
                return
            except IntegrityError:
                continue
        raise on_conflict

    def courses_taught(self, id: int) -> list[tuple[int, str]]:
        """The site's courses whose instructor is ``id``, by id: (id, name)."""
        params = {"site_id": self.site_id, "id": id}
        return [
            (row.id, row.name) for row in self.scope.connection.execute(_COURSES_TAUGHT, params)
        ]
