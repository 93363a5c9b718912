"""Events: ``GET /api/v2/events/{id}`` (Thinkific's events spec, FIDELITY §7.4).

It serves the site's recorded events of Thinkific's topics, by the id their deliveries carry
(the envelope's ``id``), with the payload as it was sent. Internal events (events/topics.py) are
never served: they are a 404 like an unknown id or another site's.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from starlette.responses import Response

from syllabus.context import ApiDep, Scope
from syllabus.errors import found
from syllabus.events.topics import is_deliverable
from syllabus.kit.routing import V2_PREFIX, ResourceRouter
from syllabus.kit.schemas import ResponseSchema, Timestamp, public_id_row
from syllabus.kit.wire import From, JSONObject, Wire
from syllabus.models import Event

router = ResourceRouter(api=V2_PREFIX, prefix="/events", tags=["Events"])


class EventV2Read(ResponseSchema):
    """The spec's EventResponse: a delivery's envelope without ``tenant_id``, in its order."""

    id: Annotated[str, From(Event.public_id_of, Event.created_at, Event.id)]
    resource: str
    action: str
    created_at: Timestamp
    payload: dict[str, Any]


EVENT_V2 = Wire(EventV2Read, Event)


def read_event(scope: Scope, public_id: str) -> JSONObject:
    row = public_id_row(public_id)
    values = {"site_id": scope.site.id, "id": row}
    bodies = None if row is None else EVENT_V2.read(scope.connection, values, scope)
    body = None if bodies is None else bodies[0]
    served = (
        body is not None
        and body["id"] == public_id
        and is_deliverable(f"{body['resource']}.{body['action']}")
    )
    return found(body if served else None)


@router.get("/{id}", operation_id="getEventByID", response_model=EventV2Read)
async def get_event_by_id(
    api: ApiDep,
    id: Annotated[str, Path(description="The event's 23-digit string id, as delivered.")],
) -> Response:
    """Get an event by the id its webhook deliveries carry: its resource, its action, when it
    happened, and the payload delivered."""
    return await api.read(lambda scope: read_event(scope, id))
