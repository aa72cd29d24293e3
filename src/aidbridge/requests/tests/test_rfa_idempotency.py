"""``Idempotency-Key`` on the RFA endpoints: a retried POST creates nothing new."""

from __future__ import annotations

from aidbridge.audit.models import AuditEntry
from aidbridge.core.models import Sequence
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.tests.conftest import rfa_body


def test_the_same_key_twice_returns_the_first_answer_and_creates_one_rfa(api, items, crisis):
    client = api("ita")
    key = {"Idempotency-Key": "ita-2020-03-12-ventilators"}
    first = client.post("/rfas", rfa_body(), headers=key)
    again = client.post("/rfas", rfa_body(), headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert RequestForAssistance.objects.count() == 1
    assert AuditEntry.objects.filter(action="rfa.create").count() == 1


def test_the_same_key_with_another_body_is_refused(api, items, crisis) -> None:
    client = api("ita")
    key = {"Idempotency-Key": "k-1"}
    assert client.post("/rfas", rfa_body(), headers=key).status_code == 201
    other = client.post("/rfas", rfa_body(title="Something else"), headers=key)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert RequestForAssistance.objects.count() == 1


def test_a_retried_circulation_is_replayed_not_refused(api, draft) -> None:
    rfa = draft("ita")
    api("ita").post(f"/rfas/{rfa['id']}/submit")
    centre = api("duty")
    key = {"Idempotency-Key": "circulate-once"}
    first = centre.post(f"/rfas/{rfa['id']}/circulate", headers=key)
    retry = centre.post(f"/rfas/{rfa['id']}/circulate", headers=key)
    assert first.status_code == retry.status_code == 200
    assert retry.json()["reference"] == first.json()["reference"]
    assert Sequence.objects.get(name="RFA").last == 1
    # Without the key the second attempt is what it is: circulating twice.
    assert centre.post(f"/rfas/{rfa['id']}/circulate").status_code == 409


def test_keys_belong_to_their_client(api, items, crisis) -> None:
    key = {"Idempotency-Key": "shared-name"}
    ita = api("ita").post("/rfas", rfa_body(), headers=key)
    esp = api("esp").post("/rfas", rfa_body(), headers=key)
    assert ita.status_code == esp.status_code == 201
    assert {ita.json()["requester"], esp.json()["requester"]} == {"ITA", "ESP"}


def test_a_refused_request_is_replayed_as_refused(api, items, crisis) -> None:
    client = api("ita")
    key = {"Idempotency-Key": "bad-one"}
    body = rfa_body(lines=[{"item": "VENT-ICU", "quantity": 0}])
    first = client.post("/rfas", body, headers=key)
    assert first.status_code == 422
    assert client.post("/rfas", body, headers=key).json() == first.json()
    assert not RequestForAssistance.objects.exists()
