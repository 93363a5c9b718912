from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, exists, not_, or_, select

from syllabus.kit.repository import Repository
from syllabus.models import Coupon, Promotion, promotion_products


class Offer(NamedTuple):
    """A coupon that applies now to a product, with its promotion."""

    promotion: Promotion
    coupon: Coupon


_NOW: Any = bindparam("now")
# The coupon of this code (the oldest, if several promotions share it) that is not used up,
# whose promotion runs now and applies to the product (no products at all means every product).
_OFFER = (
    select(Promotion, Coupon)
    .join(Coupon, Coupon.promotion_id == Promotion.id)
    .where(
        Coupon.site_id == bindparam("site_id"),
        Coupon.code == bindparam("code"),
        or_(Coupon.quantity.is_(None), Coupon.quantity_used < Coupon.quantity),
        or_(Promotion.starts_at.is_(None), Promotion.starts_at <= _NOW),
        or_(Promotion.expires_at.is_(None), Promotion.expires_at > _NOW),
        or_(
            not_(exists().where(promotion_products.c.promotion_id == Promotion.id)),
            exists().where(
                and_(
                    promotion_products.c.promotion_id == Promotion.id,
                    promotion_products.c.product_id == bindparam("product_id"),
                )
            ),
        ),
    )
    .order_by(Coupon.id)
    .limit(1)
)


class PromotionRepository(Repository[Promotion]):
    model = Promotion

    def offer(self, product_id: int, code: str, now: datetime) -> Offer | None:
        """The promotion a coupon code gives on a product at ``now``, if it gives one."""
        params = {"site_id": self.site_id, "code": code, "product_id": product_id, "now": now}
        row = self.session.execute(_OFFER, params).first()
        return None if row is None else Offer(*row)
