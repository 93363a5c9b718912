"""HTTP tests for /coupons: https://developers.thinkific.com/api/api-documentation/#/Coupons"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from syllabus.coupons import service
from syllabus.models import Coupon
from tests.events.helpers import alphabetical, assert_recorded, recorded, topics
from tests.factories import make_coupon, make_promotion
from tests.promotions.helpers import (
    NO_SUCH_ID,
    NOT_AN_OBJECT,
    NOW_TEXT,
    coupon_body,
    unprocessable,
)
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
    assert_five_by_two,
    assert_only_theirs,
)

TAKEN = {"errors": {"code": ["has already been taken"]}}
PROMOTION_ID_REQUIRED = {"error": "Parameter promotion_id is required."}
PROMOTION_ID_INVALID = {"error": "Parameter promotion_id is invalid."}
GENERATED = set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")


def count_coupons(site: SiteClient) -> int:
    return site.db(lambda s: s.scalar(select(func.count()).where(Coupon.site_id == site.id)))


@dataclass
class OfPromotion(SiteClient):
    """A site whose GETs all carry ``promotion_id``: httpx replaces a path's query string
    with ``params``, and the shared page walk sends ``params``."""

    promotion_id: int = 0

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        params = {"promotion_id": self.promotion_id, **kwargs.pop("params", {})}
        return super().get(path, params=params, **kwargs)


class TestListCoupons:
    def test_pages_through_the_promotions_coupons_only(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        promotion = make_promotion(site)
        ids = [make_coupon(site, promotion) for _ in range(5)]
        make_coupon(site, make_promotion(site))
        make_coupon(other_site, make_promotion(other_site))
        assert_five_by_two(OfPromotion(**vars(site), promotion_id=promotion), "/coupons", ids)

    def test_whole_bodies(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        limited = make_coupon(
            site, promotion, code="TEN", note="Ten uses", quantity=10, quantity_used=4
        )
        unlimited = make_coupon(site, promotion, code="ANY")
        body = site.get("/coupons", params={"promotion_id": promotion}).json()
        assert body["items"] == [
            coupon_body(limited, promotion, "TEN", note="Ten uses", quantity=10, quantity_used=4),
            coupon_body(unlimited, promotion, "ANY"),
        ]

    def test_a_promotion_without_coupons(self, site: SiteClient) -> None:
        response = site.get("/coupons", params={"promotion_id": make_promotion(site)})
        assert_answers(response, 200, EMPTY_PAGE)

    def test_promotion_id_may_come_in_the_body(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        coupon = make_coupon(site, promotion, code="BODY")
        body = site.get("/coupons", json={"promotion_id": promotion}).json()
        assert body["items"] == [coupon_body(coupon, promotion, "BODY")]

    def test_promotion_id_is_required(self, site: SiteClient) -> None:
        assert_answers(site.get("/coupons"), 400, PROMOTION_ID_REQUIRED)
        assert_answers(site.get("/coupons?promotion_id=abc"), 400, PROMOTION_ID_INVALID)

    def test_unknown_and_another_sites_promotion_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_promotion(other_site)
        make_coupon(other_site, theirs)
        for promotion in (NO_SUCH_ID, theirs, -1, 2**70):
            response = site.get("/coupons", params={"promotion_id": promotion})
            assert_answers(response, 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials(self, site: SiteClient, headers: dict[str, str]) -> None:
        path = f"/api/public/v1/coupons?promotion_id={make_promotion(site)}"
        assert_answers(site.http.get(path, headers=headers), 401, AUTHENTICATION_ERROR)


class TestCreateCoupon:
    def test_returns_201_with_the_whole_coupon(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        response = site.post(
            f"/coupons?promotion_id={promotion}",
            json={"code": "ABCD", "note": "Black Friday Coupon", "quantity": 10},
        )
        assert response.status_code == 201
        created = response.json()
        expected = coupon_body(
            created["id"],
            promotion,
            "ABCD",
            note="Black Friday Coupon",
            quantity=10,
            created_at=NOW_TEXT,
        )
        assert created == expected
        assert site.get(f"/coupons/{created['id']}").json() == created
        assert site.get(f"/promotions/{promotion}").json()["coupon_ids"] == [created["id"]]
        # No Thinkific topic covers coupons: an internal event, the coupon alphabetically.
        assert_recorded(site, ("coupon.created", alphabetical(expected)))

    @pytest.mark.parametrize(
        "placement", ["query", "json", "form"], ids=["in-query", "in-json-body", "in-form-body"]
    )
    def test_promotion_id_in_the_query_or_the_body(self, site: SiteClient, placement: str) -> None:
        promotion = make_promotion(site)
        if placement == "query":
            response = site.post(f"/coupons?promotion_id={promotion}", json={"code": "WHERE"})
        elif placement == "json":
            response = site.post("/coupons", json={"code": "WHERE", "promotion_id": promotion})
        else:
            response = site.post(
                "/coupons",
                content=f"code=WHERE&promotion_id={promotion}",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        assert response.status_code == 201, response.text
        created = response.json()
        assert created == coupon_body(created["id"], promotion, "WHERE", created_at=NOW_TEXT)

    def test_the_body_wins_over_the_query(self, site: SiteClient) -> None:
        query, body = make_promotion(site), make_promotion(site)
        response = site.post(
            f"/coupons?promotion_id={query}", json={"code": "BODY", "promotion_id": body}
        )
        assert response.json()["promotion_id"] == body

    @pytest.mark.parametrize(
        ("quantity", "stored"),
        [(None, None), ("5", 5), (5.0, 5), (1, 1), (2**31 - 1, 2**31 - 1)],
    )
    def test_quantity(self, site: SiteClient, quantity: Any, stored: int | None) -> None:
        promotion = make_promotion(site)
        body = {"code": "Q", "quantity": quantity}
        created = site.post(f"/coupons?promotion_id={promotion}", json=body).json()
        assert created["quantity"] == stored

    @pytest.mark.parametrize(
        ("sent", "errors"),
        [
            ({}, {"code": ["can't be blank"]}),
            ({"code": " ", "note": None}, {"code": ["can't be blank"]}),
            ({"code": None}, {"code": ["can't be blank"]}),
            (
                {"code": "C" * 256, "note": "n" * 65_536},
                {
                    "code": ["is too long (maximum is 255 characters)"],
                    "note": ["is too long (maximum is 65535 characters)"],
                },
            ),
            ({"code": "C", "quantity": 0}, {"quantity": ["must be greater than 0"]}),
            ({"code": "C", "quantity": -3}, {"quantity": ["must be greater than 0"]}),
            ({"code": "C", "quantity": "many"}, {"quantity": ["is not a number"]}),
            ({"code": "C", "quantity": 1.5}, {"quantity": ["must be an integer"]}),
            (
                {"code": "C", "quantity": 2**31},
                {"quantity": ["must be less than or equal to 2147483647"]},
            ),
            ({"code": 12}, {"code": ["is invalid"]}),
        ],
    )
    def test_invalid(self, site: SiteClient, sent: dict[str, Any], errors: Any) -> None:
        promotion = make_promotion(site)
        response = site.post(f"/coupons?promotion_id={promotion}", json=sent)
        assert_answers(response, 422, unprocessable(**errors))
        assert count_coupons(site) == 0
        assert recorded(site) == []

    def test_a_code_is_unique_within_its_promotion(self, site: SiteClient) -> None:
        promotion, other = make_promotion(site), make_promotion(site)
        make_coupon(site, promotion, code="ONCE")
        response = site.post(f"/coupons?promotion_id={promotion}", json={"code": "ONCE"})
        assert_answers(response, 422, TAKEN)
        response = site.post(f"/coupons?promotion_id={other}", json={"code": "ONCE"})
        assert response.status_code == 201
        response = site.post(f"/coupons?promotion_id={promotion}", json={"code": "once"})
        assert response.status_code == 201
        assert count_coupons(site) == 3

    def test_concurrent_creates_with_one_code_make_one_coupon(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        writers = 12

        def create(index: int) -> tuple[int, Any]:
            body = {"code": "RACE", "note": f"writer {index}"}
            response = site.post(f"/coupons?promotion_id={promotion}", json=body)
            return response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=writers) as pool:
            results = list(pool.map(create, range(writers)))
        assert sorted(status for status, _ in results) == [201] + [422] * (writers - 1)
        assert all(body == TAKEN for status, body in results if status == 422)
        assert count_coupons(site) == 1
        # The refused creates rolled their events back with them.
        created = next(body for status, body in results if status == 201)
        assert recorded(site) == [("coupon.created", alphabetical(created))]

    def test_unknown_and_another_sites_promotion_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        for promotion in (NO_SUCH_ID, make_promotion(other_site)):
            response = site.post(f"/coupons?promotion_id={promotion}", json={"code": "X"})
            assert_answers(response, 404, RECORD_NOT_FOUND)
        assert count_coupons(site) == count_coupons(other_site) == 0

    def test_promotion_id_is_required(self, site: SiteClient) -> None:
        assert_answers(site.post("/coupons", json={"code": "X"}), 400, PROMOTION_ID_REQUIRED)
        response = site.post("/coupons", json={"code": "X", "promotion_id": "first"})
        assert_answers(response, 400, PROMOTION_ID_INVALID)

    def test_malformed_bodies_are_400(self, site: SiteClient) -> None:
        path = f"/coupons?promotion_id={make_promotion(site)}"
        assert_answers(site.post(path, json=["code"]), 400, NOT_AN_OBJECT)
        response = site.post(path, content=b'{"code"', headers={"Content-Type": "application/json"})
        assert response.status_code == 400
        assert response.json()["error"].startswith("The request body is not valid JSON")

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials(self, site: SiteClient, headers: dict[str, str]) -> None:
        path = f"/api/public/v1/coupons?promotion_id={make_promotion(site)}"
        response = site.http.post(path, json={"code": "EVE"}, headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert count_coupons(site) == 0


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The codes the bulk create draws, in order, instead of random ones."""
    codes: list[str] = []
    monkeypatch.setattr(service, "random_code", lambda length: codes.pop(0))
    return codes


