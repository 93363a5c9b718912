"""Promotions: discounts, applied through their coupons.

No Thinkific webhook topic covers promotions (FIDELITY §7.1): each write records an internal
``promotion.*`` event, the promotion with alphabetical keys. Coupons a write moves here show in
its ``coupon_ids``; they record no event of their own.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from syllabus.context import Scope
from syllabus.coupons.repository import CouponRepository
from syllabus.errors import RecordNotFound, Unprocessable, found
from syllabus.events.recorder import read_recorded, record_read
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.models import Promotion
from syllabus.pagination import PageParams
from syllabus.promotions.repository import PROMOTION_PAYLOAD, PromotionRepository
from syllabus.promotions.schemas import PromotionCreate, PromotionFields, PromotionUpdate

# Module-level aliases: inside PromotionService, `list` names the method, not the builtin.
Errors = dict[str, list[str]]
Ids = list[int]
Messages = list[str]
# Keys of PromotionCreate/PromotionUpdate that are not plain columns.
_NOT_COLUMNS = {"product_ids", "coupon_ids"}
_REQUIRED = ("name", "discount_type", "amount")
_TAKEN = "has already been taken"


def amount_errors(discount_type: str, amount: Decimal) -> list[str]:
    """What is wrong with ``amount`` for the discount type: a percentage lies in (0, 100], a
    fixed amount (dollars) is above 0."""
    if amount <= 0:
        return ["must be greater than 0"]
    if discount_type == "percentage" and amount > 100:
        return ["must be less than or equal to 100"]
    return []


def unique(ids: list[int] | None) -> list[int]:
    """``ids`` without repeats, in their first order."""
    return list(dict.fromkeys(ids or []))


class PromotionService:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.promotions = PromotionRepository(scope)
        self.coupons = CouponRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.promotions.page(Criteria(), params)

    def read(self, id: int) -> JSONObject:
        return found(self.promotions.read(id))

    def by_coupon(self, product_id: int, coupon_code: str) -> JSONObject:
        """The promotion ``coupon_code`` gives on the product now (on the site's clock): the
        coupon exists and is not used up, its promotion runs now and applies to the product.
        Anything else, an unknown product included, is a 404."""
        if not self.promotions.products([product_id]):
            raise RecordNotFound()
        offer = found(self.promotions.offer(product_id, coupon_code, self.scope.now))
        return found(self.promotions.read(offer.promotion.id))

    def create(self, data: PromotionCreate) -> JSONObject:
        promotion = Promotion(**data.model_dump(exclude=_NOT_COLUMNS))
        self._check(promotion, data, creating=True)
        self.promotions.add(promotion)
        self.promotions.flush()
        self._link(promotion, data)
        return read_recorded(
            self.scope, "promotion.created", self.promotions, promotion.id, PROMOTION_PAYLOAD
        )

    def update(self, id: int, data: PromotionUpdate) -> None:
        """Change the keys given; a null ``name``, ``discount_type`` or ``amount`` is blank."""
        promotion = found(self.promotions.get(id))
        changes = data.model_dump(exclude_unset=True, exclude=_NOT_COLUMNS)
        blank = [name for name in _REQUIRED if name in changes and changes[name] is None]
        if blank:
            raise Unprocessable({name: ["can't be blank"] for name in blank})
        for name, value in changes.items():
            setattr(promotion, name, value)
        self._check(promotion, data, creating=False)
        self.promotions.touch(promotion)
        self._link(promotion, data)
        record_read(
            self.scope, "promotion.updated", self.promotions, promotion.id, PROMOTION_PAYLOAD
        )

    def delete(self, id: int) -> None:
        """Delete a promotion with its coupons; orders that used them keep their codes."""
        promotion = found(self.promotions.get(id))
        record_read(
            self.scope, "promotion.deleted", self.promotions, promotion.id, PROMOTION_PAYLOAD
        )
        self.promotions.delete(promotion)
        self.promotions.flush()

    def _check(self, promotion: Promotion, data: PromotionFields, *, creating: bool) -> None:
        """The rules of ``promotion`` (its new values, not yet written) and of the products and
        coupons ``data`` gives it: a 422 naming every field that breaks one."""
        errors: Errors = {}
        if messages := amount_errors(promotion.discount_type, promotion.amount):
            errors["amount"] = messages
        if _ends_before_start(promotion.starts_at, promotion.expires_at):
            errors["expires_at"] = ["must be after starts_at"]
        product_ids = unique(data.product_ids)
        known = self.promotions.products(product_ids)
        if missing := [id for id in product_ids if id not in known]:
            errors["product_ids"] = [f"product {id} does not exist" for id in missing]
        coupon_ids = unique(data.coupon_ids)
        if messages := self._coupon_errors(None if creating else promotion.id, coupon_ids):
            errors["coupon_ids"] = messages
        if errors:
            raise Unprocessable(errors)

    def _coupon_errors(self, promotion_id: int | None, coupon_ids: Ids) -> Messages:
        """Why the coupons ``coupon_ids`` cannot move to the promotion (``None``: a new one):
        a coupon that is not the site's, or one whose code the promotion would then have
        twice (codes are unique within a promotion)."""
        rows = {coupon.id: coupon for coupon in self.coupons.rows(coupon_ids)}
        moving = [
            rows[id] for id in coupon_ids if id in rows and rows[id].promotion_id != promotion_id
        ]
        taken: set[str] = set()
        if promotion_id is not None:
            taken = self.coupons.taken(promotion_id, (coupon.code for coupon in moving))
        messages = [f"coupon {id} does not exist" for id in coupon_ids if id not in rows]
        for coupon in moving:
            if coupon.code in taken:
                messages.append(f"coupon {coupon.id}: code {_TAKEN}")
            taken.add(coupon.code)
        return messages

    def _link(self, promotion: Promotion, data: PromotionFields) -> None:
        """Write the promotion's products (when given) and move the given coupons to it."""
        if "product_ids" in data.model_fields_set:
            gone = Unprocessable.field("product_ids", "a product was deleted meanwhile")
            self.promotions.set_products(promotion, unique(data.product_ids), gone)
        for coupon in self.coupons.rows(unique(data.coupon_ids)):
            if coupon.promotion_id != promotion.id:
                coupon.promotion_id = promotion.id
                self.coupons.touch(coupon)
        # The same 422 as the check, when a concurrent request took a code meanwhile.
        self.promotions.flush(on_conflict=Unprocessable.field("coupon_ids", f"code {_TAKEN}"))


def _ends_before_start(starts_at: datetime | None, expires_at: datetime | None) -> bool:
    return starts_at is not None and expires_at is not None and expires_at <= starts_at
