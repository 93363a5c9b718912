"""The read operations of courses, chapters and contents in our OpenAPI document: each one's
operationId, its 200 schema, and that schema's properties in the upstream schema's order."""

from __future__ import annotations

import pytest

from tests.courses.helpers import check_documented_get
from tests.support import SiteClient

# GET path, operationId, our 200 schema, and the upstream schema it follows (None: no check).
DOCUMENTED = [
    ("/courses", "getCourses", "Page_CourseRead_", None),
    ("/courses/{id}", "getCourseByID", "CourseRead", "CourseResponse"),
    ("/courses/{id}/chapters", "getChapterOfCourseByID", "Page_ChapterRead_", None),
    ("/chapters/{id}", "getChapterByID", "ChapterRead", "ChapterResponse"),
    ("/chapters/{id}/contents", "getContentsByID", "Page_ContentRead_", None),
    ("/contents/{id}", "getContentByID", "ContentRead", "ContentResponse"),
]


@pytest.mark.parametrize(
    ("path", "operation_id", "schema", "upstream"), DOCUMENTED, ids=[row[0] for row in DOCUMENTED]
)
def test_documents_the_operation_and_its_response(
    site: SiteClient, path: str, operation_id: str, schema: str, upstream: str | None
) -> None:
    check_documented_get(site, path, operation_id, schema, upstream)
