from __future__ import annotations

from syllabus.context import Scope
from syllabus.errors import found
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.pagination import PageParams
from syllabus.products.repository import ProductRepository


class ProductService:
    def __init__(self, scope: Scope) -> None:
        self.products = ProductRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.products.page(Criteria(), params)

    def read(self, id: int) -> JSONObject:
        return found(self.products.read(id))

    def related(self, id: int, params: PageParams) -> JSONObject:
        """The product's related products; a missing product is a 404, not an empty page."""
        self.products.require(id)
        return self.products.related_to(id, params)
