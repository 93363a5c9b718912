"""Thinkific's list envelope: ``items`` plus Kaminari-style ``meta.pagination`` (FIDELITY §3).

* ``limit`` defaults to 25 and is clamped at 250; a non-positive or non-numeric value is 25.
* ``page`` below 1 or non-numeric is page 1; a page beyond the last has no items, and both
  ``next_page`` and ``prev_page`` are null, as Kaminari reports an out-of-range page.
* ``entries_info`` is ``"{first}-{last} of {total}"``; ``"0-0 of N"`` when the page is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

DEFAULT_LIMIT = 25
MAX_LIMIT = 250
# Past this, OFFSET arithmetic stops meaning anything; such a page is simply beyond the last.
MAX_PAGE = 10_000_000

T = TypeVar("T")


def _positive_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        try:
            value = int(float(raw))
        except (ValueError, OverflowError):
            return None
    return value if value > 0 else None


@dataclass(frozen=True, slots=True)
class PageParams:
    page: int = 1
    limit: int = DEFAULT_LIMIT

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    @classmethod
    def parse(cls, page: str | None, limit: str | None) -> PageParams:
        parsed_limit = _positive_int(limit) or DEFAULT_LIMIT
        return cls(page=min(_positive_int(page) or 1, MAX_PAGE), limit=min(parsed_limit, MAX_LIMIT))


async def page_params(
    page: Annotated[
        str | None, Query(description="Page number, from 1. Anything else means page 1.")
    ] = None,
    limit: Annotated[
        str | None,
        Query(description="Items per page: default 25, at most 250 (larger values are clamped)."),
    ] = None,
) -> PageParams:
    return PageParams.parse(page, limit)


# Dependencies are `async def` so that FastAPI calls them inline: a plain `def` dependency is
# run in the threadpool, a thread hop per request that costs more than the query itself.
PageParamsDep = Annotated[PageParams, Depends(page_params)]


class Pagination(BaseModel):
    current_page: int
    next_page: int | None
    prev_page: int | None
    total_pages: int
    total_items: int
    entries_info: str


class Meta(BaseModel):
    pagination: Pagination


class Page(BaseModel, Generic[T]):
    """The list envelope, as our OpenAPI documents it (bodies are built by ``pagination``)."""

    items: list[T]
    meta: Meta


def pagination(count: int, total: int, params: PageParams) -> dict[str, Any]:
    """``meta.pagination`` for a page of ``count`` items out of ``total``."""
    total_pages = -(-total // params.limit)
    out_of_range = params.page > total_pages
    first = params.offset + 1
    return {
        "current_page": params.page,
        "next_page": None if params.page >= total_pages else params.page + 1,
        "prev_page": None if params.page == 1 or out_of_range else params.page - 1,
        "total_pages": total_pages,
        "total_items": total,
        "entries_info": f"{first}-{first + count - 1} of {total}" if count else f"0-0 of {total}",
    }
