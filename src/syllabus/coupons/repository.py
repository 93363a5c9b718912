from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, bindparam, or_, update

from syllabus.kit.repository import Repository
from syllabus.models import Coupon

# One more use, only while the coupon has one left: atomic on both databases (PostgreSQL
# re-checks the condition on the row it locks), so concurrent checkouts never overuse it.
_CLAIM = (
    update(Coupon)
    .where(
        Coupon.site_id == bindparam("site_id"),
        Coupon.id == bindparam("coupon_id"),
        or_(Coupon.quantity.is_(None), Coupon.quantity_used < Coupon.quantity),
    )
    .values(quantity_used=Coupon.quantity_used + 1, updated_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)


class CouponRepository(Repository[Coupon]):
    model = Coupon

    def claim(self, coupon: Coupon) -> bool:
        """Use ``coupon`` once; False when it was used up (perhaps by a concurrent request)."""
        params = {"site_id": self.site_id, "coupon_id": coupon.id, "now": self.scope.now}
        result: CursorResult[Any] = self.session.execute(_CLAIM, params)  # type: ignore[assignment]
        claimed = result.rowcount == 1
        if claimed:
            self.session.refresh(coupon, ["quantity_used", "updated_at"])
        return claimed
