"""``GET /api/v2/events/{id}`` (Thinkific's events spec, FIDELITY §7.4): a recorded event of a
Thinkific topic, by the id its deliveries carry; internal events, unknown ids and another site's
events are 404s."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import select

from syllabus.models import Event, Site
from syllabus.webhooks.delivery import envelope
from tests.events.helpers import alphabetical
from tests.factories import make_oauth_token
from tests.oauth.helpers import OUT_OF_SCOPE, bearer
from tests.support import (
    AUTHENTICATION_ERROR,
    BAD_CREDENTIALS,
    RECORD_NOT_FOUND,
    SiteClient,
    assert_answers,
)
from tests.webhooks.helpers import V2, public_id, v2

USER = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
EVENT_KEYS = ["id", "resource", "action", "created_at", "payload"]


def events(site: SiteClient) -> list[Event]:
    statement = select(Event).where(Event.site_id == site.id).order_by(Event.id)
    return site.db(lambda s: list(s.scalars(statement)))


def signed_up(site: SiteClient) -> tuple[Event, dict[str, Any]]:
    """A user created through the Admin API: its ``user.signup`` event, and the user's body."""
    response = site.post("/users", json=USER)
    assert response.status_code == 201, response.text
    (event,) = [e for e in events(site) if (e.resource, e.action) == ("user", "signup")]
    return event, response.json()


def milliseconds(event: Event) -> str:
    return event.created_at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{event.created_at:%f}"[:3] + "Z"


class TestGetEventById:
    def test_answers_the_event_with_its_delivered_payload(self, site: SiteClient) -> None:
        event, user = signed_up(site)
        id = public_id(event.created_at, event.id)

        response = v2(site, "GET", f"/events/{id}")

        assert_answers(
            response,
            200,
            {
                "id": id,
                "resource": "user",
                "action": "signup",
                "created_at": milliseconds(event),
                "payload": alphabetical(user),
            },
        )
        assert list(response.json()) == EVENT_KEYS
        assert list(response.json()["payload"]) == sorted(user)

    def test_is_the_delivery_envelope_without_the_tenant(self, site: SiteClient) -> None:
        event, _user = signed_up(site)
        owner = site.db(lambda s: s.get_one(Site, site.id))
        delivered = orjson.loads(envelope(event, owner))

        body = v2(site, "GET", f"/events/{delivered['id']}").json()

        assert body == {key: value for key, value in delivered.items() if key != "tenant_id"}

    def test_an_internal_event_is_a_404(self, site: SiteClient) -> None:
        _event, user = signed_up(site)
        assert site.delete(f"/users/{user['id']}").status_code == 204
        (deleted,) = [e for e in events(site) if e.topic == "user.deleted"]

        response = v2(site, "GET", f"/events/{public_id(deleted.created_at, deleted.id)}")

        assert_answers(response, 404, RECORD_NOT_FOUND)

    def test_a_webhooks_own_event_is_internal_too(self, site: SiteClient) -> None:
        body = {"topic": "order.created", "target_url": "https://receiver.example.com/h"}
        assert v2(site, "POST", "/webhooks", json=body).status_code == 201
        (created,) = events(site)
        assert created.topic == "webhook.created"

        response = v2(site, "GET", f"/events/{public_id(created.created_at, created.id)}")

        assert_answers(response, 404, RECORD_NOT_FOUND)

    def test_another_sites_event_is_a_404(self, site: SiteClient, other_site: SiteClient) -> None:
        event, _user = signed_up(other_site)
        id = public_id(event.created_at, event.id)

        assert_answers(v2(site, "GET", f"/events/{id}"), 404, RECORD_NOT_FOUND)
        assert v2(other_site, "GET", f"/events/{id}").status_code == 200

    @pytest.mark.parametrize(
        "kind", ["second", "short", "long", "letters", "row zero", "unknown row", "number"]
    )
    def test_an_id_that_is_not_the_events_is_a_404(self, site: SiteClient, kind: str) -> None:
        event, _user = signed_up(site)
        id = public_id(event.created_at, event.id)
        earlier = event.created_at.replace(year=event.created_at.year - 1)
        wrong = {
            "second": public_id(earlier, event.id),
            "short": id[1:],
            "long": id + "0",
            "letters": id[:-1] + "x",
            "row zero": id[:14] + "0" * 9,
            "unknown row": id[:14] + "999999999",
            "number": str(event.id),
        }[kind]

        assert_answers(v2(site, "GET", f"/events/{wrong}"), 404, RECORD_NOT_FOUND)


class TestAuthentication:
    @pytest.mark.parametrize("headers", BAD_CREDENTIALS)
    def test_bad_credentials_are_401(self, site: SiteClient, headers: dict[str, str]) -> None:
        event, _user = signed_up(site)
        path = f"{V2}/events/{public_id(event.created_at, event.id)}"

        assert_answers(site.http.get(path, headers=headers), 401, AUTHENTICATION_ERROR)
        assert_answers(
            site.http.get(f"{V2}/events/nope", headers=headers), 401, AUTHENTICATION_ERROR
        )

    def test_the_api_key_works_as_a_bearer_token(self, site: SiteClient) -> None:
        event, _user = signed_up(site)
        id = public_id(event.created_at, event.id)

        response = v2(site, "GET", f"/events/{id}", credentials=bearer(site.key))

        assert (response.status_code, response.json()["id"]) == (200, id)

    def test_an_oauth_token_needs_read_events(self, site: SiteClient) -> None:
        event, _user = signed_up(site)
        path = f"{V2}/events/{public_id(event.created_at, event.id)}"
        refused = make_oauth_token(site, ["read:webhooks", "write:events"])
        allowed = make_oauth_token(site, ["read:events"])

        assert_answers(site.http.get(path, headers=bearer(refused)), 403, OUT_OF_SCOPE)
        assert site.http.get(path, headers=bearer(allowed)).status_code == 200
