from __future__ import annotations

from syllabus.enrollments.filters import COMPLETED, CREATED, EMAIL, EXPIRED, UPDATED, USER_ID
from syllabus.kit.filters import FilterSet

# The spec's filters of /bundles/{id}/enrollments: those of /enrollments but course and trial.
# `completed` and `expired` are booleans, though the spec types them date-time (FIDELITY §9.2).
BUNDLE_ENROLLMENT_FILTERS = FilterSet(USER_ID, EMAIL, COMPLETED, EXPIRED, *CREATED, *UPDATED)
