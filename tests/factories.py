"""Plain factory functions: rows built directly in the database, never through the API under test.

Each takes the site and keyword overrides, commits, and returns the new row's id.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from syllabus.models import (
    Bundle,
    Chapter,
    Collection,
    Content,
    Coupon,
    Course,
    CourseReview,
    Credential,
    CustomProfileField,
    CustomProfileFieldDefinition,
    Enrollment,
    Event,
    ExternalOrder,
    Group,
    GroupMembership,
    Instructor,
    OAuthApp,
    Order,
    OrderItem,
    Product,
    ProductPrice,
    ProductPublishRequest,
    Promotion,
    Site,
    SiteScript,
    User,
    Webhook,
    bundle_courses,
    collection_memberships,
    course_admins,
    group_analysts,
    promotion_products,
    related_products,
)
from syllabus.models.base import stamp
from tests.support import SiteClient

_sequence = itertools.count(1)
FIXED = datetime(2024, 2, 22, 20, 32, 52, 726000, tzinfo=UTC)


def _save(site: SiteClient, row: Any) -> int:
    def work(session: Any) -> int:
        stamp(row, site.id, FIXED)
        session.add(row)
        session.flush()
        return int(row.id)

    return site.db(work)


def make_user(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    roles = overrides.pop("roles", [])
    values: dict[str, Any] = {
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "email": f"user{n}@example.com",
        **overrides,
    }
    email = values.pop("email")
    user = User(**values)
    user.set_email(email)
    user.roles = roles
    return _save(site, user)


def make_instructor(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"first_name": f"Ina{n}", "last_name": f"Structor{n}", "slug": f"ina-{n}", **overrides}
    return _save(site, Instructor(**values))


def make_product(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {
        "productable_type": "Course",
        "name": f"Product {n}",
        "slug": f"product-{n}",
        "price": Decimal("49.0"),
        **overrides,
    }
    return _save(site, Product(**values))


def make_course(site: SiteClient, **overrides: Any) -> int:
    """A course with its product (the product's productable is the course)."""
    n = next(_sequence)
    name = overrides.pop("name", f"Course {n}")
    slug = overrides.pop("slug", f"course-{n}")
    product_id = overrides.pop("product_id", None)
    if product_id is None and overrides.pop("with_product", True):
        product_id = make_product(site, name=name, slug=slug)
    course_id = _save(site, Course(name=name, slug=slug, product_id=product_id, **overrides))
    if product_id is not None:

        def link(session: Any) -> None:
            product = session.get(Product, product_id)
            product.productable_id = course_id

        site.db(link)
    return course_id


def make_chapter(site: SiteClient, course_id: int, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"name": f"Chapter {n}", "position": overrides.pop("position", n), **overrides}
    return _save(site, Chapter(course_id=course_id, **values))


def make_content(site: SiteClient, chapter_id: int, course_id: int, **overrides: Any) -> int:
    n = next(_sequence)
    values = {
        "name": f"Lesson {n}",
        "position": overrides.pop("position", n),
        "contentable_type": "Lesson",
        **overrides,
    }
    return _save(site, Content(chapter_id=chapter_id, course_id=course_id, **values))


def make_profile_field_definition(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"label": f"Field {n}", "field_type": "text", "required": False, **overrides}
    return _save(site, CustomProfileFieldDefinition(**values))


def set_profile_field(site: SiteClient, user_id: int, definition_id: int, value: str) -> int:
    return _save(
        site,
        CustomProfileField(
            user_id=user_id, custom_profile_field_definition_id=definition_id, value=value
        ),
    )


def make_enrollment(site: SiteClient, user_id: int, course_id: int, **overrides: Any) -> int:
    values = {"activated_at": FIXED, **overrides}
    return _save(site, Enrollment(user_id=user_id, course_id=course_id, **values))


def make_group(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"name": f"Group {n}", "token": f"{n:08x}"[-8:], **overrides}
    return _save(site, Group(**values))


def add_member(site: SiteClient, group_id: int, user_id: int) -> int:
    return _save(site, GroupMembership(group_id=group_id, user_id=user_id))


def add_course_admin(site: SiteClient, course_id: int, user_id: int) -> None:
    site.db(lambda s: s.execute(insert(course_admins).values(course_id=course_id, user_id=user_id)))


def make_product_price(site: SiteClient, product_id: int, **overrides: Any) -> int:
    values = {"is_primary": True, "payment_type": "one-time", "price": Decimal("49.0"), **overrides}
    return _save(site, ProductPrice(product_id=product_id, **values))


def relate_products(site: SiteClient, product_id: int, related_id: int) -> None:
    site.db(
        lambda s: s.execute(
            insert(related_products).values(product_id=product_id, related_product_id=related_id)
        )
    )


def make_collection(site: SiteClient, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"name": f"Category {n}", "slug": f"category-{n}", "is_default": False, **overrides}
    return _save(site, Collection(**values))


def add_to_collection(site: SiteClient, collection_id: int, product_id: int) -> None:
    site.db(
        lambda s: s.execute(
            insert(collection_memberships).values(
                collection_id=collection_id, product_id=product_id
            )
        )
    )


def make_bundle(site: SiteClient, course_ids: list[int] | None = None, **overrides: Any) -> int:
    """A bundle of ``course_ids`` (in that order) with its product (productable ``Bundle``)."""
    n = next(_sequence)
    name = overrides.pop("name", f"Bundle {n}")
    slug = overrides.pop("slug", f"bundle-{n}")
    product_id = overrides.pop("product_id", None)
    if product_id is None and overrides.pop("with_product", True):
        product_id = make_product(site, name=name, slug=slug, productable_type="Bundle")
    bundle_id = _save(site, Bundle(name=name, slug=slug, product_id=product_id, **overrides))

    def link(session: Any) -> None:
        if product_id is not None:
            session.get(Product, product_id).productable_id = bundle_id
        for position, course_id in enumerate(course_ids or []):
            session.execute(
                insert(bundle_courses).values(
                    bundle_id=bundle_id, course_id=course_id, position=position
                )
            )

    site.db(link)
    return bundle_id


def make_promotion(site: SiteClient, product_ids: list[int] | None = None, **overrides: Any) -> int:
    """A promotion (10% off, no time window unless given), for ``product_ids`` or every product."""
    n = next(_sequence)
    values = {
        "name": f"Promotion {n}",
        "discount_type": "percentage",
        "amount": Decimal("10"),
        **overrides,
    }
    promotion_id = _save(site, Promotion(**values))
    for product_id in product_ids or []:
        site.db(
            lambda s, p=product_id: s.execute(
                insert(promotion_products).values(promotion_id=promotion_id, product_id=p)
            )
        )
    return promotion_id


def make_coupon(site: SiteClient, promotion_id: int, **overrides: Any) -> int:
    n = next(_sequence)
    values = {"code": f"CODE{n}", "quantity": None, "quantity_used": 0, **overrides}
    return _save(site, Coupon(promotion_id=promotion_id, **values))


def make_order(site: SiteClient, user_id: int, product_id: int, **overrides: Any) -> int:
    """A completed order of one product at ``amount_cents`` (4900 unless given), with its item."""

    def names(session: Any) -> tuple[str, str, str]:
        user, product = session.get(User, user_id), session.get(Product, product_id)
        return user.email, user.full_name, product.name

    email, user_name, product_name = site.db(names)
    values = {
        "user_email": email,
        "user_name": user_name,
        "product_name": product_name,
        "amount_cents": 4900,
        "status": "complete",
        **overrides,
    }
    order_id = _save(site, Order(user_id=user_id, product_id=product_id, **values))
    _save(
        site,
        OrderItem(
            order_id=order_id,
            product_id=product_id,
            product_name=values["product_name"],
            amount_cents=values["amount_cents"],
        ),
    )
    return order_id


def make_external_order(site: SiteClient, user_id: int, product_id: int, **overrides: Any) -> int:
    values = {"payment_provider": "ExternalProvider", "order_type": "one-time", **overrides}
    return _save(site, ExternalOrder(user_id=user_id, product_id=product_id, **values))


def add_analyst(site: SiteClient, group_id: int, user_id: int) -> None:
    site.db(lambda s: s.execute(insert(group_analysts).values(group_id=group_id, user_id=user_id)))


def make_course_review(site: SiteClient, course_id: int, user_id: int, **overrides: Any) -> int:
    values = {
        "rating": 4,
        "title": "My Review",
        "review_text": "It was great!",
        "approved": True,
        **overrides,
    }
    return _save(site, CourseReview(course_id=course_id, user_id=user_id, **values))


def make_site_script(site: SiteClient, **overrides: Any) -> int:
    """A script (``src`` unless ``content`` is given); returns its row id (its public id is
    ``script_id``)."""
    n = next(_sequence)
    values: dict[str, Any] = {
        "name": f"Script {n}",
        "description": "Tracks visits",
        "page_scopes": ["landing_pages"],
        "location": "footer",
        "load_method": "async",
        "category": "analytics",
        **overrides,
    }
    if "content" not in values:
        values.setdefault("src", f"https://app.example.com/script-{n}.js")
    return _save(site, SiteScript(**values))


def make_publish_request(site: SiteClient, product_id: int, **overrides: Any) -> int:
    values = {"status": "pending", **overrides}
    return _save(site, ProductPublishRequest(product_id=product_id, **values))


def make_oauth_app(
    site: SiteClient,
    *,
    scopes: list[str] | None = None,
    redirect_uris: tuple[str, ...] = ("https://app.example.com/callback",),
    name: str = "Example App",
) -> tuple[str, str]:
    """An OAuth app registered on the site, as `syllabus apps create` does: its client id and
    client secret."""
    from syllabus.oauth.apps import create_app

    settings = site.http.app.state.settings  # type: ignore[attr-defined]

    def work(session: Any) -> tuple[str, str]:
        issued = create_app(
            session,
            settings,
            session.get(Site, site.id),
            redirect_uris=list(redirect_uris),
            scopes=scopes,
            name=name,
        )
        return issued.app.client_id, issued.client_secret

    return site.db(work)


def make_oauth_token(site: SiteClient, scopes: list[str], client_id: str | None = None) -> str:
    """An OAuth access token granted ``scopes`` (for the app ``client_id``, else a new app that may
    have any scope), valid for a day: what the authorization code flow would have issued."""
    from syllabus.auth import hash_secret, new_access_token

    client_id = client_id or make_oauth_app(site)[0]
    token = new_access_token()

    def work(session: Any) -> None:
        app = session.scalars(select(OAuthApp).where(OAuthApp.client_id == client_id)).one()
        now = datetime.now(UTC)
        credential = Credential(
            kind="oauth",
            token_hash=hash_secret(token),
            hint=token[-4:],
            scopes=" ".join(scopes),
            expires_at=now + timedelta(days=1),
            app_id=app.id,
        )
        stamp(credential, site.id, now)
        session.add(credential)

    site.db(work)
    return token


def make_webhook(site: SiteClient, **overrides: Any) -> str:
    """A webhook row, as an API-key caller makes one; its public id."""
    values: dict[str, Any] = {
        "topic": "order.created",
        "target_url": "https://receiver.example.com/hooks",
        "status": "active",
        "created_by": "1",
        "updated_by": "1",
        **overrides,
    }
    row_id = _save(site, Webhook(**values))
    return Event.public_id_of(values.get("created_at", FIXED), row_id)
