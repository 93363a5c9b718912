from __future__ import annotations

from typing import Annotated, Literal

from syllabus.kit.schemas import DecimalString, ResponseSchema, Timestamp
from syllabus.kit.wire import From
from syllabus.models import Product, ProductPrice


def _text(value: int | None) -> str | None:
    """A count as ProductPriceResponse types it: a string, or null."""
    return None if value is None else str(value)


def price_name(stored: str | None, is_primary: bool, label: str | None, product: str) -> str:
    """The primary price is named after the product; another one "{product} - {label}"
    (spec: ProductPriceResponse.price_name). A name stored with the price wins."""
    if stored:
        return stored
    return f"{product} - {label}" if label and not is_primary else product


class ProductPriceRead(ResponseSchema):
    """ProductPriceResponse, in the spec's order: amounts are decimal strings and counts are
    strings (or null), as the spec types them."""

    id: int
    is_primary: bool
    payment_type: Literal["free", "one-time", "subscription", "payment-plan"]
    label: str | None
    price: DecimalString
    days_until_expiry: Annotated[str | None, From(_text, ProductPrice.days_until_expiry)]
    pay_button_text: str | None
    number_of_payments: Annotated[str | None, From(_text, ProductPrice.number_of_payments)]
    interval: Literal["month", "year"] | None
    interval_count: Annotated[str | None, From(_text, ProductPrice.interval_count)]
    trial_interval: Literal["day", "month"] | None
    trial_interval_count: Annotated[str | None, From(_text, ProductPrice.trial_interval_count)]
    custom_first_price: DecimalString | None
    price_name: Annotated[
        str,
        From(
            price_name,
            ProductPrice.price_name,
            ProductPrice.is_primary,
            ProductPrice.label,
            Product.name,
        ),
    ]
    currency: str


class ProductRead(ResponseSchema):
    """Field order is the live API's (FIDELITY §6.6), then the spec's fields that example lacks
    (``card_image_url``, ``product_prices``), then ``instructor_names`` (FIDELITY §6.5).

    ``price`` is a decimal string (§6.3); ``collection_ids`` and ``related_product_ids`` ascend.
    Its webhook payload (``product.*``) is the same object with alphabetical keys.
    """

    id: int
    created_at: Timestamp
    productable_id: int | None
    productable_type: Literal["Course", "Bundle"]
    price: DecimalString
    position: int
    status: Literal["published", "draft"]
    name: str
    private: bool
    hidden: bool
    subscription: bool
    days_until_expiry: int | None
    has_certificate: bool
    collection_ids: list[int]
    seo_title: str | None
    seo_description: str | None
    keywords: str | None
    related_product_ids: list[int]
    slug: str
    description: str | None
    card_image_url: str | None
    product_prices: list[ProductPriceRead]
    instructor_names: str | None
