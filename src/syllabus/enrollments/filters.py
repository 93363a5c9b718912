from __future__ import annotations

from syllabus.kit.filters import BoolFilter, FilterSet, IntFilter, TextFilter, date_filters

ENROLLMENT_FILTERS = FilterSet(
    IntFilter("user_id", "Enrollments of this user."),
    IntFilter("course_id", "Enrollments in this course."),
    TextFilter("email", "Enrollments of the user with this email (exact, case-insensitive)."),
    BoolFilter("free_trial", "true: only free-trial enrollments; false: only full ones."),
    BoolFilter("full", "true: only full enrollments; false: only free-trial ones."),
    BoolFilter("completed", "true: only completed enrollments; false: only incomplete ones."),
    BoolFilter("expired", "true: only expired enrollments; false: only current ones."),
    *date_filters("created", "Created"),
    *date_filters("updated", "Updated"),
)
