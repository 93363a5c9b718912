"""``publish_requests``: a product waiting to be published, once per product.

A product with a pending request (the file's, or any the site holds) is left alone: loading
twice asks once. A request changes nothing else: the product keeps its status until a site
admin approves it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select

from syllabus.kit.validation import Email
from syllabus.models import ProductPublishRequest
from syllabus.seed.loader import Load, Problem, Reference, Section, Slug, Spec
from syllabus.seed.sections.courses import PRODUCTS, product_id, product_reference, productless

PRODUCT = product_reference("product")
PENDING = "pending"


class PublishRequestSpec(Spec):
    product: Slug
    requested_by: Email | None = None


class PublishRequests(Section[PublishRequestSpec]):
    key = "publish_requests"
    spec = PublishRequestSpec
    references = (PRODUCT, Reference("requested_by", "users"))
    after = ("users", *PRODUCTS)

    def key_of(self, spec: PublishRequestSpec) -> str:
        return spec.product

    def check(self, entries: Sequence[PublishRequestSpec]) -> Iterator[Problem]:
        return self.repeated_keys(entries, lambda request: repr(request.product), "product")

    def check_site(self, entries: Sequence[PublishRequestSpec], load: Load) -> Iterator[Problem]:
        return productless(load, entries, PRODUCT)

    def find(self, load: Load, spec: PublishRequestSpec) -> ProductPublishRequest | None:
        return load.session.scalars(
            select(ProductPublishRequest)
            .where(
                ProductPublishRequest.site_id == load.site.id,
                ProductPublishRequest.product_id == product_id(load, spec.product),
                ProductPublishRequest.status == PENDING,
            )
            .order_by(ProductPublishRequest.id)
        ).first()

    def new(self, load: Load, spec: PublishRequestSpec) -> ProductPublishRequest:
        requester = load.referenced("users", spec.requested_by).id if spec.requested_by else None
        return ProductPublishRequest(
            product_id=product_id(load, spec.product), status=PENDING, requesting_user_id=requester
        )

    def upsert(
        self, load: Load, spec: PublishRequestSpec, row: ProductPublishRequest, creating: bool
    ) -> bool:
        if creating:
            load.add(row)
        return False


SECTION = PublishRequests()
