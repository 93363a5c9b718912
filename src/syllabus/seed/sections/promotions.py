"""``promotions``: by name, each with its products and its coupons (by code within it).

A coupon's ``quantity_used`` is the site's record of its uses: load never changes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.coupons.repository import CouponRepository
from syllabus.coupons.schemas import Quantity
from syllabus.kit.schemas import InputTimestamp, LongText
from syllabus.kit.validation import Required
from syllabus.models import Coupon, Promotion, promotion_products
from syllabus.models.promotion import in_window
from syllabus.promotions.schemas import Amount, DiscountType, Duration
from syllabus.promotions.service import amount_errors
from syllabus.seed.loader import (
    Load,
    NaturalKey,
    Problem,
    Section,
    Slug,
    Spec,
    Stamped,
    repeated,
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

PRODUCT_LIST = product_reference("products")


class CouponSpec(Stamped):
    code: Required
    note: LongText | None = None
    quantity: Quantity | None = None
    # Its uses so far, as an export gives them; left out, a new coupon has none and a stored
    # one keeps its count.
    quantity_used: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None


class PromotionSpec(Stamped):
    name: Required
    description: LongText | None = None
    discount_type: DiscountType
    amount: Amount
    starts_at: InputTimestamp | None = None
    expires_at: InputTimestamp | None = None
    duration: Duration | None = None
    products: list[Slug] = []
    coupons: list[CouponSpec] = []


def current(spec: Spec, stored: Any, name: str) -> Any:
    """The value ``name`` will have once ``spec`` is written over ``stored`` (None: new)."""
    return getattr(spec if stored is None or name in spec.model_fields_set else stored, name)


class Promotions(Section[PromotionSpec]):
    key = "promotions"
    spec = PromotionSpec
    natural = NaturalKey("name", Promotion.name, "promotion named", shared=True)
    references = (PRODUCT_LIST,)
    after = PRODUCTS
    fields = ("description", "discount_type", "amount", "starts_at", "expires_at", "duration")
    tallies = ("promotions", "coupons")

    def check(self, entries: Sequence[PromotionSpec]) -> Iterator[Problem]:
        for index, promotion in enumerate(entries):
            for message in amount_errors(promotion.discount_type, promotion.amount):
                yield Problem(index, message, ("amount",))
            yield from repeated(index, "products", promotion.products)
            yield from repeated(index, "coupons", [c.code for c in promotion.coupons], "code")

    def check_site(self, entries: Sequence[PromotionSpec], load: Load) -> Iterator[Problem]:
        for index, promotion in enumerate(entries):
            stored = load.rows[self.key].get(promotion.name)
            starts_at = current(promotion, stored, "starts_at")
            expires_at = current(promotion, stored, "expires_at")
            if starts_at is not None and expires_at is not None and expires_at <= starts_at:
                yield Problem(index, "must be after starts_at", ("expires_at",))
        yield from productless(load, entries, PRODUCT_LIST)

    def new(self, load: Load, spec: PromotionSpec) -> Promotion:
        return Promotion(name=spec.name)

    def upsert(self, load: Load, spec: PromotionSpec, row: Promotion, creating: bool) -> bool:
        changed = load.save(row, spec.given(self.fields, creating=creating), creating=creating)
        load.session.flush()
        linked = False
        if creating or "products" in spec.model_fields_set:
            ids = [product_id(load, slug) for slug in spec.products]
            column = promotion_products.c
            linked = load.links(column.promotion_id, column.product_id, row.id, ids)
        if creating or "coupons" in spec.model_fields_set:
            linked = _coupons(load, row, spec) or linked
        if linked and not creating:
            row.updated_at = load.now
        return changed or linked

    def stamp(self, load: Load, spec: PromotionSpec) -> bool:
        changed = super().stamp(load, spec)
        promotion = self.find(load, spec)
        if promotion is None:
            return changed
        stored = {
            coupon.code: coupon
            for coupon in load.session.scalars(
                select(Coupon).where(Coupon.promotion_id == promotion.id)
            )
        }
        for coupon in spec.coupons:
            times = coupon.times()
            if times and coupon.code in stored and load.restamp(stored[coupon.code], times):
                load.tallies["coupons"].mark((spec.name, coupon.code), changed=True)
                changed = True
        return changed

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        slugs = product_slugs(session, site_id)
        products: defaultdict[int, list[str]] = defaultdict(list)
        for promotion, product in session.execute(
            select(promotion_products.c.promotion_id, promotion_products.c.product_id)
            .join(Promotion, Promotion.id == promotion_products.c.promotion_id)
            .where(Promotion.site_id == site_id)
            .order_by(promotion_products.c.promotion_id, promotion_products.c.product_id)
        ):
            products[promotion].append(slugs[product])
        coupons: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
        for coupon in session.scalars(
            select(Coupon).where(Coupon.site_id == site_id).order_by(Coupon.id)
        ):
            coupons[coupon.promotion_id].append(
                {
                    "code": coupon.code,
                    "note": coupon.note,
                    "quantity": coupon.quantity,
                    "quantity_used": coupon.quantity_used,
                    **times_of(coupon),
                }
            )
        return [
            {
                "name": promotion.name,
                **{name: getattr(promotion, name) for name in self.fields},
                "products": products.get(promotion.id, []),
                "coupons": coupons.get(promotion.id, []),
                **times_of(promotion),
            }
            for promotion in session.scalars(
                select(Promotion).where(Promotion.site_id == site_id).order_by(Promotion.id)
            )
        ]


def _coupons(load: Load, promotion: Promotion, spec: PromotionSpec) -> bool:
    """Make the promotion's coupons exactly the entry's, matched by code; say if they changed."""
    tally = load.tallies["coupons"]
    stored = {
        coupon.code: coupon
        for coupon in load.session.scalars(
            select(Coupon).where(Coupon.promotion_id == promotion.id)
        )
    }
    changed = False
    for coupon in spec.coupons:
        row = stored.pop(coupon.code, None)
        creating = row is None
        if row is None:
            # Made at the entry's time, if it gives one: an order may name it by that time.
            row = Coupon(
                promotion_id=promotion.id,
                code=coupon.code,
                quantity_used=0,
                created_at=coupon.created_at,
            )
        values = coupon.given(("note", "quantity"), creating=creating)
        if coupon.quantity_used is not None:
            values["quantity_used"] = coupon.quantity_used
        row_changed = load.save(row, values, creating=creating)
        tally.mark((spec.name, coupon.code), created=creating, changed=row_changed)
        changed = changed or creating or row_changed
    for row in stored.values():
        load.session.delete(row)
        tally.deleted += 1
        changed = True
    return changed


# --- which coupons will apply: the orders section checks its coupons with these -------------


@dataclass(frozen=True)
class Use:
    """A coupon that applies to a product: ``key`` tells it apart, to count the file's uses."""

    key: Hashable
    quantity: int | None
    quantity_used: int


