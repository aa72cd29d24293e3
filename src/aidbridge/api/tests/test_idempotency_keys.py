"""What an ``Idempotency-Key`` is tied to: one client, one request (path and body).
Same key and same request: the first answer again; same key, another request: 422;
a key too long: 422; keys are only read on API POSTs."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.api.idempotency import MAX_KEY_LENGTH
from aidbridge.api.models import IdempotencyRecord
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.tests.conftest import rfa_body

pytestmark = pytest.mark.django_db


def test_the_same_key_on_another_path_is_another_request(api, items, crisis) -> None:
    client = api("ita")
    key = {"Idempotency-Key": "morning-batch"}
    created = client.post("/rfas", rfa_body(), headers=key)
    assert created.status_code == 201
    rfa_id = created.json()["id"]
    # Same key, same (empty) body, another endpoint: not a retry of the first.
    other = client.post(f"/rfas/{rfa_id}/submit", {}, headers=key)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency"
    assert other.json()["errors"] == [
        {
            "field": "Idempotency-Key",
            "message": "this Idempotency-Key was already used for a different request",
        }
    ]
    assert RequestForAssistance.objects.get(pk=rfa_id).status == "draft"


def test_a_replay_is_byte_for_byte_the_first_answer(api, items, crisis) -> None:
    client = api("ita")
    key = {"Idempotency-Key": "exact"}
    first = client.post("/rfas", rfa_body(), headers=key)
    again = client.post("/rfas", rfa_body(), headers=key)
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again["Content-Type"] == first["Content-Type"]
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"


def test_a_key_longer_than_allowed_is_refused_and_nothing_runs(api, items, crisis) -> None:
    client = api("ita")
    fits = client.post("/rfas", rfa_body(), headers={"Idempotency-Key": "k" * MAX_KEY_LENGTH})
    assert fits.status_code == 201
    too_long = client.post(
        "/rfas", rfa_body(), headers={"Idempotency-Key": "k" * (MAX_KEY_LENGTH + 1)}
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "Idempotency-Key"
    assert str(MAX_KEY_LENGTH) in too_long.json()["detail"]
    assert RequestForAssistance.objects.count() == 1


def test_a_key_is_ignored_outside_api_posts(api, items, crisis) -> None:
    client = api("ita")
    key = {"Idempotency-Key": "reads"}
    assert client.client.get("/api/v1/rfas", headers={**client.headers, **key}).status_code == 200
    assert client.patch("/rfas/1", {"title": "x"}, headers=key).status_code == 404
    assert not IdempotencyRecord.objects.exists()


def test_a_signed_in_browser_holds_its_keys_as_its_user(users, items, crisis) -> None:
    browser = Client()
    browser.force_login(users["ita"])
    key = {"Idempotency-Key": "from-the-page"}

    def post() -> Any:
        return browser.post(
            "/api/v1/rfas", rfa_body(), content_type="application/json", headers=key
        )

    first, again = post(), post()
    assert first.status_code == 201, first.content[:300]
    assert again["Idempotent-Replayed"] == "true"
    assert RequestForAssistance.objects.count() == 1
    assert IdempotencyRecord.objects.get().principal == f"user:{users['ita'].pk}"
