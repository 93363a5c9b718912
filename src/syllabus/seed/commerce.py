"""What ``syllabus seed`` sells: prices, bundles, categories, related products, promotions with
coupons, orders and external orders, for the courses the seeder has just written.

It draws from the seeder's random stream after everything else, so that the rest of the seeded
data is what it was before this existed. Rows go in as Core inserts, as the seeder's do, and,
as everything seeding writes, record no events. Orders are what checkout would have made of a
purchase (``orders/service.py``): the product's price less the coupon's promotion, the coupon's
use counted, the buyer enrolled (their seeded full enrollment is that purchase).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from syllabus.models import (
    Bundle,
    Collection,
    Coupon,
    ExternalOrder,
    ExternalOrderTransaction,
    Order,
    OrderItem,
    Product,
    ProductPrice,
    Promotion,
    Site,
    User,
    bundle_courses,
    collection_memberships,
    promotion_products,
    related_products,
)
from syllabus.models.product import payment_type
from syllabus.models.promotion import cents, discounted_cents

# At most this many of the seeded full enrollments are purchases with an order.
MAX_BOUGHT = 200
ORDERS = 25
EXTERNAL_ORDERS = 3
BUNDLE_NAMES = (
    "Starter Bundle",
    "Professional Track",
    "Complete Collection",
    "Career Pack",
    "Weekend Essentials",
)
WELCOME = ("Welcome offer", "percentage", Decimal("10"), "WELCOME10")
LAUNCH = ("Launch sale", "percentage", Decimal("20"), "LAUNCH20")
BUNDLE_DEAL = ("Bundle deal", "fixed", Decimal("10"), "BUNDLE10")


class Listed(NamedTuple):
    """A seeded course as the shop sees it."""

    name: str
    price: Decimal
    created_ms: int


class Bought(NamedTuple):
    """A seeded full enrollment, which a purchase explains."""

    user_id: int
    course: int
    activated_at: datetime


@dataclass(frozen=True)
class Sales:
    bundles: int
    categories: int
    promotions: int
    coupons: int
    orders: int
    external_orders: int


class Seeder(Protocol):
    rng: random.Random
    session: Session
    site: Site
    now: datetime

    def row(self, created_at: datetime, **values: Any) -> dict[str, Any]: ...

    def at(self, ms_ago: int) -> datetime: ...

    def insert_ids(
        self, model: Any, rows: Sequence[dict[str, Any]], step: str = ""
    ) -> list[int]: ...

    def insert(self, model: Any, rows: Sequence[dict[str, Any]], step: str = "") -> None: ...


def _price_row(seeder: Seeder, product_id: int, price: Decimal, at: datetime) -> dict[str, Any]:
    """The product's primary price, as the product is priced."""
    return seeder.row(
        at,
        product_id=product_id,
        is_primary=True,
        payment_type=payment_type(price),
        price=price,
        currency="usd",
    )


def seed_commerce(
    seeder: Seeder,
    courses: list[Listed],
    course_ids: list[int],
    product_ids: list[int],
    user_ids: list[int],
    bought: list[Bought],
) -> Sales:
    if not courses:
        return Sales(0, 0, 0, 0, 0, 0)
    shop = _Shop(seeder, courses, course_ids, product_ids)
    shop.prices()
    bundle_products = shop.bundles()
    shop.related()
    categories = shop.categories(bundle_products)
    promotions, coupons = shop.promotions(bundle_products)
    orders = shop.orders(bought, coupons)
    external = shop.external_orders(user_ids)
    return Sales(len(bundle_products), categories, len(promotions), len(coupons), orders, external)


