"""Categories, which Thinkific's API calls collections:
https://developers.thinkific.com/api/api-documentation/#/Categories"""

from __future__ import annotations

from starlette.responses import Response

from syllabus.categories.schemas import CollectionCreate, CollectionRead, CollectionUpdate
from syllabus.categories.service import CategoryService
from syllabus.context import ApiDep
from syllabus.kit.routing import ResourceRouter
from syllabus.kit.schemas import PathId
from syllabus.pagination import Page, PageParamsDep
from syllabus.products.schemas import ProductRead

router = ResourceRouter(prefix="/collections", tags=["Categories"])


@router.get("", operation_id="getCollections", response_model=Page[CollectionRead])
async def get_collections(api: ApiDep, page: PageParamsDep) -> Response:
    """List categories, in ascending id order; the site's default one ("All Courses") too."""
    return await api.read(lambda scope: CategoryService(scope).list(page))


@router.post("", operation_id="crateCollection", status_code=201, response_model=CollectionRead)
async def crate_collection(api: ApiDep, body: CollectionCreate) -> Response:
    """Create a category. `name`, `description` and `slug` are required; the slug is unique on
    the site. (The operationId is upstream's, typo included.)"""
    return await api.write(lambda scope: CategoryService(scope).create(body))


@router.get("/{id}", operation_id="GetCollectionbyID", response_model=CollectionRead)
async def get_collection_by_id(api: ApiDep, id: PathId) -> Response:
    """Get a category with its product ids (ascending)."""
    return await api.read(lambda scope: CategoryService(scope).read(id))


@router.put("/{id}", operation_id="updateCollectioByID", status_code=204)
async def update_collection_by_id(api: ApiDep, id: PathId, body: CollectionUpdate) -> Response:
    """Update a category (only the keys given change). Thinkific answers 204 with no body."""
    return await api.write(lambda scope: CategoryService(scope).update(id, body))


@router.delete("/{id}", operation_id="deleteCollectionByID", status_code=204)
async def delete_collection_by_id(api: ApiDep, id: PathId) -> Response:
    """Delete a category and its memberships; its products stay. The site's default category
    cannot be deleted (422)."""
    return await api.write(lambda scope: CategoryService(scope).delete(id))


@router.get("/{id}/products", operation_id="getProductsbyID", response_model=Page[ProductRead])
async def get_products_by_id(api: ApiDep, id: PathId, page: PageParamsDep) -> Response:
    """List a category's products, in ascending id order."""
    return await api.read(lambda scope: CategoryService(scope).products_of(id, page))