def declared(load: Load, promotion: Promotion) -> bool:
    """Whether the file declares the site's ``promotion`` (its entry decides what it offers)."""
    return load.rows["promotions"].get(promotion.name) is promotion


def file_offers(load: Load, code: str, slug: str) -> Iterator[Use]:
    """The coupons of code ``code`` that the file's promotions will offer on product ``slug``
    at the load's time, once written (a promotion's stored values fill in what its entry
    leaves out). Used up or not: the caller counts the uses."""
    coupons = CouponRepository(load.scope)
    for promotion in load.content["promotions"]:
        stored: Promotion | None = load.rows["promotions"].get(promotion.name)
        starts_at = current(promotion, stored, "starts_at")
        if not in_window(starts_at, current(promotion, stored, "expires_at"), load.now):
            continue
        if not _covers(load, promotion, stored, slug):
            continue
        stored_id = None if stored is None else coupons.id_by_code(stored.id, code)
        kept = None if stored_id is None else coupons.get(stored_id)
        if stored is not None and "coupons" not in promotion.model_fields_set:
            if kept is not None:
                yield Use(kept.id, kept.quantity, kept.quantity_used)
            continue
        given = next((coupon for coupon in promotion.coupons if coupon.code == code), None)
        if given is not None:
            quantity = current(given, kept, "quantity")
            if kept is None:
                yield Use((promotion.name, code), quantity, 0)
            else:
                yield Use(kept.id, quantity, kept.quantity_used)


def _covers(load: Load, promotion: PromotionSpec, stored: Promotion | None, slug: str) -> bool:
    """Whether the promotion will apply to product ``slug`` (no products: every product)."""
    if stored is None or "products" in promotion.model_fields_set:
        return not promotion.products or slug in promotion.products
    linked = list(
        load.session.scalars(
            select(promotion_products.c.product_id).where(
                promotion_products.c.promotion_id == stored.id
            )
        )
    )
    return not linked or stored_product_id(load, slug) in linked


SECTION = Promotions()
