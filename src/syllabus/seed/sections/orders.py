"""``orders``: a user buys a product, through checkout, once per (user, product).

Checkout prices the product, applies and claims the coupon, records the order and enrolls the
buyer, recording ``order.created`` and the enrollments' events. An order the site already has
for the pair is left alone, so loading twice buys once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator, Sequence

from sqlalchemy import select

from syllabus.errors import Unprocessable
from syllabus.kit.validation import Email, Required
from syllabus.models import Order
from syllabus.models.promotion import available
from syllabus.models.user import email_key
from syllabus.orders.service import CheckoutService
from syllabus.promotions.repository import PromotionRepository
from syllabus.seed.loader import Load, Problem, Reference, Refused, Section, Slug, Spec
from syllabus.seed.sections.courses import (
    PRODUCTS,
    product_id,
    product_reference,
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


class OrderSpec(Spec):
    user: Email
    product: Slug
    coupon: Required | None = None


def bought(load: Load, user_id: int | None, product: int | None) -> bool:
    """Whether the site has an order of ``product`` by ``user_id`` (None: a row not yet made)."""
    if user_id is None or product is None:
        return False
    statement = select(Order.id).where(
        Order.site_id == load.site.id, Order.user_id == user_id, Order.product_id == product
    )
    return load.session.scalar(statement.limit(1)) is not None


class Orders(Section[OrderSpec]):
    key = "orders"
    spec = OrderSpec
    references = (Reference("user", "users"), PRODUCT)
    after = ("users", *PRODUCTS, "promotions")

    def key_of(self, spec: OrderSpec) -> tuple[str, str]:
        return email_key(spec.user), spec.product

    def check(self, entries: Sequence[OrderSpec]) -> Iterator[Problem]:
        return self.repeated_keys(entries, lambda order: f"{order.user} buying {order.product!r}")

    def check_site(self, entries: Sequence[OrderSpec], load: Load) -> Iterator[Problem]:
        """A coupon must apply to its product when the order is placed: as checkout will find
        it (``PromotionRepository.offer``) in the site, unless the file declares its promotion,
        or as the file's promotions will offer it. The file's own orders use coupons up."""
        uses: Counter[Hashable] = Counter()
        for index, order in enumerate(entries):
            user = load.named(["users"], order.user)
            product = stored_product_id(load, order.product)
            if order.coupon is None or bought(load, user and user.id, product):
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

    def write(self, load: Load, entries: Sequence[OrderSpec]) -> None:
        tally = self.tally(load)
        checkout = CheckoutService(load.scope)
        for index, order in enumerate(entries):
            user = load.referenced("users", order.user).id
            product = product_id(load, order.product)
            created = not bought(load, user, product)
            if created:
                try:
                    checkout.checkout(user, product, order.coupon)
                except Unprocessable as error:
                    raise Refused(list(_problems(index, error))) from error
            tally.mark(self.key_of(order), created=created)
        load.session.flush()


def _problems(index: int, error: Unprocessable) -> Iterator[Problem]:
    """What checkout refused (what the checks could not foresee), as the entry's problems."""
    if isinstance(error.errors, list):
        yield from (Problem(index, message) for message in error.errors)
        return
    for field, messages in error.errors.items():
        at = (FIELDS[field],) if field in FIELDS else ()
        yield from (Problem(index, message, at) for message in messages)


SECTION = Orders()
