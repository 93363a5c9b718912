from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, bindparam, or_, select, update

from syllabus.kit.repository import Repository, fits
from syllabus.kit.wire import Children, Wire
from syllabus.models import (
    Bundle,
    Coupon,
    Course,
    Order,
    OrderItem,
    Product,
    User,
    bundle_courses,
)
from syllabus.models.base import stamp
from syllabus.orders.schemas import OrderItemRead, OrderPayload, OrderRead

ORDER_ITEM = Wire(OrderItemRead, OrderItem)
_ITEMS = {"items": Children.of(ORDER_ITEM, OrderItem.order_id)}
ORDER = Wire(OrderRead, Order, children=_ITEMS)
# order.created, rendered as the order is placed (while its buyer exists).
ORDER_PAYLOAD = Wire(
    OrderPayload, Order, joins=((User, Order.user_id == User.id),), children=_ITEMS
)

_PRODUCT = select(Product).where(
    Product.site_id == bindparam("site_id"), Product.id == bindparam("id")
)
_COURSE = select(Course).where(Course.site_id == bindparam("site_id"), Course.id == bindparam("id"))
_BUNDLE_COURSES = (
    select(Course)
    .join(bundle_courses, bundle_courses.c.course_id == Course.id)
    .join(Bundle, Bundle.id == bundle_courses.c.bundle_id)
    .where(Bundle.site_id == bindparam("site_id"), Bundle.id == bindparam("id"))
    .order_by(bundle_courses.c.position, Course.id)
)

# CouponRepository.claim's statement, with bind names that are no column's: an UPDATE reserves
# its table's column names (`site_id`) for SET values, so that one fails to compile. One more
# use, only while one is left: atomic on both databases (PostgreSQL re-checks the condition on
# the row it locks), so concurrent checkouts never overuse a coupon.
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


class OrderRepository(Repository[Order]):
    model = Order
    wire = ORDER

    def product(self, id: int) -> Product | None:
        """The site's product ``id``."""
        if not fits(id):
            return None
        found: Product | None = self.session.scalars(
            _PRODUCT, {"site_id": self.site_id, "id": id}
        ).first()
        return found

    def courses_of(self, product: Product) -> list[Course]:
        """What buying ``product`` enrolls in: its course, or its bundle's courses in the
        bundle's order (none for an empty bundle)."""
        if product.productable_id is None:
            return []
        statement = _BUNDLE_COURSES if product.productable_type == "Bundle" else _COURSE
        params = {"site_id": self.site_id, "id": product.productable_id}
        return list(self.session.scalars(statement, params))

    def claim(self, coupon: Coupon) -> bool:
        """Use ``coupon`` once; False when it was used up (perhaps by a concurrent checkout)."""
        params = {"coupon_site_id": self.site_id, "coupon_id": coupon.id, "now": self.scope.now}
        result: CursorResult[Any] = self.session.execute(_CLAIM, params)  # type: ignore[assignment]
        return result.rowcount == 1

    def add_item(self, order: Order) -> OrderItem:
        """The order's one item: its product, at its price."""
        item = OrderItem(
            order_id=order.id,
            product_id=order.product_id,
            product_name=order.product_name,
            amount_cents=order.amount_cents,
        )
        stamp(item, self.site_id, self.scope.now)
        self.session.add(item)
        return item
