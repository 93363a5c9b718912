"""Products: https://developers.thinkific.com/api/api-documentation/#/Products"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.context import ApiDep
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep
from syllabus.products.schemas import ProductRead
from syllabus.products.service import ProductService

router = ResourceRouter(prefix="/products", tags=["Products"])


@router.get("", operation_id="getProducts", response_model=Page[ProductRead])
async def get_products(api: ApiDep, page: PageParamsDep) -> Response:
    """List products (courses and bundles, hidden, private and draft ones included), in
    ascending id order. `price` is a decimal string."""
    return await api.read(lambda scope: ProductService(scope).list(page))


@router.get("/{id}", operation_id="getProductByID", response_model=ProductRead)
async def get_product_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a product with its prices, categories, related products and instructor names."""
    return await api.read(lambda scope: ProductService(scope).read(id))


@router.get(
    "/{id}/related", operation_id="getRelatedProductByProductID", response_model=Page[ProductRead]
)
async def get_related_product_by_product_id(
    api: ApiDep, id: PathId, page: PageParamsDep
) -> Response:
    """List a product's related products, in ascending id order."""
    return await api.read(lambda scope: ProductService(scope).related(id, page))
