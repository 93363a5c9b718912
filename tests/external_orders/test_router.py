"""HTTP tests for /external_orders and its transactions.

https://developers.thinkific.com/api/api-documentation/#/External%20Orders. An external order
is stored with its transactions and does nothing else: no enrollment (FIDELITY §10 #18), no
order among /orders.
"""

from __future__ import annotations

from typing import Any, get_args

import httpx
import pytest
from sqlalchemy import func, select

from syllabus.external_orders.schemas import Action, OrderType
from syllabus.models import Course, Enrollment, ExternalOrder, ExternalOrderTransaction
from syllabus.models.order import ORDER_TYPES, TRANSACTION_ACTIONS
from tests.factories import make_course, make_external_order, make_product, make_user
from tests.orders.helpers import (
    FIXED_TEXT,
    NO_SUCH_ID,
    NOW_TEXT,
    PRODUCT_MISSING,
    UNKNOWN_BUYER_OR_PRODUCT,
    USER_MISSING,
    frozen_clock,
    recorded_events,
    rows_of,
)
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    EMPTY_PAGE,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
)

ACTIONS = ["purchase", "refund"]
pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)


def create(site: SiteClient, **body: Any) -> httpx.Response:
    return site.post("/external_orders", json=body)


def valid(site: SiteClient, **overrides: Any) -> dict[str, Any]:
    body = {
        "payment_provider": "Stripe",
        "user_id": make_user(site),
        "product_id": make_product(site),
        "order_type": "one-time",
    }
    return {**body, **overrides}


def stored(site: SiteClient) -> list[tuple[Any, ...]]:
    """(id, user_id, product_id, payment_provider, order_type) of the site's external orders."""
    o = ExternalOrder
    return rows_of(site, o, o.id, o.user_id, o.product_id, o.payment_provider, o.order_type)


def transactions(site: SiteClient, **equal: Any) -> list[tuple[Any, ...]]:
    """(external_order_id, action, amount, currency, reference) of the site's transactions."""
    t = ExternalOrderTransaction
    return rows_of(
        site, t, t.external_order_id, t.action, t.amount, t.currency, t.reference, **equal
    )


def transaction_body(transaction_id: int, order_id: int, action: str, **fields: Any) -> Any:
    return {
        "id": transaction_id,
        "external_order_id": order_id,
        "action": action,
        "amount": fields.get("amount", 10000),
        "currency": fields.get("currency", "USD"),
        "reference": fields.get("reference"),
        "created_at": NOW_TEXT,
    }


def transaction_payload(
    transaction_id: int, order: tuple[int, int, int, str, str], action: str, **fields: Any
) -> Any:
    """The payload of order_transaction.succeeded and .refunded (defined by Syllabus, in the
    webhook style: alphabetical keys, the order embedded)."""
    order_id, user_id, product_id, provider, order_type = order
    return {
        "action": action,
        "amount": fields.get("amount", 10000),
        "created_at": NOW_TEXT,
        "currency": fields.get("currency", "USD"),
        "external_order": {
            "created_at": fields.get("order_created_at", FIXED_TEXT),
            "id": order_id,
            "order_type": order_type,
            "payment_provider": provider,
            "product_id": product_id,
            "user_id": user_id,
        },
        "external_order_id": order_id,
        "id": transaction_id,
        "reference": fields.get("reference"),
    }


def order_created(order: tuple[int, int, int, str, str]) -> tuple[str, str, dict[str, Any]]:
    """The internal external_order.created event: no Thinkific topic covers it (an app reports
    what happened elsewhere); its payload is the order, alphabetical."""
    order_id, user_id, product_id, provider, order_type = order
    payload = {
        "created_at": NOW_TEXT,
        "id": order_id,
        "order_type": order_type,
        "payment_provider": provider,
        "product_id": product_id,
        "user_id": user_id,
    }
    return ("external_order", "created", payload)


def transact(site: SiteClient, order_id: Any, path: str, **body: Any) -> httpx.Response:
    """POST /external_orders/{order_id}/transactions/{path} (purchase or refund) with ``body``."""
    return site.post(f"/external_orders/{order_id}/transactions/{path}", json=body)


