"""Contract exercises for coupons (see tests/contract/harness.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from syllabus.models import Coupon
from tests.contract.harness import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    Contract,
    exercise,
    is_invalid_json_error,
)
from tests.factories import make_coupon, make_promotion
from tests.support import SiteClient

REQUIRED = {"error": "Parameter promotion_id is required."}
TAKEN = {"errors": {"code": ["has already been taken"]}}
BULK = {"bulk_quantity": 3, "bulk_coupon_code_length": 8}


def coupon_count(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(Coupon.site_id == site.id)))


@exercise("GET /coupons")
def list_coupons(c: Contract) -> None:
    promotion = make_promotion(c.site)
    ids = [make_coupon(c.site, promotion) for _ in range(3)]
    make_coupon(c.site, make_promotion(c.site))
    make_coupon(c.other_site, make_promotion(c.other_site))
    c.page_through(f"/coupons?promotion_id={promotion}", ids)
    c.call(400, "/coupons", expect=REQUIRED)
    c.call(404, f"/coupons?promotion_id={make_promotion(c.other_site)}")
    c.unauthorized(f"/coupons?promotion_id={promotion}")


@exercise("POST /coupons")
def create_coupon(c: Contract) -> None:
    promotion = make_promotion(c.site)
    created = c.call(
        201, f"/coupons?promotion_id={promotion}", json={"code": "SAVE", "quantity": 5}
    ).json()
    assert (created["code"], created["quantity"], created["quantity_used"]) == ("SAVE", 5, 0)
    assert c.site.get(f"/coupons/{created['id']}").json() == created
    in_body = c.call(201, "/coupons", json={"code": "BODY", "promotion_id": promotion}).json()
    assert (in_body["promotion_id"], in_body["quantity"]) == (promotion, None)
    c.call(422, f"/coupons?promotion_id={promotion}", json={"code": "SAVE"}, expect=TAKEN)
    c.call(
        422,
        f"/coupons?promotion_id={promotion}",
        json={"quantity": 0},
        expect={"errors": {"code": ["can't be blank"], "quantity": ["must be greater than 0"]}},
    )
    c.call(400, f"/coupons?promotion_id={promotion}", json=["SAVE"], expect=NOT_AN_OBJECT)
    c.call(
        400,
        f"/coupons?promotion_id={promotion}",
        content=b'{"code": ',
        headers={"Content-Type": "application/json"},
        expect=is_invalid_json_error,
    )
    c.call(400, "/coupons", json={"code": "X"}, expect=REQUIRED)
    c.call(404, f"/coupons?promotion_id={NO_SUCH_ID}", json={"code": "X"})
    c.unauthorized(f"/coupons?promotion_id={promotion}", json={"code": "EVE"})
    assert coupon_count(c.site) == 2


@exercise("POST /coupons/bulk_create")
def bulk_create_coupons(c: Contract) -> None:
    promotion = make_promotion(c.site)
    path = f"/coupons/bulk_create?promotion_id={promotion}"
    items = c.call(201, path, json={**BULK, "bulk_quantity_per_coupon": 2}).json()["items"]
    assert [(len(item["code"]), item["quantity"]) for item in items] == [(8, 2)] * 3
    c.call(
        422,
        path,
        json={"bulk_quantity": 1001, "bulk_coupon_code_length": 5},
        expect={
            "errors": {
                "bulk_quantity": ["must be less than or equal to 1000"],
                "bulk_coupon_code_length": ["must be greater than or equal to 6"],
            }
        },
    )
    c.call(400, path, json=[BULK], expect=NOT_AN_OBJECT)
    c.call(400, "/coupons/bulk_create", json=BULK, expect=REQUIRED)
    c.call(404, f"/coupons/bulk_create?promotion_id={make_promotion(c.other_site)}", json=BULK)
    c.unauthorized(path, json=BULK)
    assert coupon_count(c.site) == 3


@exercise("GET /coupons/{id}")
def get_coupon(c: Contract) -> None:
    promotion = make_promotion(c.site)
    coupon = make_coupon(c.site, promotion, code="GET", quantity=4, quantity_used=1)
    body = c.call(200, f"/coupons/{coupon}").json()
    assert (body["code"], body["promotion_id"], body["quantity"], body["quantity_used"]) == (
        "GET",
        promotion,
        4,
        1,
    )
    c.call(404, f"/coupons/{NO_SUCH_ID}")
    c.call(404, "/coupons/abc")
    c.call(404, f"/coupons/{make_coupon(c.other_site, make_promotion(c.other_site))}")
    c.unauthorized(f"/coupons/{coupon}")


@exercise("PUT /coupons/{id}")
def update_coupon(c: Contract) -> None:
    promotion = make_promotion(c.site)
    make_coupon(c.site, promotion, code="TAKEN")
    coupon = make_coupon(c.site, promotion, code="OLD")
    response = c.call(204, f"/coupons/{coupon}", json={"code": "NEW", "quantity_used": "3"})
    assert response.content == b""
    after = c.site.get(f"/coupons/{coupon}").json()
    assert (after["code"], after["quantity_used"]) == ("NEW", 3)
    c.call(422, f"/coupons/{coupon}", json={"code": "TAKEN"}, expect=TAKEN)
    c.call(
        422,
        f"/coupons/{coupon}",
        json={"quantity": 2},
        expect={"errors": {"code": ["can't be blank"]}},
    )
    c.call(400, f"/coupons/{coupon}", json=["NEW"], expect=NOT_AN_OBJECT)
    c.call(404, f"/coupons/{NO_SUCH_ID}", json={"code": "X"})
    foreign = make_coupon(c.other_site, make_promotion(c.other_site), code="THEIRS")
    c.call(404, f"/coupons/{foreign}", json={"code": "MINE"})
    assert c.other_site.get(f"/coupons/{foreign}").json()["code"] == "THEIRS"
    c.unauthorized(f"/coupons/{coupon}", json={"code": "EVE"})
    assert c.site.get(f"/coupons/{coupon}").json() == after


@exercise("DELETE /coupons/{id}")
def delete_coupon(c: Contract) -> None:
    coupon = make_coupon(c.site, make_promotion(c.site))
    c.unauthorized(f"/coupons/{coupon}")
    assert c.call(204, f"/coupons/{coupon}").content == b""
    c.call(404, f"/coupons/{coupon}")
    c.call(404, f"/coupons/{make_coupon(c.other_site, make_promotion(c.other_site))}")
    assert coupon_count(c.other_site) == 1
