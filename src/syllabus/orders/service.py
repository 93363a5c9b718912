"""Orders: read through the Admin API, placed by checkout (the control plane and the CLI).

Thinkific's Admin API cannot buy anything; ``CheckoutService`` is what a student's purchase does
on a site: price the product, apply a coupon, record the order and enroll the buyer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from syllabus.context import Scope
from syllabus.coupons.repository import CouponRepository
from syllabus.enrollments.service import USER_NOT_FOUND, EnrollmentService
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import record
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.models import Order, Product, User
from syllabus.models.product import payment_type
from syllabus.models.promotion import cents, discounted_cents
from syllabus.orders.repository import ORDER_PAYLOAD, OrderRepository
from syllabus.orders.schemas import MAX_CENTS
from syllabus.pagination import PageParams
from syllabus.promotions.repository import PromotionRepository
from syllabus.users.repository import UserRepository

PRODUCT_NOT_FOUND = "Product could not be found."


class OrderService:
    def __init__(self, scope: Scope) -> None:
        self.orders = OrderRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.orders.page(Criteria(), params)

    def read(self, id: int) -> JSONObject:
        return found(self.orders.read(id))


def buyer_and_product(
    users: UserRepository, orders: OrderRepository, user_id: int, product_id: int
) -> tuple[User, Product]:
    """The site's user and product of these ids, or a 422 naming each one missing (another
    site's included), user first: the rule checkout and external orders share."""
    user, product = users.get(user_id), orders.product(product_id)
    problems: dict[str, list[str]] = {}
    if user is None:
        problems["user_id"] = [USER_NOT_FOUND]
    if product is None:
        problems["product_id"] = [PRODUCT_NOT_FOUND]
    if user is None or product is None:
        raise Unprocessable(problems)
    return user, product


def _payment_type(product: Product, price_cents: int) -> str:
    if product.subscription:
        return "subscription"
    return payment_type(price_cents)


def _expiry(now: datetime, days: int | None) -> datetime | None:
    if days is None:
        return None
    try:
        return now + timedelta(days=days)
    except OverflowError:  # beyond the year 9999: as good as never
        return None


class CheckoutService:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.orders = OrderRepository(scope)
        self.users = UserRepository(scope)
        self.promotions = PromotionRepository(scope)
        self.coupons = CouponRepository(scope)
        self.enrollments = EnrollmentService(scope)

    def checkout(self, user_id: int, product_id: int, coupon_code: str | None = None) -> JSONObject:
        """``user_id`` buys ``product_id`` now, with ``coupon_code`` if given; the order's body.

        * The price is the product's, less the coupon's promotion when the coupon applies to
          that product at the site's time; an unknown or inapplicable code is a 422, and so is
          a coupon used up (its use is claimed atomically: concurrent checkouts never overuse
          it). The use records no coupon event: the order's payload names the coupon.
        * The order and its item are recorded with ``order.created``; then the buyer is
          enrolled, fully, in the product's course or in each course of its bundle (in the
          bundle's order), until ``days_until_expiry`` from now if the product sets it. Existing
          enrollments are taken over with those dates. Each enrollment records its own event.
        """
        user, product = buyer_and_product(self.users, self.orders, user_id, product_id)
        now = self.scope.now
        amount = cents(product.price)
        order = Order(
            user_id=user.id,
            user_email=user.email,
            user_name=user.full_name,
            product_id=product.id,
            product_name=product.name,
            status="complete",
            payment_type=_payment_type(product, amount),
            subscription=product.subscription,
            affiliate_referral_code=None,
        )
        if coupon_code is not None:
            offer = self.promotions.offer(product.id, coupon_code, now)
            if offer is None:
                raise Unprocessable.field(
                    "coupon_code", f"{coupon_code} is not a valid coupon for this product"
                )
            if not self.coupons.claim(offer.coupon):
                raise Unprocessable.field("coupon_code", f"{coupon_code} has been used up")
            promotion = offer.promotion
            amount = discounted_cents(amount, promotion.discount_type, promotion.amount)
            order.coupon_id, order.coupon_code = offer.coupon.id, offer.coupon.code
        if amount > MAX_CENTS:
            raise Unprocessable.field("product_id", "costs more than an order can record")
        order.amount_cents = amount
        self.orders.add(order)
        self.orders.flush()
        self.orders.add_item(order)
        self.orders.flush()
        record(self.scope, "order.created", found(self.orders.read(order.id, ORDER_PAYLOAD)))
        expiry_date = _expiry(now, product.days_until_expiry)
        for course in self.orders.courses_of(product):
            self.enrollments.enroll(user, course, now, expiry_date, update=True)
        return found(self.orders.read(order.id))
