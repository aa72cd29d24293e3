"""The webhooks API: a machine account registers, lists, rotates and deletes."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.conftest import ApiClient
from aidbridge.webhooks.models import Subscription

pytestmark = pytest.mark.django_db


def _register(client: ApiClient, **body: Any) -> Any:
    return client.post(
        "/webhooks",
        {"url": "https://feeds.example.org/aidbridge", "event_types": ["offer.accepted"], **body},
    )


def test_machine_account_registers_lists_and_deletes(machine: Any) -> None:
    client = ApiClient(machine)
    made = _register(client, event_types=["offer.accepted", "request.circulated"])
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["offer.accepted", "request.circulated"]
    listed = client.get("/webhooks").json()
    assert [w["id"] for w in listed] == [body["id"]]
    assert "secret" not in listed[0]
    assert client.delete(f"/webhooks/{body['id']}").status_code == 200
    assert client.get("/webhooks").json() == []
    actions = list(AuditEntry.objects.filter(target_id=body["id"]).values_list("action", flat=True))
    assert actions == ["webhook.create", "webhook.delete"]


def test_a_person_cannot_register(users: dict[str, Any]) -> None:
    refused = _register(ApiClient(users["ita"]))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event_types": ["offer.eaten"]}, "event_types"),
        ({"event_types": []}, "event_types"),
        ({"url": "ftp://example.org/x"}, "url"),
        ({"url": "not a url"}, "url"),
    ],
)
def test_bad_registrations_are_422_naming_the_field(
    machine: Any, body: dict[str, Any], field: str
) -> None:
    refused = _register(ApiClient(machine), **body)
    assert refused.status_code == 422
    assert any(e["field"].startswith(field) for e in refused.json()["errors"]), refused.json()


def test_rotation_returns_a_new_secret_and_keeps_the_old_one_for_the_grace(machine: Any) -> None:
    client = ApiClient(machine)
    first = _register(client).json()
    rotated = client.post(f"/webhooks/{first['id']}/rotate-secret", {"grace_hours": 2})
    assert rotated.status_code == 200, rotated.json()
    assert rotated.json()["secret"] != first["secret"]
    assert rotated.json()["previous_secret_valid_until"] is not None
    sub = Subscription.objects.get(pk=first["id"])
    assert sub.previous_secret == first["secret"]
    at_once = client.post(f"/webhooks/{first['id']}/rotate-secret", {"grace_hours": 0}).json()
    assert at_once["previous_secret_valid_until"] is None


def test_another_accounts_webhook_does_not_exist_for_me(machine: Any, make_user: Any) -> None:
    mine = _register(ApiClient(machine)).json()
    other = make_user("other-bot", "UN-OCHA", "observer")
    other.set_unusable_password()
    other.save()
    stranger = ApiClient(other)
    assert stranger.delete(f"/webhooks/{mine['id']}").status_code == 404
    assert stranger.post(f"/webhooks/{mine['id']}/rotate-secret", {}).status_code == 404
    assert stranger.get(f"/webhooks/{mine['id']}/deliveries").status_code == 404
    assert stranger.get("/webhooks").json() == []
