"""Events come from the audit entries of real actions, in their transaction, signed,
with the ledger's figures, to the subscribers that may see them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from aidbridge.ledger.sums import line_figures
from aidbridge.offers import services as offers
from aidbridge.outbox.delivery import deliver_pending
from aidbridge.outbox.models import OutboxMessage
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance
from aidbridge.webhooks.tests.helpers import play, subscribe
from aidbridge.webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db


def test_each_business_action_becomes_one_signed_event_with_the_ledger_figures(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    subscribe(machine, receiver)
    play(users, ita_rfa)
    deliver_pending("w")
    assert all(a.verified for a in receiver.arrived), [a.error for a in receiver.arrived]
    types = [e["type"] for e in receiver.processed]
    assert types == [
        "offer.made",
        "offer.made",
        "offer.accepted",
        "offer.declined",
        "aid.dispatched",
        "aid.received",
    ]
    vents = ita_rfa.lines.get(position=1)
    received = receiver.processed[-1]["data"]
    assert received["crisis"] == "covid-19-2020"
    assert received["request"] == {"id": ita_rfa.pk, "reference": ita_rfa.reference}
    assert received["object"]["type"] == "receipt"
    [line] = received["request_lines"]
    assert line["id"] == vents.pk and line["item"] == "VENT-ICU"
    # The ledger's figures as they stood after the receipt, not recomputed here.
    assert line["figures"] == json.loads(json.dumps(line_figures([vents])[vents.pk].as_dict()))
    assert (line["figures"]["accepted"], line["figures"]["delivered"]) == (50, 48)
    accepted = receiver.processed[2]["data"]["request_lines"][0]["figures"]
    assert (accepted["accepted"], accepted["dispatched"]) == (50, 0)


def test_an_action_rolled_back_sends_nothing(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    subscribe(machine, receiver)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        play(users, ita_rfa)
        assert OutboxMessage.objects.count() == 6  # written with the changes...
        raise Undo
    assert OutboxMessage.objects.count() == 0  # ...and gone with them
    deliver_pending("w")
    assert receiver.arrived == []


def test_only_what_the_account_may_see_and_only_the_types_it_wants(
    users: dict[str, Any],
    ita_rfa: RequestForAssistance,
    machine: Any,
    centre_machine: Any,
    receiver: Receiver,
) -> None:
    subscribe(machine, receiver, ["request.closed", "request.circulated"])
    subscribe(centre_machine, receiver, ["request.closed"])
    draft = rfa_services.create_rfa(
        users["ita"],
        crisis=ita_rfa.crisis,
        title="Never circulated",
        lines=[{"item": "VENT-ICU", "quantity": 5, "delivery_airport": "LIRF"}],
    )
    submitted = rfa_services.submit_rfa(users["ita"], draft)
    # The centre closes a request it never circulated: only the centre may see it.
    rfa_services.close_rfa(users["duty"], submitted, RequestForAssistance.Closure.FULFILLED)
    play(users, ita_rfa)  # offers etc.: not wanted by either
    messages = list(OutboxMessage.objects.values_list("destination", "event_type"))
    centre_sub = centre_machine.webhook_subscriptions.get()
    assert messages == [(centre_sub.destination, "request.closed")]


def test_a_tampered_body_fails_verification(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    sub = subscribe(machine, receiver, ["offer.made"])
    play(users, ita_rfa)
    deliver_pending("w")
    first = receiver.arrived[0]
    verifier = Webhook(sub.secret)
    assert verifier.verify(first.body, first.headers)["type"] == "offer.made"
    tampered = first.body.replace(b'"offer.made"', b'"offer.accepted"')
    assert tampered != first.body
    with pytest.raises(WebhookVerificationError):
        verifier.verify(tampered, first.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 44).verify(first.body, first.headers)  # another secret


def test_after_rotation_both_secrets_verify_during_the_grace_only(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    from aidbridge.webhooks import services

    sub = subscribe(machine, receiver, ["offer.made", "offer.accepted"])
    old = sub.secret
    sub = services.rotate_secret(machine, sub, grace_hours=1)
    play(users, ita_rfa)
    deliver_pending("w")
    made = receiver.arrived[0]
    assert len(made.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(made.body, made.headers)
    Webhook(sub.secret).verify(made.body, made.headers)
    sub = services.rotate_secret(machine, sub, grace_hours=0)
    offers.make_offer(
        users["tur"], rfa=ita_rfa, lines=[{"request_line": ita_rfa.lines.first(), "quantity": 1}]
    )
    deliver_pending("w")
    again = receiver.arrived[-1]
    assert len(again.headers["webhook-signature"].split(" ")) == 1
    Webhook(sub.secret).verify(again.body, again.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(again.body, again.headers)


def test_the_one_entry_visibility_check_is_the_audit_trails_rule(
    users: dict[str, Any], ita_rfa: RequestForAssistance, machine: Any, receiver: Receiver
) -> None:
    """``entry_visible_to`` (what the events ask) answers as ``entries_visible_to`` (what
    every history channel lists) for every entry and every role."""
    from aidbridge.audit.models import AuditEntry
    from aidbridge.audit.selectors import entries_visible_to, entry_visible_to

    draft = rfa_services.create_rfa(
        users["ita"],
        crisis=ita_rfa.crisis,
        title="Draft",
        lines=[{"item": "VENT-ICU", "quantity": 5, "delivery_airport": "LIRF"}],
    )
    rfa_services.submit_rfa(users["ita"], draft)
    play(users, ita_rfa)
    subscribe(machine, receiver, ["offer.made"])  # a webhook entry: the centre's only
    entries = list(AuditEntry.objects.all())
    for who in [*users.values(), machine]:
        seen = set(entries_visible_to(who).values_list("pk", flat=True))
        assert {e.pk for e in entries if entry_visible_to(who, e)} == seen, who
