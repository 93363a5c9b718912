"""Site script bodies written from the spec (SiteScriptResponse and its examples) and FIDELITY,
not from the server; requests signed the way Thinkific's docs sign them."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from syllabus.clock import clock
from syllabus.models import SiteScript
from tests.factories import make_site_script
from tests.support import SiteClient, overridden

NOW = datetime(2025, 1, 10, 9, 15, 30, 250000, tzinfo=UTC)
NOW_TEXT = "2025-01-10T09:15:30.250Z"
FIXED_TEXT = "2024-02-22T20:32:52.726Z"
SIGNATURE = "HMAC-SHA256-SIGNATURE"
# The spec's SiteScriptResponse order.
FIELD_ORDER = [
    "id",
    "content",
    "src",
    "name",
    "description",
    "page_scopes",
    "location",
    "load_method",
    "category",
    "created_at",
    "updated_at",
]
# A ULID: 26 characters of Crockford's base 32 (FIDELITY §6.1).
ULID = re.compile(r"^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{26}$")
# Shaped like a script id, and nobody's.
NO_SUCH_SCRIPT = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
# The spec's request examples (SiteScriptWithSrcRequest, SiteScriptWithContentRequest).
NAME = "MyApp's Tracking Script"
DESCRIPTION = "MyApp's Tracking Script runs on your site's landing pages and tracks visits."
SRC = "https://your-site.com/site-script.js"
CONTENT = "console.log('Hello! This is a Site Script')"
SRC_REQUEST = {
    "src": SRC,
    "name": NAME,
    "description": DESCRIPTION,
    "page_scopes": ["landing_pages", "course_player"],
    "location": "footer",
    "load_method": "async",
    "category": "marketing",
}
CONTENT_REQUEST = {**{k: v for k, v in SRC_REQUEST.items() if k != "src"}, "content": CONTENT}


def errors(message: str) -> dict[str, Any]:
    return {"errors": {"base": [message]}}


# The spec's 422 bodies (components/responses/SiteScriptPutPostError).
MISSING_INPUT = errors("must provide one of: src or content")
INVALID_SOURCE = errors("the source of the script must match the app's domain")
MISSING_HEADER = errors("Missing header `HMAC-SHA256-SIGNATURE`")
INVALID_HEADER = errors("Invalid header `HMAC-SHA256-SIGNATURE`")
BOTH_INPUTS = errors("must provide only one of: src or content")


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    """Every "now" is ``NOW``: ``pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)``."""
    clock.set_source(lambda: NOW)
    yield
    clock.set_source(None)


def sign(content: str, secret: str) -> str:
    """``HMAC-SHA256-SIGNATURE`` for ``content``: Ruby's ``OpenSSL::HMAC.hexdigest('SHA256',
    secret, content)``, as the site-scripts docs compute it."""
    return hmac.new(secret.encode(), content.encode(), hashlib.sha256).hexdigest()


def signed(site: SiteClient, content: str = CONTENT) -> dict[str, str]:
    """The header that signs ``content`` with the site's API key (what authenticates it)."""
    return {SIGNATURE: sign(content, site.key)}


def script_body(id: str, **overrides: Any) -> dict[str, Any]:
    """A script as the API renders it; defaults are the spec's src example, made at NOW."""
    body: dict[str, Any] = {
        "id": id,
        "content": None,
        **SRC_REQUEST,
        "created_at": NOW_TEXT,
        "updated_at": NOW_TEXT,
    }
    assert list(body) == FIELD_ORDER
    return overridden(body, overrides)


def script_id(site: SiteClient, row_id: int) -> str:
    """The public id of the script with row id ``row_id``."""
    return site.db(lambda s: s.get_one(SiteScript, row_id).script_id)


def new_script(site: SiteClient, **overrides: Any) -> str:
    """A script made by the factory, with the spec example's fields; its public id."""
    values = {k: v for k, v in SRC_REQUEST.items() if k != "src"}
    if "content" not in overrides:
        values["src"] = SRC
    return script_id(site, make_site_script(site, **{**values, **overrides}))


def stored_scripts(site: SiteClient) -> list[tuple[Any, ...]]:
    """The site's scripts as stored: public id, src, content, app client, in id order."""
    columns = (SiteScript.script_id, SiteScript.src, SiteScript.content, SiteScript.app_client_id)
    statement = select(*columns).where(SiteScript.site_id == site.id).order_by(SiteScript.id)
    return site.db(lambda s: [tuple(row) for row in s.execute(statement)])
