from __future__ import annotations

from syllabus.kit.schemas import RequestSchema, ResponseSchema, Timestamp
from syllabus.kit.validation import Required


class GroupRead(ResponseSchema):
    """A group, in the spec's GroupResponse order. ``token`` is eight characters, unique."""

    id: int
    name: str
    token: str
    created_at: Timestamp


class GroupEnvelope(ResponseSchema):
    """``POST /groups`` and ``GET /groups/{id}`` wrap the group in ``group``, as the live API
    does (FIDELITY §6.7, §10 #5); the list's items are not wrapped."""

    group: GroupRead


class GroupCreate(RequestSchema):
    """GroupRequest: the name is required and unique on the site."""

    name: Required
