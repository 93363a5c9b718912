"""The request journal on the control plane: ``GET /_syllabus/sites/{sub}/requests``. Guarded
by the admin token like the rest of ``/_syllabus``."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from syllabus.control.context import AdminDep, control_router
from syllabus.journal import service
from syllabus.journal.filters import JOURNAL_FILTERS
from syllabus.journal.recorder import JournalRecorder
from syllabus.journal.schemas import JournalEntryRead
from syllabus.kit.filters import Filters
from syllabus.pagination import Page, PageParamsDep

router = control_router()


@router.get(
    "/sites/{subdomain}/requests",
    response_model=Page[JournalEntryRead],
    openapi_extra=JOURNAL_FILTERS.openapi,
)
async def list_requests(
    admin: AdminDep,
    subdomain: str,
    page: PageParamsDep,
    request: Request,
    filters: Filters = JOURNAL_FILTERS.dependency,
) -> Response:
    """The site's request journal, oldest first: each Admin API and /api/v2 request with good
    credentials, and what the client got (bodies cut, secrets redacted). The site keeps its
    newest SYLLABUS_JOURNAL_SIZE. Every request this process answered is listed; another
    process's appear within a second."""
    recorder: JournalRecorder = request.app.state.journal
    await recorder.flush()
    return await admin.read(lambda s: service.list_requests(s, subdomain, filters, page))
