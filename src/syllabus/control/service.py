"""Control-plane operations: what Thinkific's API cannot do (sites, keys, reset, clock, events)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from syllabus.auth import forget_credentials
from syllabus.clock import clock
from syllabus.config import Settings
from syllabus.context import Scope
from syllabus.control import repository
from syllabus.control.repository import CLOCK, SITE
from syllabus.control.schemas import (
    CheckoutRequest,
    ClockUpdate,
    KeyCreated,
    LoadResult,
    LoadTally,
    PublishRequestCreate,
    SeedRequest,
    SiteCreate,
    SiteUpdate,
    TokenCreated,
)
from syllabus.errors import Unprocessable, found
from syllabus.kit.wire import JSONObject
from syllabus.models import Site
from syllabus.orders.service import CheckoutService
from syllabus.pagination import PageParams
from syllabus.product_publish_requests.service import ProductPublishRequestService
from syllabus.seed.generator import SeedError, SeedSummary, seed_site
from syllabus.seed.loader import LoadError, load_content, parse_content
from syllabus.sites import service as sites
from syllabus.webhooks.outbox import follow_site_clock


def _site(session: Session, subdomain: str) -> Site:
    return found(sites.find_site(session, subdomain))


def create_site(session: Session, data: SiteCreate) -> JSONObject:
    subdomain = data.subdomain or f"site-{secrets.token_hex(6)}"
    try:
        issued = sites.create_site(session, subdomain, api_key=data.api_key, name=data.name)
    except sites.SiteError as error:
        field = "api_key" if "key" in str(error) else "subdomain"
        raise Unprocessable({field: [str(error)]}) from error
    return {**repository.read(session, SITE, issued.site), "api_key": issued.secret}


def list_sites(session: Session, params: PageParams) -> JSONObject:
    return repository.sites(session, params)


def get_site(session: Session, subdomain: str) -> JSONObject:
    return repository.read(session, SITE, _site(session, subdomain))


def update_site(session: Session, subdomain: str, data: SiteUpdate) -> JSONObject:
    site = _site(session, subdomain)
    if "rate_limit_per_minute" in data.model_fields_set:
        sites.set_rate_limit(site, data.rate_limit_per_minute)
    return repository.read(session, SITE, site)


def delete_site(session: Session, subdomain: str) -> None:
    sites.delete_site(session, _site(session, subdomain))


def reset_site(session: Session, subdomain: str) -> None:
    sites.reset_site(session, _site(session, subdomain))


def create_key(session: Session, subdomain: str) -> KeyCreated:
    _site(session, subdomain)
    return KeyCreated(api_key=sites.create_api_key(session, subdomain).secret)


def create_token(session: Session, subdomain: str) -> TokenCreated:
    _site(session, subdomain)
    issued = sites.create_access_token(session, subdomain)
    return TokenCreated(
        access_token=issued.secret, expires_at=clock.now() + sites.DEFAULT_TOKEN_LIFETIME
    )


def get_clock(session: Session, subdomain: str) -> JSONObject:
    return repository.read(session, CLOCK, _site(session, subdomain))


def set_clock(session: Session, subdomain: str, data: ClockUpdate) -> JSONObject:
    given = [v for v in (data.now, data.offset_seconds, data.advance_seconds) if v is not None]
    if len(given) != 1:
        raise Unprocessable({"base": ["set exactly one of now, offset_seconds, advance_seconds"]})
    site = _site(session, subdomain)
    before = site.clock_offset_seconds
    if data.now is not None:
        site.clock_offset_seconds = (data.now - clock.now()) / timedelta(seconds=1)
    elif data.offset_seconds is not None:
        site.clock_offset_seconds = data.offset_seconds
    elif data.advance_seconds is not None:
        site.clock_offset_seconds += data.advance_seconds
    # Pending webhook retries come due as the site's time passes.
    follow_site_clock(session, site.id, site.clock_offset_seconds - before)
    # The offset travels with cached credentials (auth.py): make this process see it at once.
    forget_credentials()
    return repository.read(session, CLOCK, site)


def list_events(session: Session, subdomain: str, params: PageParams) -> JSONObject:
    return repository.events(session, _site(session, subdomain), params)


def seed(session: Session, subdomain: str, data: SeedRequest) -> SeedSummary:
    site = _site(session, subdomain)
    try:
        summary = seed_site(
            session,
            site,
            users=data.users,
            courses=data.courses,
            enrollments=data.enrollments,
            seed=data.seed,
        )
    except SeedError as error:
        raise Unprocessable({"base": [str(error)]}) from error
    return summary


def load(
    session: Session, subdomain: str, document: dict[str, Any], settings: Settings
) -> LoadResult:
    site = _site(session, subdomain)
    try:
        summary = load_content(session, site, parse_content(document), settings)
    except LoadError as error:
        raise Unprocessable({"base": list(error.problems)}) from error
    return LoadResult(
        changes=summary.changes,
        sections={
            name: LoadTally(
                created=len(tally.created),
                updated=len(tally.updated),
                unchanged=len(tally.unchanged),
                deleted=tally.deleted,
            )
            for name, tally in summary.tallies.items()
        },
    )


def checkout(
    session: Session, subdomain: str, data: CheckoutRequest, settings: Settings
) -> JSONObject:
    scope = Scope.for_site(session, _site(session, subdomain), settings)
    return CheckoutService(scope).checkout(data.user_id, data.product_id, data.coupon_code)


def create_publish_request(
    session: Session, subdomain: str, data: PublishRequestCreate, settings: Settings
) -> JSONObject:
    scope = Scope.for_site(session, _site(session, subdomain), settings)
    service = ProductPublishRequestService(scope)
    return service.create(data.product_id, data.requesting_user_id)
