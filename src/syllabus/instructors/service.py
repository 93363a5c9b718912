"""Instructors: the people a course names as its instructor.

No Thinkific webhook topic covers instructors (FIDELITY §7.1): each write records an internal
``instructor.*`` event, the instructor with alphabetical keys.
"""

from __future__ import annotations

from typing import Any

from syllabus.contents.schemas import parameterize
from syllabus.context import Scope
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import read_recorded, record_read
from syllabus.instructors.repository import INSTRUCTOR_PAYLOAD, InstructorRepository
from syllabus.instructors.schemas import InstructorCreate, InstructorUpdate
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.models import Instructor
from syllabus.pagination import PageParams
from syllabus.users.repository import UserRepository

TAKEN = "has already been taken"
BLANK = "can't be blank"
MUST_EXIST = "must exist"
# A generated slug leaves room for a "-N" suffix within the column's 255 characters.
SLUG_BASE_LENGTH = 240
# The slug of a name with nothing to parameterize ("李 王").
FALLBACK_SLUG = "instructor"
Errors = dict[str, list[str]]


def slug_taken() -> Unprocessable:
    return Unprocessable.field("slug", TAKEN)


def slug_base(first_name: str, last_name: str) -> str:
    """What a generated slug starts from: the name, parameterized as Rails does."""
    base = parameterize(f"{first_name} {last_name}")[:SLUG_BASE_LENGTH].rstrip("-")
    return base or FALLBACK_SLUG


def _given(slug: str | None) -> str | None:
    """A slug the client chose; None when it left the choice to us (absent, null or blank)."""
    return slug if slug is not None and slug.strip() else None


class InstructorService:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.instructors = InstructorRepository(scope)
        self.users = UserRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.instructors.page(Criteria(), params)

    def read(self, id: int) -> JSONObject:
        return found(self.instructors.read(id))

    def create(self, data: InstructorCreate) -> JSONObject:
        """An instructor; without a slug, one is made from the name, unique on the site."""
        instructor = Instructor()
        self._save(instructor, data.model_dump(), creating=True)
        return read_recorded(
            self.scope, "instructor.created", self.instructors, instructor.id, INSTRUCTOR_PAYLOAD
        )

    def update(self, id: int, data: InstructorUpdate) -> None:
        instructor = found(self.instructors.get(id))
        changes = data.model_dump(exclude_unset=True)
        self._save(instructor, changes, creating=False)
        record_read(
            self.scope, "instructor.updated", self.instructors, instructor.id, INSTRUCTOR_PAYLOAD
        )

    def delete(self, id: int) -> None:
        """Delete an instructor no course names: one still a course's instructor is a 422
        naming the courses, and nothing is deleted."""
        instructor = found(self.instructors.get(id))
        taught = self.instructors.courses_taught(instructor.id)
        if taught:
            raise Unprocessable(
                {
                    "base": [
                        f"Instructor is the instructor of course {course_id} ({name})"
                        for course_id, name in taught
                    ]
                }
            )
        record_read(
            self.scope, "instructor.deleted", self.instructors, instructor.id, INSTRUCTOR_PAYLOAD
        )
        self.instructors.delete(instructor)
        self.instructors.flush()

    def _save(self, instructor: Instructor, changes: dict[str, Any], *, creating: bool) -> None:
        """Check ``changes`` (every problem at once), apply them, and write the instructor. A new
        one is added only when written: it has no slug until then."""
        self._check(instructor, changes)
        for name, value in changes.items():
            if name != "slug":
                setattr(instructor, name, value)
        if not creating:
            self.instructors.touch(instructor)
        given = _given(changes.get("slug"))
        if given is not None:
            instructor.slug = given
            if creating:
                self.instructors.add(instructor)
            # The same 422 as the check, when a concurrent request took the slug first.
            self.instructors.flush(on_conflict=slug_taken())
        elif creating or "slug" in changes:
            base = slug_base(instructor.first_name, instructor.last_name)
            self.instructors.save_with_free_slug(instructor, base, on_conflict=slug_taken())
        else:
            self.instructors.flush()

    def _check(self, instructor: Instructor, changes: dict[str, Any]) -> None:
        errors: Errors = {}
        for name in ("first_name", "last_name"):
            if name in changes and changes[name] is None:
                errors[name] = [BLANK]
        user_id = changes.get("user_id")
        if user_id is not None and not self.users.exists(user_id):
            errors["user_id"] = [MUST_EXIST]
        slug = _given(changes.get("slug"))
        if slug is not None and self.instructors.id_by_slug(slug) not in (None, instructor.id):
            errors["slug"] = [TAKEN]
        if errors:
            raise Unprocessable(errors)
