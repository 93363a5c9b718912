"""The shared error handling for required query parameters (FIDELITY §4, §5).

No foundation operation has one yet (coupons' `promotion_id` will), so this drives the shared
handler through a small app built the way `create_app` builds ours.
"""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from syllabus.errors import install_error_handlers


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/coupons")
    async def coupons(promotion_id: Annotated[int, Query()]) -> dict[str, int]:
        return {"promotion_id": promotion_id}

    return TestClient(app)


def test_missing_required_parameter_is_400(client: TestClient) -> None:
    response = client.get("/coupons")
    assert response.status_code == 400
    assert response.json() == {"error": "Parameter promotion_id is required."}


def test_unparseable_required_parameter_is_400(client: TestClient) -> None:
    response = client.get("/coupons", params={"promotion_id": "abc"})
    assert response.status_code == 400
    assert response.json() == {"error": "Parameter promotion_id is invalid."}


def test_given_parameter_reaches_the_route(client: TestClient) -> None:
    assert client.get("/coupons", params={"promotion_id": "7"}).json() == {"promotion_id": 7}
