from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from syllabus.kit.filters import Criteria
from syllabus.kit.repository import Repository
from syllabus.kit.wire import Children, JSONObject, Wire
from syllabus.models import (
    Collection,
    Product,
    ProductPrice,
    collection_memberships,
    related_products,
)
from syllabus.pagination import PageParams
from syllabus.products.instructors import INSTRUCTOR_NAMES
from syllabus.products.schemas import ProductPriceRead, ProductRead

PRODUCT_PRICE = Wire(
    ProductPriceRead, ProductPrice, joins=((Product, Product.id == ProductPrice.product_id),)
)


PRODUCT = Wire(
    ProductRead,
    Product,
    children={
        "collection_ids": Children.linked(
            collection_memberships.c.product_id, collection_memberships.c.collection_id, Collection
        ),
        "related_product_ids": Children.linked(
            related_products.c.product_id, related_products.c.related_product_id, Product
        ),
        "product_prices": Children.of(PRODUCT_PRICE, ProductPrice.product_id),
        "instructor_names": INSTRUCTOR_NAMES,
    },
)
# product.created, product.updated and product.deleted: the product with alphabetical keys
# (FIDELITY §7.2).
PRODUCT_PAYLOAD = PRODUCT.alphabetical()

_EXISTING = select(Product.id).where(
    Product.site_id == bindparam("site_id"), Product.id.in_(bindparam("ids", expanding=True))
)


def _in_collection() -> Any:
    return Product.id.in_(
        select(collection_memberships.c.product_id).where(
            collection_memberships.c.collection_id == bindparam("collection_id")
        )
    )


def _related_to() -> Any:
    return Product.id.in_(
        select(related_products.c.related_product_id).where(
            related_products.c.product_id == bindparam("product_id")
        )
    )


class ProductRepository(Repository[Product]):
    model = Product
    wire = PRODUCT

    def in_collection(self, collection_id: int, params: PageParams) -> JSONObject:
        """A page of the category's products, in ascending id order."""
        criteria = Criteria()
        criteria.add("collection_id", _in_collection, collection_id=collection_id)
        return self.page(criteria, params)

    def related_to(self, product_id: int, params: PageParams) -> JSONObject:
        """A page of the product's related products, in ascending id order."""
        criteria = Criteria()
        criteria.add("related_to", _related_to, product_id=product_id)
        return self.page(criteria, params)

    def existing(self, ids: list[int]) -> set[int]:
        """Which of ``ids`` are the site's products."""
        connection = self.scope.connection
        return set(connection.scalars(_EXISTING, {"site_id": self.site_id, "ids": ids}))
