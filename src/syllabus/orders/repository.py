from __future__ import annotations

from sqlalchemy import bindparam, select

from syllabus.kit.repository import Repository, fits
from syllabus.kit.wire import Children, Wire
from syllabus.models import (
    Bundle,
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
