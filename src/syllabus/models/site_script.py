from __future__ import annotations

import os
import time
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from syllabus.models.base import SiteRecord, table_args

PAGE_SCOPES = (
    "landing_pages",
    "checkout",
    "learning_experience",
    "all",
    "home_landing_page",
    "course_landing_page",
    "collections_landing_page",
    "bundle_landing_page",
    "coming_soon_page",
    "page_template",
    "checkout_thankyou_page",
    "student_dashboard",
    "course_player",
)
LOCATIONS = ("head", "footer")
LOAD_METHODS = ("async", "defer", "default")
CATEGORIES = ("functional", "analytics", "marketing")

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_script_id() -> str:
    """A ULID (26 Crockford base-32 characters, time first), as Thinkific's script ids look
    (``01A6BCDEF19GHIJ7K4LMNOP87Q``, FIDELITY §6.1)."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


class SiteScript(SiteRecord):
    """A script an app injects into the site's pages: its own ``src``, or inline ``content``."""

    __tablename__ = "site_scripts"
    __table_args__ = table_args(Index("ix_site_scripts_site_id_id", "site_id", "id"))

    # The public id (a string); `id` stays the row's integer key, as every table's.
    script_id: Mapped[str] = mapped_column(String(26), unique=True, default=new_script_id)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text)
    src: Mapped[str | None] = mapped_column(String(2048))
    content: Mapped[str | None] = mapped_column(Text)
    page_scopes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    location: Mapped[str | None] = mapped_column(String(16))
    load_method: Mapped[str | None] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(16))
    # The OAuth app that created it, once apps exist (its domain bounds `src`); none for a key.
    app_client_id: Mapped[str | None] = mapped_column(String(64))
