"""``orders``: a user buys a product, through checkout, once per (user, product); or an order
is recorded as it was, as an export gives it.

Checkout prices the product, applies and claims the coupon, records the order and enrolls the
buyer, recording ``order.created`` and the enrollments' events. An order the site already has
for the pair is left alone, so loading twice buys once.

An entry that gives ``amount_cents`` is recorded as it was instead (``syllabus export`` writes
them so): the order and its item, with the names and the coupon code it was placed with, and
nothing else: no coupon use (its coupon entry says how often it was used), no enrollment (the
``enrollments`` section has them), no event. It is matched by user, product and
``created_at`` together, so a user may have bought a product twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.errors import Unprocessable
from syllabus.kit.schemas import InputTimestamp, Text
from syllabus.kit.validation import Email, Required
from syllabus.models import Coupon, Order, OrderItem, Product, User
from syllabus.models.product import payment_type
from syllabus.models.promotion import available, cents
from syllabus.models.user import email_key
from syllabus.orders.repository import OrderRepository
from syllabus.orders.schemas import MAX_CENTS
from syllabus.orders.service import CheckoutService
from syllabus.promotions.repository import PromotionRepository
from syllabus.seed.loader import (
    Load,
    Problem,
    Reference,
    Refused,
    Section,
    Slug,
    Stamped,
    times_of,
)
from syllabus.seed.sections.courses import (
    PRODUCTS,
    product_id,
    product_reference,
    product_slugs,
    productless,
    stored_product_id,
)
from syllabus.seed.sections.promotions import Use, declared, file_offers

PRODUCT = product_reference("product")
# No product has this id: a product the load creates is in no promotion's list of the site, so
# only a site's promotion for every product can offer it a coupon.
NO_PRODUCT = 0
# Checkout's fields, as an entry's.
FIELDS = {"user_id": "user", "product_id": "product", "coupon_code": "coupon"}
# What an order recorded as it was may give beside its amount; left out, checkout's values
# for the buyer and the product as they are now.
RECORDED = (
    "coupon_created_at",
    "user_email",
    "user_name",
    "product_name",
    "payment_type",
    "subscription",
    "status",
    "affiliate_referral_code",
)


class OrderSpec(Stamped):
    user: Email | None = None
    product: Slug
    coupon: Required | None = None
    amount_cents: Annotated[int, Field(ge=0, le=MAX_CENTS)] | None = None
    # When several coupons of the site share the code: the one made then.
    coupon_created_at: InputTimestamp | None = None
    user_email: Email | None = None
    user_name: Annotated[str, Field(max_length=511)] | None = None
    product_name: Text | None = None
    payment_type: Literal["free", "one-time", "subscription", "payment-plan"] | None = None
    subscription: bool | None = None
    status: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    affiliate_referral_code: Text | None = None

    @property
    def recorded(self) -> bool:
        """Recorded as it was, rather than placed through checkout."""
        return self.amount_cents is not None


def bought(load: Load, user_id: int | None, product: int | None) -> bool:
    """Whether the site has an order of ``product`` by ``user_id`` (None: a row not yet made)."""
    if user_id is None or product is None:
        return False
    statement = select(Order.id).where(
        Order.site_id == load.site.id, Order.user_id == user_id, Order.product_id == product
    )
    return load.session.scalar(statement.limit(1)) is not None


def _checkout_payment_type(product: Product) -> str:
    # As checkout types an order of the product (orders/service.py).
    return "subscription" if product.subscription else payment_type(cents(product.price))


class Orders(Section[OrderSpec]):
    key = "orders"
    spec = OrderSpec
    references = (Reference("user", "users"), PRODUCT)
    after = ("users", *PRODUCTS, "promotions")

    def key_of(self, spec: OrderSpec) -> tuple[Any, ...]:
        buyer = email_key(spec.user or spec.user_email or "")
        if spec.recorded:
            return buyer, spec.product, spec.created_at
        return buyer, spec.product

    def check(self, entries: Sequence[OrderSpec]) -> Iterator[Problem]:
        yield from self.repeated_keys(
            entries, lambda order: f"{order.user or order.user_email} buying {order.product!r}"
        )
        for index, order in enumerate(entries):
            if not order.recorded:
                if order.user is None:
                    yield Problem(index, "is required", ("user",))
                for name in RECORDED:
                    if name in order.model_fields_set:
                        message = "is only for an order recorded as it was (with amount_cents)"
                        yield Problem(index, message, (name,))
            elif order.user is None:
                for name in ("user_email", "user_name"):
                    if getattr(order, name) is None:
                        yield Problem(index, "is required for an order without a user", (name,))

    def check_site(self, entries: Sequence[OrderSpec], load: Load) -> Iterator[Problem]:
        """A coupon must apply to its product when the order is placed: as checkout will find
        it (``PromotionRepository.offer``) in the site, unless the file declares its promotion,
        or as the file's promotions will offer it. The file's own orders use coupons up."""
        uses: Counter[Hashable] = Counter()
        for index, order in enumerate(entries):
            if order.coupon is None or order.recorded or order.user is None:
                continue
            user = load.named(["users"], order.user)
            product = stored_product_id(load, order.product)
            if bought(load, user and user.id, product):
                continue
            offers = list(self._offers(load, order.coupon, order.product, product))
            usable = next(
                (
                    use
                    for use in offers
                    if available(use.quantity, use.quantity_used + uses[use.key])
                ),
                None,
            )
            if usable is not None:
                uses[usable.key] += 1
            else:
                reason = "has been used up" if offers else "is not a valid coupon for this product"
                yield Problem(index, f"{order.coupon} {reason}", ("coupon",))
        yield from productless(load, entries, PRODUCT)

    def _offers(self, load: Load, code: str, slug: str, product: int | None) -> Iterator[Use]:
        offer = PromotionRepository(load.scope).offer(product or NO_PRODUCT, code, load.now)
        if offer is not None and not declared(load, offer.promotion):
            coupon = offer.coupon
            yield Use(coupon.id, coupon.quantity, coupon.quantity_used)
        yield from file_offers(load, code, slug)

    def find(self, load: Load, spec: OrderSpec) -> Order | None:
        statement = select(Order).where(
            Order.site_id == load.site.id, Order.product_id == product_id(load, spec.product)
        )
        if spec.user is not None:
            statement = statement.where(Order.user_id == load.referenced("users", spec.user).id)
        else:
            statement = statement.where(
                Order.user_id.is_(None), Order.user_email == spec.user_email
            )
        if spec.recorded and spec.created_at is not None:
            statement = statement.where(Order.created_at == spec.created_at)
        return load.session.scalars(statement.order_by(Order.id)).first()

    def stamped(self, load: Load, spec: OrderSpec) -> list[Any]:
        order = load.rows[self.key].get(self.key_of(spec)) or self.find(load, spec)
        if order is None:
            return []
        items = load.session.scalars(select(OrderItem).where(OrderItem.order_id == order.id))
        return [order, *items]

    def write(self, load: Load, entries: Sequence[OrderSpec]) -> None:
        tally = self.tally(load)
        checkout = CheckoutService(load.scope)
        for index, order in enumerate(entries):
            product = product_id(load, order.product)
            if order.recorded:
                created = self.find(load, order) is None
                if created:
                    load.rows[self.key][self.key_of(order)] = _record(load, order, product)
            else:
                assert order.user is not None  # checked
                user = load.referenced("users", order.user).id
                created = not bought(load, user, product)
                if created:
                    try:
                        checkout.checkout(user, product, order.coupon)
                    except Unprocessable as error:
                        raise Refused(list(_problems(index, error))) from error
            tally.mark(self.key_of(order), created=created)
        load.session.flush()

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        """Every order, recorded as it was: the names it keeps, its amount and its coupon."""
        slugs = product_slugs(session, site_id)
        users = {
            user.id: user for user in session.scalars(select(User).where(User.site_id == site_id))
        }
        products = {
            product.id: product
            for product in session.scalars(select(Product).where(Product.site_id == site_id))
        }
        coupons = {
            coupon.id: coupon
            for coupon in session.scalars(select(Coupon).where(Coupon.site_id == site_id))
        }
        shared = Counter(coupon.code for coupon in coupons.values())
        entries = []
        for order in session.scalars(
            select(Order).where(Order.site_id == site_id).order_by(Order.id)
        ):
            product = products.get(order.product_id or 0)
            if product is None:
                continue  # nothing in Syllabus deletes a product
            user = users.get(order.user_id or 0)
            now = {
                "user_email": user and user.email,
                "user_name": user and user.full_name,
                "product_name": product.name,
                "payment_type": _checkout_payment_type(product),
                "subscription": product.subscription,
                "status": "complete",
                "affiliate_referral_code": None,
            }
            entry: dict[str, Any] = {
                "user": user and user.email,
                "product": slugs[product.id],
                "coupon": order.coupon_code,
                "amount_cents": order.amount_cents,
            }
            coupon = coupons.get(order.coupon_id or 0)
            if coupon is not None and shared[coupon.code] > 1:
                entry["coupon_created_at"] = coupon.created_at
            entry.update(
                {name: getattr(order, name) for name in now if getattr(order, name) != now[name]}
            )
            entries.append({**entry, **times_of(order)})
        return entries


def _record(load: Load, spec: OrderSpec, product_id: int) -> Order:
    """The order as the entry says it was, and its one item."""
    user: User | None = load.referenced("users", spec.user) if spec.user else None
    product = load.session.get_one(Product, product_id)
    given = spec.model_fields_set
    coupon = None
    if spec.coupon is not None:
        made = (
            () if spec.coupon_created_at is None else (Coupon.created_at == spec.coupon_created_at,)
        )
        coupon = load.session.scalar(
            select(Coupon.id)
            .where(Coupon.site_id == load.site.id, Coupon.code == spec.coupon, *made)
            .order_by(Coupon.id)
            .limit(1)
        )
    order = Order(
        user_id=user.id if user else None,
        user_email=spec.user_email or (user.email if user else ""),
        user_name=spec.user_name or (user.full_name if user else ""),
        product_id=product.id,
        product_name=spec.product_name if "product_name" in given else product.name,
        amount_cents=spec.amount_cents,
        status=spec.status or "complete",
        payment_type=spec.payment_type or _checkout_payment_type(product),
        subscription=product.subscription if spec.subscription is None else spec.subscription,
        coupon_id=coupon,
        coupon_code=spec.coupon,
        affiliate_referral_code=spec.affiliate_referral_code,
    )
    load.add(order)
    load.session.flush()
    OrderRepository(load.scope).add_item(order)
    return order


def _problems(index: int, error: Unprocessable) -> Iterator[Problem]:
    """What checkout refused (what the checks could not foresee), as the entry's problems."""
    if isinstance(error.errors, list):
        yield from (Problem(index, message) for message in error.errors)
        return
    for field, messages in error.errors.items():
        at = (FIELDS[field],) if field in FIELDS else ()
        yield from (Problem(index, message, at) for message in messages)


SECTION = Orders()
