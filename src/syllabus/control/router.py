"""The control plane, ``/_syllabus/...``: sites, keys, tokens, reset, the virtual clock, events,
checkout (what a student's purchase does) and product publish requests (what a course admin
asks), which Thinkific's Admin API cannot do.

Guarded by ``SYLLABUS_ADMIN_TOKEN`` (``Authorization: Bearer <token>``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Body, Request
from starlette.responses import Response

from syllabus.control import service
from syllabus.control.context import AdminDep, control_router
from syllabus.control.schemas import (
    CheckoutRequest,
    ClockRead,
    ClockUpdate,
    EventRead,
    KeyCreated,
    LoadResult,
    PublishRequestCreate,
    SeedRequest,
    SiteCreate,
    SiteCreated,
    SiteRead,
    SiteUpdate,
    TokenCreated,
)
from syllabus.kit.responses import json_response
from syllabus.orders.schemas import OrderRead
from syllabus.pagination import Page, PageParamsDep
from syllabus.product_publish_requests.schemas import ProductPublishRequestRead
from syllabus.seed.generator import SeedSummary, vacuum_after

router = control_router()


@router.post("/sites", status_code=201, response_model=SiteCreated)
async def create_site(admin: AdminDep, body: SiteCreate | None = None) -> Response:
    """Create a site and its first API key. Omit the subdomain for a random one (one per test)."""
    data = body or SiteCreate()
    return await admin.write(lambda s: service.create_site(s, data))


@router.get("/sites", response_model=Page[SiteRead])
async def list_sites(admin: AdminDep, page: PageParamsDep) -> Response:
    """List sites."""
    return await admin.read(lambda s: service.list_sites(s, page))


@router.get("/sites/{subdomain}", response_model=SiteRead)
async def get_site(admin: AdminDep, subdomain: str) -> Response:
    """Get a site."""
    return await admin.read(lambda s: service.get_site(s, subdomain))


@router.patch("/sites/{subdomain}", response_model=SiteRead)
async def update_site(admin: AdminDep, subdomain: str, body: SiteUpdate) -> Response:
    """Change a site's settings: its own rate limit (`rate_limit_per_minute`). Other processes
    see the change within a second."""
    return await admin.write(lambda s: service.update_site(s, subdomain, body))


@router.delete("/sites/{subdomain}", status_code=204)
async def delete_site(admin: AdminDep, subdomain: str) -> Response:
    """Delete a site and everything in it."""
    return await admin.write(lambda s: service.delete_site(s, subdomain), inline=False)


@router.post("/sites/{subdomain}/reset", status_code=204)
async def reset_site(admin: AdminDep, subdomain: str) -> Response:
    """Delete everything in a site but the site and its credentials."""
    return await admin.write(lambda s: service.reset_site(s, subdomain), inline=False)


@router.post("/sites/{subdomain}/keys", status_code=201, response_model=KeyCreated)
async def create_key(admin: AdminDep, subdomain: str) -> Response:
    """Create another API key for a site."""
    return await admin.write(lambda s: service.create_key(s, subdomain))


@router.post("/sites/{subdomain}/tokens", status_code=201, response_model=TokenCreated)
async def create_token(admin: AdminDep, subdomain: str) -> Response:
    """Mint a bearer access token for a site."""
    return await admin.write(lambda s: service.create_token(s, subdomain))


@router.get("/sites/{subdomain}/clock", response_model=ClockRead)
async def get_clock(admin: AdminDep, subdomain: str) -> Response:
    """Read a site's virtual clock."""
    return await admin.read(lambda s: service.get_clock(s, subdomain))


@router.put("/sites/{subdomain}/clock", response_model=ClockRead)
async def set_clock(admin: AdminDep, subdomain: str, body: ClockUpdate) -> Response:
    """Move a site's clock: expiry and every other "now" for the site follow it."""
    return await admin.write(lambda s: service.set_clock(s, subdomain, body))


@router.get("/sites/{subdomain}/events", response_model=Page[EventRead])
async def list_events(admin: AdminDep, subdomain: str, page: PageParamsDep) -> Response:
    """List the events a site's writes recorded, oldest first."""
    return await admin.read(lambda s: service.list_events(s, subdomain, page))


@router.post("/sites/{subdomain}/seed", status_code=201, response_model=SeedSummary)
async def seed_site(admin: AdminDep, subdomain: str, body: SeedRequest | None = None) -> Response:
    """Add deterministic demo data to a site, as `syllabus seed` does."""
    data = body or SeedRequest()
    summary = await admin.run(lambda s: service.seed(s, subdomain, data), inline=False)
    await anyio.to_thread.run_sync(vacuum_after, admin.database, summary)
    return json_response(asdict(summary), status_code=201)


@router.post("/sites/{subdomain}/load", response_model=LoadResult)
async def load_content(
    admin: AdminDep, subdomain: str, document: Annotated[dict[str, Any], Body()]
) -> Response:
    """Load declarative content (the `syllabus load` format, sent as JSON) into a site."""
    return await admin.write(
        lambda s: service.load(s, subdomain, document, admin.settings), inline=False
    )


@router.post("/sites/{subdomain}/checkout", status_code=201, response_model=OrderRead)
async def checkout(
    admin: AdminDep, subdomain: str, body: CheckoutRequest, request: Request
) -> Response:
    """Buy a product for a user, as a student's checkout does: price it (less the coupon's
    promotion, if the coupon applies to it now; a used-up coupon is a 422), record the order
    (`order.created`), and enroll the user in the product's course or each of its bundle's
    courses. Answers the order, as `GET /orders/{id}` does."""
    return await admin.write(lambda s: service.checkout(s, subdomain, body, admin.settings))


@router.post(
    "/sites/{subdomain}/publish_requests",
    status_code=201,
    response_model=ProductPublishRequestRead,
)
async def create_publish_request(
    admin: AdminDep, subdomain: str, body: PublishRequestCreate
) -> Response:
    """Ask for a product to be published, as a course admin does in Thinkific's admin: a pending
    request, which `POST /product_publish_requests/{id}/approve` (publishing the product) or
    `/deny` answers. Answers the request, as `GET /product_publish_requests/{id}` does."""
    return await admin.write(
        lambda s: service.create_publish_request(s, subdomain, body, admin.settings)
    )
