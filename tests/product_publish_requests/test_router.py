"""HTTP tests for /product_publish_requests.

https://developers.thinkific.com/api/api-documentation/#/Product%20Publish%20Request. The list
holds only unanswered requests; a site admin approves (publishing the product, with
``product.updated``) or denies one, once. Each answer records the request's internal event.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.events.helpers import alphabetical, assert_recorded, recorded, topics
from tests.factories import FIXED, make_publish_request, make_user
from tests.product_publish_requests.helpers import (
    FIELD_ORDER,
    NO_SUCH_ID,
    NOT_A_SITE_ADMIN,
    NOW,
    NOW_TEXT,
    RESPONDER_NOT_FOUND,
    already,
    course_admin,
    draft,
    frozen_clock,
    new_request,
    notify_requester,
    product_state,
    request_body,
    site_admin,
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
    pagination,
)

pytestmark = pytest.mark.usefixtures(frozen_clock.__name__)
NOT_AN_OBJECT = {"error": "The request body must be a JSON object."}
ANSWERS = ["approve", "deny"]
ANSWERED = {"approve": "approved", "deny": "denied"}


def answer(site: SiteClient, how: str, id: Any, **body: Any) -> Any:
    return site.post(f"/product_publish_requests/{id}/{how}", json=body)


class TestListProductPublishRequests:
    def test_a_new_site_has_none(self, site: SiteClient) -> None:
        assert_answers(site.get("/product_publish_requests"), 200, EMPTY_PAGE)

    def test_lists_only_pending_requests_whole(self, site: SiteClient) -> None:
        requester, product = course_admin(site), draft(site)
        pending = make_publish_request(site, product, requesting_user_id=requester)
        make_publish_request(site, draft(site), status="approved", completed_at=FIXED)
        make_publish_request(site, draft(site), status="denied", completed_at=FIXED)
        other_product = draft(site)
        unrequested = make_publish_request(site, other_product)
        expected = [
            request_body(pending, product, requesting_user_id=requester),
            request_body(unrequested, other_product),
        ]
        response = site.get("/product_publish_requests")
        assert_answers(
            response, 200, {"items": expected, "meta": {"pagination": pagination(1, 25, 2, 2)}}
        )
        assert [list(item) for item in response.json()["items"]] == [FIELD_ORDER] * 2

    def test_pages_in_ascending_id_order(self, site: SiteClient, other_site: SiteClient) -> None:
        ids = [new_request(site) for _ in range(5)]
        new_request(other_site)
        make_publish_request(site, draft(site), status="denied")
        assert_five_by_two(site, "/product_publish_requests", ids)

    def test_an_answered_request_leaves_the_list(self, site: SiteClient) -> None:
        first, second = new_request(site), new_request(site)
        assert answer(site, "deny", first, user_id=site_admin(site)).status_code == 200
        listed = site.get("/product_publish_requests").json()["items"]
        assert [item["id"] for item in listed] == [second]

    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        response = site.http.get("/api/public/v1/product_publish_requests", headers=headers)
        assert_answers(response, 401, AUTHENTICATION_ERROR)


class TestGetProductPublishRequest:
    def test_returns_a_pending_request(self, site: SiteClient) -> None:
        requester, product = course_admin(site), draft(site)
        id = make_publish_request(site, product, requesting_user_id=requester)
        response = site.get(f"/product_publish_requests/{id}")
        assert_answers(response, 200, request_body(id, product, requesting_user_id=requester))
        assert list(response.json()) == FIELD_ORDER

    def test_returns_an_answered_request(self, site: SiteClient) -> None:
        requester, responder, product = course_admin(site), site_admin(site), draft(site)
        id = make_publish_request(
            site,
            product,
            status="approved",
            requesting_user_id=requester,
            responding_user_id=responder,
            response_text="Wow! Great course!",
            completed_at=FIXED,
        )
        expected = request_body(
            id,
            product,
            status="approved",
            requesting_user_id=requester,
            responding_user_id=responder,
            response_text="Wow! Great course!",
            completed_at="2024-02-22T20:32:52.726Z",
        )
        assert_answers(site.get(f"/product_publish_requests/{id}"), 200, expected)

    @pytest.mark.parametrize("id", [str(NO_SUCH_ID), "abc", "1.5", "-1", str(2**64)])
    def test_unknown_is_404(self, site: SiteClient, id: str) -> None:
        new_request(site)
        assert_answers(site.get(f"/product_publish_requests/{id}"), 404, RECORD_NOT_FOUND)

    def test_another_sites_request_is_404(self, site: SiteClient, other_site: SiteClient) -> None:
        assert_only_theirs(site, other_site, f"/product_publish_requests/{new_request(other_site)}")


class TestApprove:
    def test_approves_and_publishes_the_product(self, site: SiteClient) -> None:
        requester, responder, product = course_admin(site), site_admin(site), draft(site)
        id = make_publish_request(site, product, requesting_user_id=requester)

        response = answer(
            site,
            "approve",
            id,
            user_id=responder,
            response_text="Course approved",
            notify_requester=True,
        )

        expected = request_body(
            id,
            product,
            status="approved",
            response_text="Course approved",
            requesting_user_id=requester,
            responding_user_id=responder,
            completed_at=NOW_TEXT,
            updated_at=NOW_TEXT,
        )
        assert_answers(response, 200, expected)
        assert list(response.json()) == FIELD_ORDER
        assert_answers(site.get(f"/product_publish_requests/{id}"), 200, expected)
        assert notify_requester(site, id) is True
        assert product_state(site, product) == ("published", NOW)
        served = site.get(f"/products/{product}").json()
        assert served["status"] == "published"
        # The request's internal event as answered, then the product's Thinkific topic.
        assert_recorded(
            site,
            ("product_publish_request.approved", alphabetical(expected)),
            ("product.updated", alphabetical(served)),
        )

    def test_only_the_user_id_is_required(self, site: SiteClient) -> None:
        responder, id = site_admin(site), new_request(site)
        body = answer(site, "approve", id, user_id=str(responder)).json()
        assert (body["status"], body["response_text"], body["responding_user_id"]) == (
            "approved",
            None,
            responder,
        )
        assert notify_requester(site, id) is False

    def test_each_approval_publishes_the_product_again(self, site: SiteClient) -> None:
        product = draft(site)
        for id in (new_request(site, product), new_request(site, product)):
            assert answer(site, "approve", id, user_id=site_admin(site)).status_code == 200
        assert product_state(site, product) == ("published", NOW)
        assert topics(site) == ["product_publish_request.approved", "product.updated"] * 2


class TestAnswers:
    """What approving and denying share: who may answer, and only once."""

    def test_deny_leaves_the_product_as_it_was(self, site: SiteClient) -> None:
        requester, responder, product = course_admin(site), site_admin(site), draft(site)
        id = make_publish_request(site, product, requesting_user_id=requester)
        response = answer(site, "deny", id, user_id=responder, response_text="Not yet")
        expected = request_body(
            id,
            product,
            status="denied",
            response_text="Not yet",
            requesting_user_id=requester,
            responding_user_id=responder,
            completed_at=NOW_TEXT,
            updated_at=NOW_TEXT,
        )
        assert_answers(response, 200, expected)
        assert_answers(site.get(f"/product_publish_requests/{id}"), 200, expected)
        assert product_state(site, product) == ("draft", FIXED)
        # Only the request's internal event: the product is unchanged.
        assert_recorded(site, ("product_publish_request.denied", alphabetical(expected)))

    @pytest.mark.parametrize("how", ANSWERS)
    @pytest.mark.parametrize("first", ANSWERS)
    def test_a_request_is_answered_once(self, site: SiteClient, first: str, how: str) -> None:
        id, responder = new_request(site), site_admin(site)
        assert answer(site, first, id, user_id=responder).status_code == 200
        before = site.get(f"/product_publish_requests/{id}").json()
        events = recorded(site)
        assert_answers(
            answer(site, how, id, user_id=responder, response_text="again"),
            422,
            already(ANSWERED[first]),
        )
        assert site.get(f"/product_publish_requests/{id}").json() == before
        assert recorded(site) == events

    @pytest.mark.parametrize("how", ANSWERS)
    def test_an_unknown_responder_is_not_found(
        self, site: SiteClient, other_site: SiteClient, how: str
    ) -> None:
        id = new_request(site)
        for user_id in (NO_SUCH_ID, 0, -5, site_admin(other_site)):
            assert_answers(answer(site, how, id, user_id=user_id), 422, RESPONDER_NOT_FOUND)
        self.assert_unanswered(site, id)

    @pytest.mark.parametrize("how", ANSWERS)
    @pytest.mark.parametrize("roles", [[], ["course_admin"], ["affiliate", "group_analyst"]])
    def test_a_responder_who_is_no_site_admin_is_refused(
        self, site: SiteClient, how: str, roles: list[str]
    ) -> None:
        id, user = new_request(site), make_user(site, roles=roles)
        assert_answers(answer(site, how, id, user_id=user), 422, NOT_A_SITE_ADMIN)
        self.assert_unanswered(site, id)

    @pytest.mark.parametrize("how", ANSWERS)
    def test_a_site_admin_with_other_roles_may_answer(self, site: SiteClient, how: str) -> None:
        id, user = new_request(site), make_user(site, roles=["course_admin", "site_admin"])
        assert answer(site, how, id, user_id=user).json()["responding_user_id"] == user

    @pytest.mark.parametrize("how", ANSWERS)
    def test_every_problem_is_told_at_once(self, site: SiteClient, how: str) -> None:
        id = make_publish_request(site, draft(site), status="denied")
        expected = {"errors": {**RESPONDER_NOT_FOUND["errors"], **already("denied")["errors"]}}
        assert_answers(answer(site, how, id, user_id=NO_SUCH_ID), 422, expected)

    @pytest.mark.parametrize("how", ANSWERS)
    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({}, {"user_id": ["can't be blank"]}),
            ({"user_id": None}, {"user_id": ["can't be blank"]}),
            ({"user_id": "abc"}, {"user_id": ["is not a number"]}),
            (
                {"user_id": 2**63},
                {"user_id": ["must be less than or equal to 9223372036854775807"]},
            ),
            ({"user_id": 1, "notify_requester": "maybe"}, {"notify_requester": ["is invalid"]}),
            (
                {"user_id": 1, "response_text": "x" * 65_536},
                {"response_text": ["is too long (maximum is 65535 characters)"]},
            ),
        ],
        ids=["missing", "null", "not-a-number", "too-big", "not-a-boolean", "text-too-long"],
    )
    def test_a_bad_body_is_a_422(
        self, site: SiteClient, how: str, body: dict[str, Any], errors: dict[str, Any]
    ) -> None:
        id = new_request(site)
        assert_answers(answer(site, how, id, **body), 422, {"errors": errors})
        self.assert_unanswered(site, id)

    @pytest.mark.parametrize("how", ANSWERS)
    def test_a_body_that_is_not_an_object_is_400(self, site: SiteClient, how: str) -> None:
        id = new_request(site)
        response = site.post(f"/product_publish_requests/{id}/{how}", json=[1])
        assert_answers(response, 400, NOT_AN_OBJECT)

    @pytest.mark.parametrize("how", ANSWERS)
    @pytest.mark.parametrize("id", [str(NO_SUCH_ID), "abc"])
    def test_an_unknown_request_is_404(self, site: SiteClient, how: str, id: str) -> None:
        assert_answers(answer(site, how, id, user_id=site_admin(site)), 404, RECORD_NOT_FOUND)

    @pytest.mark.parametrize("how", ANSWERS)
    def test_another_sites_request_is_404(
        self, site: SiteClient, other_site: SiteClient, how: str
    ) -> None:
        id = new_request(other_site)
        response = answer(site, how, id, user_id=site_admin(site))
        assert_answers(response, 404, RECORD_NOT_FOUND)
        self.assert_unanswered(other_site, id)

    @pytest.mark.parametrize("how", ANSWERS)
    def test_concurrent_answers_answer_once(self, site: SiteClient, how: str) -> None:
        """On PostgreSQL the answers overlap in worker threads; one conditional UPDATE decides."""
        id, responder = new_request(site), site_admin(site)

        def send(_: int) -> tuple[int, Any]:
            response = answer(site, how, id, user_id=responder)
            return response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(send, range(8)))

        assert sorted(status for status, _ in results) == [200] + [422] * 7
        assert all(body == already(ANSWERED[how]) for status, body in results if status == 422)
        # Once: the refused answers rolled their events back.
        answered = [f"product_publish_request.{ANSWERED[how]}"]
        assert topics(site) == ([*answered, "product.updated"] if how == "approve" else answered)

    @staticmethod
    def assert_unanswered(site: SiteClient, id: int) -> None:
        body = site.get(f"/product_publish_requests/{id}").json()
        assert (body["status"], body["responding_user_id"], body["completed_at"]) == (
            "pending",
            None,
            None,
        )
        assert recorded(site) == []
