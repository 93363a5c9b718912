"""``/api/v2``: Thinkific's Webhooks and Events APIs (FIDELITY §1), composed in one place.

Their routes live in ``v2`` modules (``webhooks/v2.py``, ``events/v2.py``), not ``router``
modules, which would make them Admin API resources (api.py). Authentication comes first,
exactly as on the Admin API (``get_api``: the same credentials, the 401 before any
400, 404 or 422, and OAuth scopes, ``read:webhooks`` and so on). An unknown path under
``/api/v2`` is the same 404 as an unknown Admin API path.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from syllabus.api import (
    API_RESPONSES,
    FIELD_MESSAGE_ERROR_SCHEMA,
    documented_error,
    include_site_api,
)
from syllabus.events.v2 import router as events_router
from syllabus.kit.routing import V2_PREFIX
from syllabus.webhooks.v2 import router as webhooks_router

V2_RESPONSES: dict[int | str, dict[str, Any]] = {
    **API_RESPONSES,
    422: documented_error(
        "Validation failed: one message per field",
        {"errors": {"topic": "invalid format"}},
        FIELD_MESSAGE_ERROR_SCHEMA,
    ),
}


def include_v2_api(app: FastAPI) -> None:
    """Serve ``/api/v2``, each router included in the app itself (as ``include_admin_api``)."""
    for router in (webhooks_router, events_router):
        include_site_api(app, router, V2_PREFIX, V2_RESPONSES)
