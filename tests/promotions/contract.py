"""Contract exercises for promotions (see tests/contract/harness.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from syllabus.models import Promotion
from tests.contract.harness import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    Contract,
    exercise,
    is_invalid_json_error,
    site_list,
)
from tests.factories import make_coupon, make_product, make_promotion
from tests.support import SiteClient

SALE = {"name": "Spring sale", "discount_type": "percentage", "amount": 10}


def promotion_count(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(Promotion.site_id == site.id)))


exercise("GET /promotions")(site_list("/promotions", make_promotion))


@exercise("POST /promotions")
def create_promotion(c: Contract) -> None:
    product = make_product(c.site)
    coupon = make_coupon(c.site, make_promotion(c.site))
    body = {**SALE, "product_ids": [product], "coupon_ids": [coupon], "duration": 3}
    created = c.call(201, "/promotions", json=body).json()
    assert (created["amount"], created["product_ids"], created["coupon_ids"]) == (
        "10.0",
        [product],
        [coupon],
    )
    assert c.site.get(f"/promotions/{created['id']}").json() == created
    c.call(
        422,
        "/promotions",
        json={**SALE, "amount": 0, "product_ids": [NO_SUCH_ID]},
        expect={
            "errors": {
                "amount": ["must be greater than 0"],
                "product_ids": [f"product {NO_SUCH_ID} does not exist"],
            }
        },
    )
    c.call(
        422,
        "/promotions",
        json={"discount_type": "bogo"},
        expect={
            "errors": {
                "name": ["can't be blank"],
                "discount_type": ["is not included in the list"],
                "amount": ["can't be blank"],
            }
        },
    )
    c.call(400, "/promotions", json=[SALE], expect=NOT_AN_OBJECT)
    c.call(
        400,
        "/promotions",
        content=b'{"name": ',
        headers={"Content-Type": "application/json"},
        expect=is_invalid_json_error,
    )
    c.unauthorized("/promotions", json=SALE)
    assert promotion_count(c.site) == 2


@exercise("GET /promotions/{id}")
def get_promotion(c: Contract) -> None:
    product = make_product(c.site)
    promotion = make_promotion(c.site, [product], name="Fixed five", discount_type="fixed")
    coupon = make_coupon(c.site, promotion)
    body = c.call(200, f"/promotions/{promotion}").json()
    assert (body["name"], body["coupon_ids"], body["product_ids"]) == (
        "Fixed five",
        [coupon],
        [product],
    )
    c.call(404, f"/promotions/{NO_SUCH_ID}")
    c.call(404, "/promotions/abc")
    c.call(404, f"/promotions/{make_promotion(c.other_site)}")
    c.unauthorized(f"/promotions/{promotion}")


@exercise("GET /promotions/by_coupon")
def get_promotion_by_coupon(c: Contract) -> None:
    product = make_product(c.site)
    promotion = make_promotion(c.site, [product])
    make_coupon(c.site, promotion, code="SAVE10")
    path = f"/promotions/by_coupon?product_id={product}&coupon_code=SAVE10"
    assert c.call(200, path).json() == c.site.get(f"/promotions/{promotion}").json()
    c.call(404, f"/promotions/by_coupon?product_id={make_product(c.site)}&coupon_code=SAVE10")
    c.call(404, f"/promotions/by_coupon?product_id={product}&coupon_code=OTHER")
    c.call(
        400,
        "/promotions/by_coupon?coupon_code=SAVE10",
        expect={"error": "Parameter product_id is required."},
    )
    c.unauthorized(path)


@exercise("PUT /promotions/{id}")
def update_promotion(c: Contract) -> None:
    promotion = make_promotion(c.site, [make_product(c.site)])
    response = c.call(204, f"/promotions/{promotion}", json={"name": "New", "product_ids": []})
    assert response.content == b""
    after = c.site.get(f"/promotions/{promotion}").json()
    assert (after["name"], after["product_ids"]) == ("New", [])
    c.call(
        422,
        f"/promotions/{promotion}",
        json={"amount": 101},
        expect={"errors": {"amount": ["must be less than or equal to 100"]}},
    )
    c.call(400, f"/promotions/{promotion}", json="name", expect=NOT_AN_OBJECT)
    c.call(404, f"/promotions/{NO_SUCH_ID}", json={"name": "X"})
    foreign = make_promotion(c.other_site, name="Theirs")
    c.call(404, f"/promotions/{foreign}", json={"name": "Mine"})
    assert c.other_site.get(f"/promotions/{foreign}").json()["name"] == "Theirs"
    c.unauthorized(f"/promotions/{promotion}", json={"name": "Eve"})
    assert c.site.get(f"/promotions/{promotion}").json() == after


@exercise("DELETE /promotions/{id}")
def delete_promotion(c: Contract) -> None:
    promotion = make_promotion(c.site)
    c.unauthorized(f"/promotions/{promotion}")
    assert c.call(204, f"/promotions/{promotion}").content == b""
    c.call(404, f"/promotions/{promotion}")
    c.call(404, f"/promotions/{make_promotion(c.other_site)}")
    assert promotion_count(c.other_site) == 1
