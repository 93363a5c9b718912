from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import CursorResult, bindparam, or_, select, update

from syllabus.coupons.schemas import CouponRead
from syllabus.kit.filters import equal
from syllabus.kit.repository import Repository, fits
from syllabus.kit.wire import JSONObject, Wire, parents_in
from syllabus.models import Coupon
from syllabus.pagination import PageParams

COUPON = Wire(CouponRead, Coupon)
# coupon.created, .updated and .deleted: internal topics.
COUPON_PAYLOAD = COUPON.alphabetical()

# One more use, only while the coupon has one left: atomic on both databases (PostgreSQL
# re-checks the condition on the row it locks), so concurrent checkouts never overuse it. (An
# UPDATE reserves its columns' names for SET values: the site is bound as `coupon_site_id`.)
_CLAIM = (
    update(Coupon)
    .where(
        Coupon.site_id == bindparam("coupon_site_id"),
        Coupon.id == bindparam("coupon_id"),
        or_(Coupon.quantity.is_(None), Coupon.quantity_used < Coupon.quantity),
    )
    .values(quantity_used=Coupon.quantity_used + 1, updated_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)
_ID_BY_CODE = select(Coupon.id).where(
    Coupon.site_id == bindparam("site_id"),
    Coupon.promotion_id == bindparam("promotion_id"),
    Coupon.code == bindparam("code"),
)
_TAKEN = select(Coupon.code).where(
    Coupon.site_id == bindparam("site_id"),
    Coupon.promotion_id == bindparam("promotion_id"),
    Coupon.code.in_(bindparam("codes", expanding=True)),
)
# The site's coupons among :ids, as rows (to move them) and as bodies (to answer them and
# record them).
_ROWS = (
    select(Coupon)
    .where(Coupon.site_id == bindparam("site_id"), parents_in(Coupon.id))
    .order_by(Coupon.id)
)
_BODIES = COUPON.select.where(
    Coupon.site_id == bindparam("site_id"), parents_in(Coupon.id)
).order_by(Coupon.id)


class CouponRepository(Repository[Coupon]):
    model = Coupon
    wire = COUPON

    def claim(self, coupon: Coupon) -> bool:
        """Use ``coupon`` once; False when it was used up (perhaps by a concurrent request)."""
        params = {"coupon_site_id": self.site_id, "coupon_id": coupon.id, "now": self.scope.now}
        result: CursorResult[Any] = self.session.execute(_CLAIM, params)  # type: ignore[assignment]
        claimed = result.rowcount == 1
        if claimed:
            self.session.refresh(coupon, ["quantity_used", "updated_at"])
        return claimed

    def of_promotion(self, promotion_id: int, params: PageParams) -> JSONObject:
        """A page of the promotion's coupons, in ascending id order."""
        return self.page(equal("promotion_id", Coupon.promotion_id, promotion_id), params)

    def id_by_code(self, promotion_id: int, code: str) -> int | None:
        """The promotion's coupon with this code (codes are unique within a promotion)."""
        found: int | None = self.value(_ID_BY_CODE, promotion_id=promotion_id, code=code)
        return found

    def taken(self, promotion_id: int, codes: Iterable[str]) -> set[str]:
        """Which of ``codes`` the promotion's coupons already have."""
        wanted = list(codes)
        if not wanted:
            return set()
        params = {"site_id": self.site_id, "promotion_id": promotion_id, "codes": wanted}
        return set(self.scope.connection.execute(_TAKEN, params).scalars())

    def rows(self, ids: Iterable[int]) -> list[Coupon]:
        """The site's coupons among ``ids``, by id; ids of no coupon of the site are left out."""
        wanted = [id for id in ids if fits(id)]
        if not wanted:
            return []
        return list(self.session.scalars(_ROWS, {"site_id": self.site_id, "ids": wanted}))

    def bodies(self, ids: list[int]) -> list[tuple[JSONObject, JSONObject]]:
        """The bodies and the payloads of the site's coupons among ``ids``, by id, from one
        fetch."""
        if not ids:
            return []
        result = self.scope.connection.execute(_BODIES, {"site_id": self.site_id, "ids": ids})
        return [
            (COUPON.render(row, self.scope, ()), COUPON_PAYLOAD.render(row, self.scope, ()))
            for row in result
        ]
