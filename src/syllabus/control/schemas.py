from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from syllabus.clock import clock
from syllabus.config import limit_value
from syllabus.events.topics import is_deliverable
from syllabus.events.v2 import EventV2Read
from syllabus.kit.schemas import DbInt, RequestSchema, ResponseSchema, Text, Timestamp
from syllabus.kit.wire import From
from syllabus.models import Event, Site
from syllabus.sites.service import MAX_RATE_LIMIT


class SiteCreate(RequestSchema):
    subdomain: Annotated[str, Field(max_length=63)] | None = Field(
        None, description="Lowercase letters, digits and hyphens. Omit for a random one."
    )
    api_key: Annotated[str, Field(max_length=64)] | None = Field(
        None, description="32 lowercase hex characters. Omit to generate one."
    )
    name: Annotated[str, Field(max_length=255)] | None = None


class SiteRead(ResponseSchema):
    id: int
    subdomain: str
    name: str
    global_id: str
    created_at: Timestamp
    clock_offset_seconds: float
    rate_limit_per_minute: int | None = Field(
        description="The site's own requests a minute; 0: not limited; null: the server's "
        "setting (SYLLABUS_RATE_LIMIT_PER_MINUTE)."
    )


class SiteCreated(SiteRead):
    api_key: str


def _rate_limit_value(value: object) -> object:
    # JSON true is not a number of requests (lax int parsing would read it as 1).
    if isinstance(value, bool):
        raise ValueError("is not a number")
    return limit_value(value)


# A site's own rate limit as a body gives it: a number of requests a minute, or "off" (0).
RateLimitSetting = Annotated[
    int,
    BeforeValidator(_rate_limit_value),
    Field(ge=0, le=MAX_RATE_LIMIT),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_RATE_LIMIT}, {"const": "off"}]}
    ),
]


class SiteUpdate(RequestSchema):
    """What a site's PATCH may change. A field left out stays as it is."""

    rate_limit_per_minute: RateLimitSetting | None = Field(
        None,
        description='Requests a minute across the site\'s APIs: N, 0 or "off" for no limit, or '
        "null to follow the server's setting.",
    )


class KeyCreated(BaseModel):
    api_key: str


class TokenCreated(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: Timestamp


class ClockUpdate(RequestSchema):
    """Set exactly one: an absolute time, an offset from the wall clock, or an advance."""

    now: Timestamp | None = None
    offset_seconds: float | None = Field(None, ge=-(10**10), le=10**10)
    advance_seconds: float | None = Field(None, ge=-(10**10), le=10**10)


def _site_now(offset_seconds: float) -> datetime:
    return clock.now(offset_seconds)


class ClockRead(ResponseSchema):
    now: Annotated[Timestamp, From(_site_now, Site.clock_offset_seconds)]
    offset_seconds: Annotated[float, From(Site.clock_offset_seconds)]


def _internal(resource: str, action: str) -> bool:
    return not is_deliverable(f"{resource}.{action}")


class EventRead(EventV2Read):
    """An event as the Events API serves it, and whether it is internal."""

    internal: Annotated[
        bool,
        From(_internal, Event.resource, Event.action),
        Field(description="True for writes that fire no Thinkific topic: never delivered."),
    ]


class SeedRequest(RequestSchema):
    users: int = Field(50, ge=0, le=100_000)
    courses: int = Field(6, ge=0, le=1_000)
    enrollments: int = Field(150, ge=0, le=1_000_000)
    seed: int = Field(1, ge=0, le=2**31)


class LoadTally(BaseModel):
    created: int
    updated: int
    unchanged: int
    deleted: int


class LoadResult(BaseModel):
    changes: int
    sections: dict[str, LoadTally]


class CheckoutRequest(RequestSchema):
    user_id: DbInt = Field(description="The buyer, a user of the site.")
    product_id: DbInt = Field(description="The product bought, one of the site's.")
    coupon_code: Text | None = Field(
        None, description="A coupon whose promotion applies to the product now."
    )


class PublishRequestCreate(RequestSchema):
    product_id: DbInt = Field(description="The product to publish, one of the site's.")
    requesting_user_id: DbInt | None = Field(
        None, description="Who asks (a course admin, in Thinkific): a user of the site."
    )