class _Shop:
    def __init__(
        self,
        seeder: Seeder,
        courses: list[Listed],
        course_ids: list[int],
        product_ids: list[int],
    ) -> None:
        self.seeder = seeder
        self.rng = seeder.rng
        self.site_id = seeder.site.id
        self.courses = courses
        self.course_ids = course_ids
        self.course_products = product_ids
        self.products = list(product_ids)  # with the bundles' once written
        self.prices_by_product = {
            product: course.price for product, course in zip(product_ids, courses, strict=True)
        }
        self.opened = seeder.at(max(course.created_ms for course in courses))

    def links(self, table: Table, rows: list[dict[str, Any]]) -> None:
        self.seeder.insert(table, rows)

    def prices(self) -> None:
        self.seeder.insert(
            ProductPrice,
            [
                _price_row(self.seeder, product, self.prices_by_product[product], self.opened)
                for product in self.course_products
            ],
        )

    def bundles(self) -> list[int]:
        """A few bundles of two to four courses, at 70% of their courses' prices."""
        count = min(len(BUNDLE_NAMES), len(self.courses) // 3)
        taken = set(
            self.seeder.session.scalars(select(Product.slug).where(Product.site_id == self.site_id))
        )
        products: list[int] = []
        for name in BUNDLE_NAMES[:count]:
            size = min(len(self.courses), self.rng.randint(2, 4))
            picked = self.rng.sample(range(len(self.courses)), size)
            total = sum(self.courses[index].price for index in picked)
            price = (total * Decimal("0.7")).quantize(Decimal("1"))
            slug = _free_slug(name, taken)
            at = self.opened
            (product,) = self.seeder.insert_ids(
                Product,
                [
                    self.seeder.row(
                        at,
                        productable_type="Bundle",
                        name=name,
                        slug=slug,
                        price=price,
                        position=len(self.products),
                        status="published",
                        private=False,
                        hidden=False,
                        subscription=False,
                        has_certificate=False,
                        description=f"<p>{len(picked)} courses for the price of fewer.</p>",
                    )
                ],
            )
            (bundle,) = self.seeder.insert_ids(
                Bundle,
                [
                    self.seeder.row(
                        at,
                        name=name,
                        slug=slug,
                        description=f"<p>{len(picked)} courses for the price of fewer.</p>",
                        tagline="Learn more for less",
                        product_id=product,
                    )
                ],
            )
            self.seeder.session.execute(
                update(Product).where(Product.id == product).values(productable_id=bundle)
            )
            self.links(
                bundle_courses,
                [
                    {"bundle_id": bundle, "course_id": self.course_ids[index], "position": position}
                    for position, index in enumerate(picked)
                ],
            )
            self.seeder.insert(ProductPrice, [_price_row(self.seeder, product, price, at)])
            self.prices_by_product[product] = price
            self.products.append(product)
            products.append(product)
        return products

    def related(self) -> None:
        """Each course's product is related to one or two others."""
        rows = []
        for product in self.course_products:
            others = [other for other in self.products if other != product]
            for other in self.rng.sample(others, min(len(others), self.rng.randint(1, 2))):
                rows.append({"product_id": product, "related_product_id": other})
        self.links(related_products, rows)

    def categories(self, bundle_products: list[int]) -> int:
        """Every product in the site's default category; a third featured; bundles together."""
        default = self.seeder.session.scalar(
            select(Collection.id).where(
                Collection.site_id == self.site_id, Collection.is_default.is_(True)
            )
        )
        featured = self.rng.sample(self.products, max(1, len(self.products) // 3))
        made: list[tuple[str, str, list[int]]] = [("Featured", "featured", featured)]
        if bundle_products:
            made.append(("Bundles", "bundles", bundle_products))
        taken = set(
            self.seeder.session.scalars(
                select(Collection.slug).where(Collection.site_id == self.site_id)
            )
        )
        rows: list[dict[str, Any]] = []
        created = 0
        for name, slug, products in made:
            if slug in taken:
                continue
            (collection,) = self.seeder.insert_ids(
                Collection,
                [
                    self.seeder.row(
                        self.opened,
                        name=name,
                        slug=slug,
                        description=f"{name} courses",
                        is_default=False,
                    )
                ],
            )
            created += 1
            rows += [{"collection_id": collection, "product_id": p} for p in sorted(products)]
        if default is not None:
            rows += [{"collection_id": default, "product_id": p} for p in self.products]
        self.links(collection_memberships, rows)
        return created

    def promotions(self, bundle_products: list[int]) -> tuple[list[int], dict[str, int]]:
        """A standing welcome offer, a launch sale running now, and a deal on bundles; a coupon
        code each, and a few single-use codes for the sale."""
        now = self.seeder.now
        planned: list[tuple[tuple[str, str, Decimal, str], datetime | None, list[int], int | None]]
        planned = [
            (WELCOME, None, [], None),
            (LAUNCH, now - timedelta(days=10), [], 100),
        ]
        if bundle_products:
            planned.append((BUNDLE_DEAL, None, bundle_products, None))
        promotions: list[int] = []
        codes: dict[str, int] = {}
        for (name, kind, amount, code), starts_at, products, quantity in planned:
            (promotion,) = self.seeder.insert_ids(
                Promotion,
                [
                    self.seeder.row(
                        self.opened,
                        name=name,
                        description=f"{name}: {amount}{'%' if kind == 'percentage' else ' off'}",
                        starts_at=starts_at,
                        expires_at=None if starts_at is None else now + timedelta(days=20),
                        discount_type=kind,
                        amount=amount,
                        duration=None,
                    )
                ],
            )
            self.links(
                promotion_products,
                [{"promotion_id": promotion, "product_id": p} for p in products],
            )
            extra = [f"{code}-{self.rng.randrange(16**6):06X}" for _ in range(3)]
            rows = [
                self.seeder.row(
                    self.opened,
                    promotion_id=promotion,
                    code=each,
                    note=None if each == code else "single use",
                    quantity=quantity if each == code else 1,
                    quantity_used=0,
                )
                for each in [code, *(extra if starts_at is not None else [])]
            ]
            for row, id in zip(rows, self.seeder.insert_ids(Coupon, rows), strict=True):
                codes[row["code"]] = id
            promotions.append(promotion)
        return promotions, codes

    def orders(self, bought: list[Bought], coupons: dict[str, int]) -> int:
        """Some of the seeded full enrollments were purchases: an order each, a third of them
        with the welcome offer's coupon."""
        session = self.seeder.session
        chosen = self.rng.sample(bought, min(ORDERS, len(bought)))
        buyers = {
            id: (email, first, last)
            for id, email, first, last in session.execute(
                select(User.id, User.email, User.first_name, User.last_name).where(
                    User.id.in_({b.user_id for b in chosen})
                )
            )
        }
        welcome = coupons.get(WELCOME[3])
        used = 0
        for purchase in sorted(chosen, key=lambda b: b.activated_at):
            course = self.courses[purchase.course]
            product = self.course_products[purchase.course]
            price = cents(course.price)
            coupon = welcome if price and self.rng.random() < 1 / 3 else None
            amount = price if coupon is None else discounted_cents(price, WELCOME[1], WELCOME[2])
            email, first, last = buyers[purchase.user_id]
            (order,) = self.seeder.insert_ids(
                Order,
                [
                    self.seeder.row(
                        purchase.activated_at,
                        user_id=purchase.user_id,
                        user_email=email,
                        user_name=f"{first} {last}".strip(),
                        product_id=product,
                        product_name=course.name,
                        amount_cents=amount,
                        status="complete",
                        payment_type=payment_type(price),
                        subscription=False,
                        coupon_id=coupon,
                        coupon_code=None if coupon is None else WELCOME[3],
                    )
                ],
            )
            self.seeder.insert(
                OrderItem,
                [
                    self.seeder.row(
                        purchase.activated_at,
                        order_id=order,
                        product_id=product,
                        product_name=course.name,
                        amount_cents=amount,
                    )
                ],
            )
            used += coupon is not None
        if welcome is not None and used:
            session.execute(update(Coupon).where(Coupon.id == welcome).values(quantity_used=used))
        return len(chosen)

    def external_orders(self, user_ids: list[int]) -> int:
        """A few purchases reported by an app: paid through Stripe, one partly refunded."""
        if not user_ids:
            return 0
        count = min(EXTERNAL_ORDERS, len(user_ids))
        users = self.rng.sample(user_ids, count)
        for index, user in enumerate(users):
            product = self.rng.choice(self.products)
            at = self.seeder.now - timedelta(days=self.rng.randint(1, 30))
            (order,) = self.seeder.insert_ids(
                ExternalOrder,
                [
                    self.seeder.row(
                        at,
                        user_id=user,
                        product_id=product,
                        payment_provider="Stripe",
                        order_type="one-time",
                    )
                ],
            )
            paid = max(100, cents(self.prices_by_product[product]))
            rows = [
                self.seeder.row(
                    at,
                    external_order_id=order,
                    action="purchase",
                    amount=paid,
                    currency="USD",
                    reference=f"ch_{self.rng.randrange(16**12):012x}",
                )
            ]
            if index == 0:
                rows.append(
                    self.seeder.row(
                        at + timedelta(days=1),
                        external_order_id=order,
                        action="refund",
                        amount=paid // 2,
                        currency="USD",
                        reference=f"re_{self.rng.randrange(16**12):012x}",
                    )
                )
            self.seeder.insert(ExternalOrderTransaction, rows)
        return count


def _free_slug(name: str, taken: set[str]) -> str:
    base = "-".join(name.lower().split())
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(slug)
    return slug