def an_order(site: SiteClient) -> tuple[int, int, int, str, str]:
    user, product = make_user(site), make_product(site)
    order_id = make_external_order(site, user, product, payment_provider="Stripe")
    return order_id, user, product, "Stripe", "one-time"


class TestCreateExternalOrder:
    @pytest.mark.parametrize("order_type", ["one-time", "subscription", "payment-plan"])
    def test_stores_it_and_answers_its_id(self, site: SiteClient, order_type: str) -> None:
        body = valid(site, order_type=order_type)
        response = create(site, **body)
        assert response.status_code == 201
        order_id = response.json()["id"]
        assert response.json() == {"id": order_id}
        order = (order_id, body["user_id"], body["product_id"], "Stripe", order_type)
        assert stored(site) == [order]
        assert transactions(site) == []
        assert recorded_events(site) == [order_created(order)]

    def test_a_transaction_is_its_first_purchase(self, site: SiteClient) -> None:
        body = valid(site)
        sent = {"amount": 10000, "currency": "usd", "reference": "ch_1", "action": "purchase"}
        order_id = create(site, **body, transaction=sent).json()["id"]
        assert transactions(site) == [(order_id, "purchase", 10000, "USD", "ch_1")]
        ((transaction_id,),) = rows_of(
            site, ExternalOrderTransaction, ExternalOrderTransaction.id, external_order_id=order_id
        )
        order = (order_id, body["user_id"], body["product_id"], "Stripe", "one-time")
        assert recorded_events(site) == [
            order_created(order),
            (
                "order_transaction",
                "succeeded",
                transaction_payload(
                    transaction_id, order, "purchase", reference="ch_1", order_created_at=NOW_TEXT
                ),
            ),
        ]

    def test_does_not_enroll_nor_make_an_order(self, site: SiteClient) -> None:
        course = make_course(site)
        product = site.db(lambda s: s.get_one(Course, course).product_id)
        body = valid(site, product_id=product)
        assert (
            create(site, **body, transaction={"amount": 100, "currency": "USD"}).status_code == 201
        )
        enrollments = site.db(
            lambda s: s.scalar(select(func.count()).where(Enrollment.site_id == site.id))
        )
        assert enrollments == 0
        assert_answers(site.get("/orders"), 200, EMPTY_PAGE)

    @pytest.mark.parametrize("spell", [str, float], ids=["string", "float"])
    def test_ids_may_be_numeric_strings_or_whole_floats(self, site: SiteClient, spell: Any) -> None:
        body = valid(site)
        response = create(
            site,
            **{**body, "user_id": spell(body["user_id"]), "product_id": spell(body["product_id"])},
        )
        assert response.status_code == 201
        assert stored(site)[0][1:3] == (body["user_id"], body["product_id"])

    @UNKNOWN_BUYER_OR_PRODUCT
    def test_unknown_user_or_product_is_422(
        self, site: SiteClient, unknown: dict[str, int], errors: dict[str, list[str]]
    ) -> None:
        assert_answers(create(site, **valid(site, **unknown)), 422, {"errors": errors})
        assert stored(site) == []

    def test_another_sites_user_and_product_are_unknown(
        self, site: SiteClient, other_site: SiteClient
    ) -> None:
        theirs = valid(other_site)
        response = create(
            site, **valid(site, user_id=theirs["user_id"], product_id=theirs["product_id"])
        )
        assert_answers(response, 422, {"errors": {**USER_MISSING, **PRODUCT_MISSING}})
        assert stored(site) == []
        assert stored(other_site) == []

    @pytest.mark.parametrize(
        ("change", "errors"),
        [
            ({"order_type": "monthly"}, {"order_type": ["is not included in the list"]}),
            ({"order_type": None}, {"order_type": ["can't be blank"]}),
            ({"payment_provider": "  "}, {"payment_provider": ["can't be blank"]}),
            (
                {"payment_provider": "x" * 256},
                {"payment_provider": ["is too long (maximum is 255 characters)"]},
            ),
            ({"user_id": "abc"}, {"user_id": ["is not a number"]}),
            ({"product_id": 1.5}, {"product_id": ["must be an integer"]}),
            (
                {"transaction": {"amount": 0, "currency": "USD"}},
                {"transaction": ["must be greater than 0"]},
            ),
            ({"transaction": {"amount": 100}}, {"transaction": ["can't be blank"]}),
            ({"transaction": {"amount": 100, "currency": "US"}}, {"transaction": ["is invalid"]}),
            ({"transaction": "purchase"}, {"transaction": ["is invalid"]}),
        ],
        ids=[
            "order-type-outside-its-enum",
            "order-type-null",
            "blank-provider",
            "long-provider",
            "user-id-not-a-number",
            "product-id-not-whole",
            "transaction-amount-zero",
            "transaction-without-currency",
            "transaction-currency-not-three-letters",
            "transaction-not-an-object",
        ],
    )
    def test_invalid_fields_are_422(
        self, site: SiteClient, change: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        assert_answers(create(site, **valid(site, **change)), 422, {"errors": errors})
        assert stored(site) == []

    @pytest.mark.parametrize("missing", ["payment_provider", "user_id", "product_id", "order_type"])
    def test_required_fields(self, site: SiteClient, missing: str) -> None:
        body = valid(site)
        del body[missing]
        assert_answers(create(site, **body), 422, {"errors": {missing: ["can't be blank"]}})

    def test_a_body_that_is_not_an_object_is_400(self, site: SiteClient) -> None:
        response = site.post("/external_orders", json=["one-time"])
        assert_answers(response, 400, {"error": "The request body must be a JSON object."})

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.post(
            "/api/public/v1/external_orders", json=valid(site), headers=headers
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert stored(site) == []


class TestTransactions:
    @pytest.mark.parametrize("action", ACTIONS)
    def test_records_the_transaction_and_answers_it(self, site: SiteClient, action: str) -> None:
        order = an_order(site)
        if action == "refund":
            transact(site, order[0], "purchase", amount=20000, currency="USD")
        response = transact(
            site, order[0], action, amount=10000, currency="USD", reference="ref-9", action=action
        )
        assert response.status_code == 200
        transaction_id = response.json()["id"]
        expected = transaction_body(transaction_id, order[0], action, reference="ref-9")
        assert_answers(response, 200, expected)
        assert list(response.json()) == list(expected)
        assert transactions(site)[-1] == (order[0], action, 10000, "USD", "ref-9")
        topic = {"purchase": "succeeded", "refund": "refunded"}[action]
        assert recorded_events(site)[-1] == (
            "order_transaction",
            topic,
            transaction_payload(transaction_id, order, action, reference="ref-9"),
        )

    def test_the_path_says_what_it_is_whatever_the_body_says(self, site: SiteClient) -> None:
        order = an_order(site)
        response = transact(site, order[0], "purchase", amount=500, currency="EUR", action="refund")
        assert response.json()["action"] == "purchase"
        assert transactions(site) == [(order[0], "purchase", 500, "EUR", None)]

    def test_refunds_up_to_what_was_paid_in_that_currency(self, site: SiteClient) -> None:
        order_id = an_order(site)[0]
        transact(site, order_id, "purchase", amount=10000, currency="USD")
        transact(site, order_id, "purchase", amount=5000, currency="usd")
        transact(site, order_id, "purchase", amount=700, currency="EUR")
        assert transact(site, order_id, "refund", amount=12000, currency="USD").status_code == 200
        over = transact(site, order_id, "refund", amount=3001, currency="USD")
        assert_answers(
            over, 422, {"errors": {"amount": ["is greater than the amount paid (3000 USD)"]}}
        )
        assert transact(site, order_id, "refund", amount=3000, currency="USD").status_code == 200
        nothing_left = transact(site, order_id, "refund", amount=1, currency="USD")
        assert_answers(
            nothing_left, 422, {"errors": {"amount": ["is greater than the amount paid (0 USD)"]}}
        )
        never_paid = transact(site, order_id, "refund", amount=1, currency="GBP")
        assert_answers(
            never_paid, 422, {"errors": {"amount": ["is greater than the amount paid (0 GBP)"]}}
        )
        assert transact(site, order_id, "refund", amount=700, currency="EUR").status_code == 200
        assert [t[1:4] for t in transactions(site)] == [
            ("purchase", 10000, "USD"),
            ("purchase", 5000, "USD"),
            ("purchase", 700, "EUR"),
            ("refund", 12000, "USD"),
            ("refund", 3000, "USD"),
            ("refund", 700, "EUR"),
        ]

    def test_the_largest_amounts_add_up_beyond_64_bits(self, site: SiteClient) -> None:
        order_id = an_order(site)[0]
        big = 2**63 - 1
        for _ in range(3):
            assert (
                transact(site, order_id, "purchase", amount=big, currency="USD").status_code == 200
            )
        assert transact(site, order_id, "refund", amount=big, currency="USD").status_code == 200
        assert transact(site, order_id, "refund", amount=big, currency="USD").status_code == 200

    def test_a_refund_refused_records_nothing(self, site: SiteClient) -> None:
        order_id = an_order(site)[0]
        assert transact(site, order_id, "refund", amount=1, currency="USD").status_code == 422
        assert transactions(site) == []
        assert recorded_events(site) == []

    @pytest.mark.parametrize("action", ACTIONS)
    @pytest.mark.parametrize("path_id", [str(NO_SUCH_ID), "abc", "-1", str(2**63)])
    def test_unknown_order_is_404(self, site: SiteClient, action: str, path_id: str) -> None:
        response = transact(site, path_id, action, amount=1, currency="USD")
        assert_answers(response, 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize("action", ACTIONS)
    def test_another_sites_order_is_404(
        self, site: SiteClient, other_site: SiteClient, action: str
    ) -> None:
        theirs = an_order(other_site)[0]
        transact(other_site, theirs, "purchase", amount=100, currency="USD")
        response = transact(site, theirs, action, amount=1, currency="USD")
        assert_answers(response, 404, RECORD_NOT_FOUND)
        assert len(transactions(other_site)) == 1

    @pytest.mark.parametrize("action", ACTIONS)
    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({"currency": "USD"}, {"amount": ["can't be blank"]}),
            ({"amount": 100}, {"currency": ["can't be blank"]}),
            ({"amount": -5, "currency": "USD"}, {"amount": ["must be greater than 0"]}),
            ({"amount": 9.5, "currency": "USD"}, {"amount": ["must be an integer"]}),
            ({"amount": "ten", "currency": "USD"}, {"amount": ["is not a number"]}),
            (
                {"amount": 2**63, "currency": "USD"},
                {"amount": [f"must be less than or equal to {2**63 - 1}"]},
            ),
            ({"amount": 1, "currency": "DOLLARS"}, {"currency": ["is invalid"]}),
            (
                {"amount": 1, "currency": "USD", "reference": "r" * 256},
                {"reference": ["is too long (maximum is 255 characters)"]},
            ),
        ],
        ids=[
            "no-amount",
            "no-currency",
            "negative",
            "fraction",
            "text",
            "too-big",
            "bad-currency",
            "long-reference",
        ],
    )
    def test_invalid_bodies_are_422(
        self, site: SiteClient, action: str, body: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        order_id = an_order(site)[0]
        assert_answers(transact(site, order_id, action, **body), 422, {"errors": errors})
        assert transactions(site) == []

    @pytest.mark.parametrize("action", ACTIONS)
    def test_a_body_that_is_not_an_object_is_400(self, site: SiteClient, action: str) -> None:
        order_id = an_order(site)[0]
        response = site.post(f"/external_orders/{order_id}/transactions/{action}", json=[1, "USD"])
        assert_answers(response, 400, {"error": "The request body must be a JSON object."})

    @pytest.mark.parametrize("action", ACTIONS)
    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(
        self, site: SiteClient, action: str, headers: dict[str, str]
    ) -> None:
        order_id = an_order(site)[0]
        response = site.http.post(
            f"/api/public/v1/external_orders/{order_id}/transactions/{action}",
            json={"amount": 1, "currency": "USD"},
            headers=headers,
        )
        assert_answers(response, 401, AUTHENTICATION_ERROR)
        assert transactions(site) == []


def test_the_enums_are_the_models() -> None:
    assert get_args(OrderType) == ORDER_TYPES
    assert get_args(Action) == TRANSACTION_ACTIONS
