from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, delete, exists, insert, not_, or_, select
from sqlalchemy.exc import IntegrityError

from syllabus.errors import ApiError
from syllabus.kit.repository import Repository, fits
from syllabus.kit.wire import Children, Wire, parents_in
from syllabus.models import Coupon, Product, Promotion, promotion_products
from syllabus.promotions.schemas import PromotionRead


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

_LINKS = promotion_products.c
_PRODUCT_IDS = Children.linked(_LINKS.promotion_id, _LINKS.product_id, Product)
PROMOTION = Wire(
    PromotionRead,
    Promotion,
    children={
        "coupon_ids": Children.ids(Coupon.id, Coupon.promotion_id),
        "product_ids": _PRODUCT_IDS,
    },
)

# Which of :ids are the site's products.
# promotion.created, .updated and .deleted: internal topics.
PROMOTION_PAYLOAD = PROMOTION.alphabetical()

_PRODUCTS = select(Product.id).where(
    Product.site_id == bindparam("site_id"), parents_in(Product.id)
)
_UNLINK = delete(promotion_products).where(_LINKS.promotion_id == bindparam("promotion"))
_LINK = insert(promotion_products)


class PromotionRepository(Repository[Promotion]):
    model = Promotion
    wire = PROMOTION

    def offer(self, product_id: int, code: str, now: datetime) -> Offer | None:
        """The promotion a coupon code gives on a product at ``now``, if it gives one."""
        params = {"site_id": self.site_id, "code": code, "product_id": product_id, "now": now}
        row = self.session.execute(_OFFER, params).first()
        return None if row is None else Offer(*row)

    def products(self, ids: Iterable[int]) -> set[int]:
        """Which of ``ids`` are the site's products."""
        wanted = [id for id in ids if fits(id)]
        if not wanted:
            return set()
        params = {"site_id": self.site_id, "ids": wanted}
        return set(self.scope.connection.execute(_PRODUCTS, params).scalars())

    def set_products(self, promotion: Promotion, product_ids: list[int], gone: ApiError) -> None:
        """Make ``product_ids`` (the site's, checked) the promotion's products; ``gone`` is
        raised if one of them was deleted by a concurrent request since the check."""
        connection = self.scope.connection
        connection.execute(_UNLINK, {"promotion": promotion.id})
        if not product_ids:
            return
        links = [{"promotion_id": promotion.id, "product_id": id} for id in product_ids]
        try:
            connection.execute(_LINK, links)
        except IntegrityError as error:
            raise gone from error