class TestBulkCreateCoupons:
    def test_creates_coupons_with_random_unique_codes(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        response = site.post(
            f"/coupons/bulk_create?promotion_id={promotion}",
            json={"bulk_quantity": 25, "bulk_coupon_code_length": 8, "bulk_quantity_per_coupon": 3},
        )
        assert response.status_code == 201
        body = response.json()
        assert list(body) == ["items"]
        codes = [item["code"] for item in body["items"]]
        assert body["items"] == [
            coupon_body(item["id"], promotion, code, quantity=3, created_at=NOW_TEXT)
            for item, code in zip(body["items"], codes, strict=True)
        ]
        assert len(set(codes)) == 25
        assert all(len(code) == 8 and set(code) <= GENERATED for code in codes)
        ids = [item["id"] for item in body["items"]]
        assert ids == sorted(ids)
        listed = site.get("/coupons", params={"promotion_id": promotion, "limit": 250}).json()
        assert listed["items"] == body["items"]
        # One event per coupon, in id order.
        expected = [
            coupon_body(item["id"], promotion, code, quantity=3, created_at=NOW_TEXT)
            for item, code in zip(body["items"], codes, strict=True)
        ]
        assert_recorded(site, *(("coupon.created", alphabetical(item)) for item in expected))

    def test_the_most_at_once_unlimited_by_default(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        response = site.post(
            "/coupons/bulk_create",
            json={"promotion_id": promotion, "bulk_quantity": 1000, "bulk_coupon_code_length": 6},
        )
        assert response.status_code == 201
        items = response.json()["items"]
        assert len(items) == 1000
        assert len({item["code"] for item in items}) == 1000
        assert {(item["quantity"], item["quantity_used"], len(item["code"])) for item in items} == {
            (None, 0, 6)
        }
        assert count_coupons(site) == 1000

    def test_a_drawn_code_the_promotion_has_is_drawn_again(
        self, site: SiteClient, drawn: list[str]
    ) -> None:
        promotion = make_promotion(site)
        make_coupon(site, promotion, code="TAKEN1")
        make_coupon(site, make_promotion(site), code="ELSEWH")  # another promotion's: fine
        drawn += ["TAKEN1", "ELSEWH", "ELSEWH", "TAKEN1", "FRESH2"]
        response = site.post(
            f"/coupons/bulk_create?promotion_id={promotion}",
            json={"bulk_quantity": 2, "bulk_coupon_code_length": 6},
        )
        assert response.status_code == 201
        assert sorted(item["code"] for item in response.json()["items"]) == ["ELSEWH", "FRESH2"]
        assert drawn == []

    @pytest.mark.parametrize(
        ("sent", "errors"),
        [
            (
                {},
                {
                    "bulk_quantity": ["can't be blank"],
                    "bulk_coupon_code_length": ["can't be blank"],
                },
            ),
            (
                # What MCP sends: a guess at the API, refused.
                {"codes": ["A", "B"], "quantity": 2},
                {
                    "bulk_quantity": ["can't be blank"],
                    "bulk_coupon_code_length": ["can't be blank"],
                },
            ),
            (
                {"bulk_quantity": 0, "bulk_coupon_code_length": 5},
                {
                    "bulk_quantity": ["must be greater than or equal to 1"],
                    "bulk_coupon_code_length": ["must be greater than or equal to 6"],
                },
            ),
            (
                {"bulk_quantity": 1001, "bulk_coupon_code_length": 256},
                {
                    "bulk_quantity": ["must be less than or equal to 1000"],
                    "bulk_coupon_code_length": ["must be less than or equal to 255"],
                },
            ),
            (
                {
                    "bulk_quantity": "ten",
                    "bulk_coupon_code_length": 6,
                    "bulk_quantity_per_coupon": 0,
                },
                {
                    "bulk_quantity": ["is not a number"],
                    "bulk_quantity_per_coupon": ["must be greater than 0"],
                },
            ),
        ],
    )
    def test_invalid(self, site: SiteClient, sent: dict[str, Any], errors: Any) -> None:
        path = f"/coupons/bulk_create?promotion_id={make_promotion(site)}"
        assert_answers(site.post(path, json=sent), 422, unprocessable(**errors))
        assert count_coupons(site) == 0
        assert recorded(site) == []

    def test_numeric_strings_are_numbers(self, site: SiteClient) -> None:
        path = f"/coupons/bulk_create?promotion_id={make_promotion(site)}"
        sent = {
            "bulk_quantity": "2",
            "bulk_coupon_code_length": "7",
            "bulk_quantity_per_coupon": "1",
        }
        items = site.post(path, json=sent).json()["items"]
        assert [(len(item["code"]), item["quantity"]) for item in items] == [(7, 1), (7, 1)]

    def test_unknown_and_another_sites_promotion_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        body = {"bulk_quantity": 2, "bulk_coupon_code_length": 6}
        for promotion in (NO_SUCH_ID, make_promotion(other_site)):
            response = site.post(f"/coupons/bulk_create?promotion_id={promotion}", json=body)
            assert_answers(response, 404, RECORD_NOT_FOUND)
        assert count_coupons(site) == count_coupons(other_site) == 0

    def test_promotion_id_is_required(self, site: SiteClient) -> None:
        body = {"bulk_quantity": 2, "bulk_coupon_code_length": 6}
        assert_answers(site.post("/coupons/bulk_create", json=body), 400, PROMOTION_ID_REQUIRED)

    def test_not_an_object_is_400(self, site: SiteClient) -> None:
        path = f"/coupons/bulk_create?promotion_id={make_promotion(site)}"
        assert_answers(site.post(path, json=[2, 6]), 400, NOT_AN_OBJECT)

    def test_bad_credentials(self, site: SiteClient) -> None:
        path = f"/api/public/v1/coupons/bulk_create?promotion_id={make_promotion(site)}"
        response = site.http.post(path, json={"bulk_quantity": 2, "bulk_coupon_code_length": 6})
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert count_coupons(site) == 0


class TestGetCoupon:
    def test_the_whole_coupon(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        coupon = make_coupon(site, promotion, code="GET", note="A note", quantity=3)
        assert_answers(
            site.get(f"/coupons/{coupon}"),
            200,
            coupon_body(coupon, promotion, "GET", note="A note", quantity=3),
        )

    @pytest.mark.parametrize("path", [f"/coupons/{NO_SUCH_ID}", "/coupons/abc", "/coupons/-1"])
    def test_unknown_is_404(self, site: SiteClient, path: str) -> None:
        assert_answers(site.get(path), 404, RECORD_NOT_FOUND)

    def test_another_sites_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_coupon(other_site, make_promotion(other_site))
        assert_only_theirs(site, other_site, f"/coupons/{theirs}")

    def test_bad_credentials(self, site: SiteClient) -> None:
        coupon = make_coupon(site, make_promotion(site))
        response = site.http.get(f"/api/public/v1/coupons/{coupon}")
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestUpdateCoupon:
    def test_changes_the_keys_given(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        coupon = make_coupon(site, promotion, code="OLD", note="Kept", quantity=5)
        response = site.put(f"/coupons/{coupon}", json={"code": "NEW", "quantity_used": "4"})
        assert response.status_code == 204
        assert response.content == b""
        expected = coupon_body(coupon, promotion, "NEW", note="Kept", quantity=5, quantity_used=4)
        assert site.get(f"/coupons/{coupon}").json() == expected
        assert_recorded(site, ("coupon.updated", alphabetical(expected)))

    def test_null_quantity_is_unlimited_and_null_note_clears(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        coupon = make_coupon(site, promotion, code="SAME", note="Gone", quantity=5)
        body = {"code": "SAME", "quantity": None, "note": None}
        assert site.put(f"/coupons/{coupon}", json=body).status_code == 204
        assert site.get(f"/coupons/{coupon}").json() == coupon_body(coupon, promotion, "SAME")

    def test_the_spec_requires_the_code(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        coupon = make_coupon(site, promotion, code="KEEP")
        response = site.put(f"/coupons/{coupon}", json={"quantity": 3})
        assert_answers(response, 422, unprocessable(code=["can't be blank"]))
        assert site.get(f"/coupons/{coupon}").json() == coupon_body(coupon, promotion, "KEEP")

    @pytest.mark.parametrize(
        ("sent", "errors"),
        [
            ({"code": "K", "quantity_used": None}, {"quantity_used": ["can't be blank"]}),
            (
                {"code": "K", "quantity_used": -1},
                {"quantity_used": ["must be greater than or equal to 0"]},
            ),
            ({"code": "K", "quantity_used": "4.5"}, {"quantity_used": ["is not a number"]}),
            ({"code": "K", "quantity": 0}, {"quantity": ["must be greater than 0"]}),
            (
                {"code": "", "quantity": "x"},
                {"code": ["can't be blank"], "quantity": ["is not a number"]},
            ),
        ],
    )
    def test_invalid(self, site: SiteClient, sent: dict[str, Any], errors: Any) -> None:
        promotion = make_promotion(site)
        coupon = make_coupon(site, promotion, code="KEEP", quantity_used=2)
        assert_answers(site.put(f"/coupons/{coupon}", json=sent), 422, unprocessable(**errors))
        assert site.get(f"/coupons/{coupon}").json() == coupon_body(
            coupon, promotion, "KEEP", quantity_used=2
        )
        assert recorded(site) == []

    def test_a_code_another_coupon_of_the_promotion_has_is_taken(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        make_coupon(site, promotion, code="THEIRS")
        make_coupon(site, make_promotion(site), code="ELSEWHERE")
        coupon = make_coupon(site, promotion, code="MINE")
        assert_answers(site.put(f"/coupons/{coupon}", json={"code": "THEIRS"}), 422, TAKEN)
        assert site.put(f"/coupons/{coupon}", json={"code": "ELSEWHERE"}).status_code == 204
        assert site.get(f"/coupons/{coupon}").json()["code"] == "ELSEWHERE"
        assert topics(site) == ["coupon.updated"]

    def test_unknown_and_another_sites_are_404(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = make_coupon(other_site, make_promotion(other_site), code="THEIRS")
        for path in (f"/coupons/{NO_SUCH_ID}", f"/coupons/{theirs}", "/coupons/x"):
            assert_answers(site.put(path, json={"code": "MINE"}), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/coupons/{theirs}").json()["code"] == "THEIRS"
        assert recorded(site) == recorded(other_site) == []

    def test_not_an_object_is_400(self, site: SiteClient) -> None:
        coupon = make_coupon(site, make_promotion(site))
        assert_answers(site.put(f"/coupons/{coupon}", json="code"), 400, NOT_AN_OBJECT)

    def test_bad_credentials(self, site: SiteClient) -> None:
        coupon = make_coupon(site, make_promotion(site), code="KEEP")
        response = site.http.put(f"/api/public/v1/coupons/{coupon}", json={"code": "EVE"})
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert site.get(f"/coupons/{coupon}").json()["code"] == "KEEP"


class TestDeleteCoupon:
    def test_deletes_it(self, site: SiteClient) -> None:
        promotion = make_promotion(site)
        coupon = make_coupon(site, promotion, code="GONE", quantity=2, quantity_used=1)
        kept = make_coupon(site, promotion)
        response = site.delete(f"/coupons/{coupon}")
        assert response.status_code == 204
        assert response.content == b""
        assert_answers(site.get(f"/coupons/{coupon}"), 404, RECORD_NOT_FOUND)
        assert site.get(f"/promotions/{promotion}").json()["coupon_ids"] == [kept]
        assert_answers(site.delete(f"/coupons/{coupon}"), 404, RECORD_NOT_FOUND)
        # The coupon as it was.
        was = coupon_body(coupon, promotion, "GONE", quantity=2, quantity_used=1)
        assert_recorded(site, ("coupon.deleted", alphabetical(was)))

    def test_another_sites_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        theirs = make_coupon(other_site, make_promotion(other_site))
        assert_answers(site.delete(f"/coupons/{theirs}"), 404, RECORD_NOT_FOUND)
        assert other_site.get(f"/coupons/{theirs}").status_code == 200
        assert recorded(site) == recorded(other_site) == []

    def test_bad_credentials(self, site: SiteClient) -> None:
        coupon = make_coupon(site, make_promotion(site))
        assert_answers(
            site.http.delete(f"/api/public/v1/coupons/{coupon}"), 401, AUTHENTICATION_ERROR
        )
        assert count_coupons(site) == 1
