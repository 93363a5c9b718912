"""Coupons: the codes that apply a promotion.

No Thinkific webhook topic covers coupons (FIDELITY §7.1): each write records an internal
``coupon.*`` event (a bulk create, one per coupon), the coupon with alphabetical keys. A
checkout's use of a coupon is told by its ``order.created`` (the order's ``coupon``), not a coupon
event.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError

from syllabus.context import Scope
from syllabus.coupons.repository import COUPON_PAYLOAD, CouponRepository
from syllabus.coupons.schemas import CouponBulkCreate, CouponCreate, CouponUpdate
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import read_recorded, record, record_read
from syllabus.kit.wire import JSONObject
from syllabus.models import Coupon
from syllabus.pagination import PageParams
from syllabus.promotions.repository import PromotionRepository

TAKEN = "has already been taken"
# Generated codes: capitals and digits, without the look-alikes 0/O and 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# How often a bulk create draws its codes before a concurrent writer's conflict is a 422.
BULK_ATTEMPTS = 5


def code_taken() -> Unprocessable:
    return Unprocessable.field("code", TAKEN)


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class CouponService:
    """The coupons of one promotion of the site: another site's promotion, or none, is a 404."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.coupons = CouponRepository(scope)
        self.promotions = PromotionRepository(scope)

    def list(self, promotion_id: int, params: PageParams) -> JSONObject:
        self.promotions.require(promotion_id)
        return self.coupons.of_promotion(promotion_id, params)

    def read(self, id: int) -> JSONObject:
        return found(self.coupons.read(id))

    def create(self, promotion_id: int, data: CouponCreate) -> JSONObject:
        """A coupon whose code no other coupon of the promotion has."""
        self.promotions.require(promotion_id)
        if self.coupons.id_by_code(promotion_id, data.code) is not None:
            raise code_taken()
        coupon = self.coupons.add(
            Coupon(
                promotion_id=promotion_id,
                code=data.code,
                note=data.note,
                quantity=data.quantity,
                quantity_used=0,
            )
        )
        # The same 422 when a concurrent request took the code after the check.
        self.coupons.flush(on_conflict=code_taken())
        return read_recorded(self.scope, "coupon.created", self.coupons, coupon.id, COUPON_PAYLOAD)

    def bulk_create(self, promotion_id: int, data: CouponBulkCreate) -> JSONObject:
        """``bulk_quantity`` coupons with random codes, unique within the promotion, in this
        one transaction.

        The answer is 201 with ``{"items": [...]}``, as the spec has it (FIDELITY §10 #6).
        SALOON's ``BulkCreate`` reads a top-level array instead; no second source settles it,
        so the spec wins and SALOON's bulk create would need adapting.
        """
        self.promotions.require(promotion_id)
        # A concurrent bulk create may store one of our codes between the draw and the write:
        # the write is undone to a savepoint and the codes drawn again (the other's are taken
        # now), so a client that chose no code never gets a conflict it could not cause.
        for attempt in range(1, BULK_ATTEMPTS + 1):
            try:
                with self.scope.session.begin_nested():
                    rows = [
                        self.coupons.add(
                            Coupon(
                                promotion_id=promotion_id,
                                code=code,
                                quantity=data.bulk_quantity_per_coupon,
                                quantity_used=0,
                            )
                        )
                        for code in self._free_codes(promotion_id, data)
                    ]
                    self.coupons.flush()
                break
            except IntegrityError as error:
                if attempt == BULK_ATTEMPTS:
                    raise code_taken() from error
        items = []
        for body, payload in self.coupons.bodies([row.id for row in rows]):
            record(self.scope, "coupon.created", payload)
            items.append(body)
        return {"items": items}

    def _free_codes(self, promotion_id: int, data: CouponBulkCreate) -> Sequence[str]:
        """``bulk_quantity`` distinct random codes that no coupon of the promotion has."""
        codes: list[str] = []
        chosen: set[str] = set()
        while len(codes) < data.bulk_quantity:
            # Draw what is missing; drop what another coupon (or an earlier draw) has; repeat.
            drawn = {
                random_code(data.bulk_coupon_code_length)
                for _ in range(data.bulk_quantity - len(codes))
            } - chosen
            fresh = drawn - self.coupons.taken(promotion_id, drawn)
            codes += sorted(fresh)
            chosen |= fresh
        return codes

    def update(self, id: int, data: CouponUpdate) -> None:
        """Change the code (still unique within the promotion) and the keys given."""
        coupon = found(self.coupons.get(id))
        changes = data.model_dump(exclude_unset=True)
        if "quantity_used" in changes and changes["quantity_used"] is None:
            raise Unprocessable.field("quantity_used", "can't be blank")
        other = self.coupons.id_by_code(coupon.promotion_id, data.code)
        if other is not None and other != coupon.id:
            raise code_taken()
        for name, value in changes.items():
            setattr(coupon, name, value)
        self.coupons.touch(coupon)
        self.coupons.flush(on_conflict=code_taken())
        record_read(self.scope, "coupon.updated", self.coupons, coupon.id, COUPON_PAYLOAD)

    def delete(self, id: int) -> None:
        """Delete a coupon; orders that used it keep its code (their ``coupon_id`` is cleared)."""
        coupon = found(self.coupons.get(id))
        record_read(self.scope, "coupon.deleted", self.coupons, coupon.id, COUPON_PAYLOAD)
        self.coupons.delete(coupon)
        self.coupons.flush()
