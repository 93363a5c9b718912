from __future__ import annotations

from typing import Annotated

from syllabus.kit.schemas import LongText, RequestSchema, ResponseSchema, Timestamp
from syllabus.kit.validation import Required
from syllabus.kit.wire import From
from syllabus.models import Collection


class CollectionRead(ResponseSchema):
    """A category, in the spec's CollectionResponse order; ``product_ids`` ascend."""

    id: int
    name: str
    description: str | None
    slug: str
    created_at: Timestamp
    product_ids: list[int]
    default: Annotated[bool, From(Collection.is_default)]


class CollectionCreate(RequestSchema):
    """CollectionRequest: all three are required. The slug is unique on the site."""

    name: Required
    description: LongText
    slug: Required


class CollectionUpdate(RequestSchema):
    """PUT, but partial: only the keys present change; a null is "can't be blank"."""

    name: Required | None = None
    description: LongText | None = None
    slug: Required | None = None
