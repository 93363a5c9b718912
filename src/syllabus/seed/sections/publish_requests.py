"""``publish_requests``: a product waiting to be published, once per product.

A product with a pending request (the file's, or any the site holds) is left alone: loading
twice asks once. A request changes nothing else: the product keeps its status until a site
admin approves it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from syllabus.kit.validation import Email
from syllabus.models import ProductPublishRequest, User
from syllabus.seed.loader import Load, Problem, Reference, Section, Slug, Stamped, times_of
from syllabus.seed.sections.courses import (
    PRODUCTS,
    product_id,
    product_reference,
    product_slugs,
    productless,
)

PRODUCT = product_reference("product")
PENDING = "pending"


class PublishRequestSpec(Stamped):
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

    def export(self, session: Session, site_id: int) -> list[dict[str, Any]]:
        """The requests still pending (the API lists only those)."""
        slugs = product_slugs(session, site_id)
        rows = session.execute(
            select(ProductPublishRequest, User.email)
            .outerjoin(User, User.id == ProductPublishRequest.requesting_user_id)
            .where(
                ProductPublishRequest.site_id == site_id,
                ProductPublishRequest.status == PENDING,
            )
            .order_by(ProductPublishRequest.id)
        )
        return [
            {"product": slugs[row.product_id], "requested_by": email, **times_of(row)}
            for row, email in rows
        ]


SECTION = PublishRequests()
