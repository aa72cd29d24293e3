"""The allowed actions on offers, offer lines and dispatches are what the services do.

For each state an offer line can be in, and each role, the set that
``offers.actions``/``logistics.actions`` return is taken through the real API: every
action in it succeeds, every other one is refused (403 role, 409 state) and changes
nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from aidbridge.core.actions import allowed
from aidbridge.core.tests.allowed import calls, check_rules_against_services
from aidbridge.logistics import services as logistics
from aidbridge.logistics.actions import dispatch_rules
from aidbridge.offers import services
from aidbridge.offers.actions import offer_line_rules, offer_rules
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.proposals import Draw, propose_drawn_offers
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance

ROLES = ["ita", "deu", "tur", "duty", "head", "airlift", "ocha"]


def _offer(users: dict[str, Any], rfa: RequestForAssistance, quantity: int) -> OfferLine:
    line = rfa.lines.get(position=1)
    offer = services.make_offer(
        users["deu"], rfa=rfa, lines=[{"request_line": line.pk, "quantity": quantity}]
    )
    return offer.lines.get()


def _proposed(users: dict[str, Any], rfa: RequestForAssistance, crisis: Any) -> OfferLine:
    standing = services.make_unsolicited_offer(
        users["deu"], crisis=crisis, lines=[{"item": "VENT-ICU", "quantity": 100}]
    ).lines.get()
    need = rfa.lines.get(position=1)
    return propose_drawn_offers(users["duty"], [Draw(standing.pk, need.pk, 20)])[0]


def _line_in(state: str, users: dict[str, Any], rfa: RequestForAssistance, crisis: Any):
    """An offer line of Germany against Italy's ventilators (150 asked), in ``state``."""
    ita, deu, duty = users["ita"], users["deu"], users["duty"]
    if state == "proposed":
        return _proposed(users, rfa, crisis)
    if state == "standing":
        return services.make_unsolicited_offer(
            deu, crisis=crisis, lines=[{"item": "VENT-ICU", "quantity": 100}]
        ).lines.get()
    line = _offer(users, rfa, 200 if state == "beyond_need" else 30)
    if state == "partly_accepted":
        services.accept_offer_line(ita, line, 10)
    if state in ("accepted", "partly_dispatched", "dispatched"):
        services.accept_offer_line(ita, line)
    if state == "partly_dispatched":
        logistics.dispatch_offer_line(deu, line, quantity=10, mode="road")
    if state == "dispatched":
        logistics.dispatch_offer_line(deu, line, quantity=30, mode="road")
    if state == "declined":
        services.decline_offer_line(ita, line, "Wrong voltage")
    if state == "partly_declined":
        services.accept_offer_line(ita, line, 20)
        services.decline_offer_line(ita, line, "Enough", 10)
    if state == "withdrawn":
        services.withdraw_offer_line(deu, line)
    if state == "request_closed":
        rfa_services.close_rfa(duty, rfa, RequestForAssistance.Closure.FULFILLED)
    return line


LINE_STATES = [
    "open",
    "beyond_need",
    "partly_accepted",
    "accepted",
    "partly_dispatched",
    "dispatched",
    "declined",
    "partly_declined",
    "withdrawn",
    "proposed",
    "standing",
    "request_closed",
]


def _fresh(line: OfferLine) -> OfferLine:
    return OfferLine.objects.select_related(
        "offer__donor", "offer__rfa", "request_line__rfa__requester"
    ).get(pk=line.pk)


@pytest.mark.parametrize("state", LINE_STATES)
def test_offer_line_actions_are_what_the_services_accept(
    state: str, api, users, crisis, ita_rfa
) -> None:
    line = _line_in(state, users, ita_rfa, crisis)
    seen: dict[str, set[str]] = {}
    for role in ROLES:
        client = api(role)
        path = f"/offer-lines/{line.pk}"
        rules = dict(offer_line_rules(users[role], _fresh(line)))
        over = rules.pop("accept_over")
        attempts = calls(
            client,
            {
                "accept": ("post", f"{path}/accept", {"over_acceptance_reason": "On purpose"}),
                "decline": ("post", f"{path}/decline", {"reason": "No longer needed"}),
                "withdraw": ("post", f"{path}/withdraw", {}),
                "dispatch": ("post", f"{path}/dispatches", {"quantity": 1, "mode": "road"}),
            },
        )
        seen[role] = check_rules_against_services(rules, attempts)
        # Over-acceptance: allowed exactly when accepting all that is pending, without a
        # reason, is refused as going beyond the need (and with one it succeeds, above).
        if "accept" in seen[role]:
            point = transaction.savepoint()
            response = client.post(f"{path}/accept", {})
            transaction.savepoint_rollback(point)
            beyond = response.status_code == 422 and response.json()["code"] == "over_acceptance"
            assert beyond == (over() is None), (role, response.status_code)
            assert beyond or response.status_code == 200
        assert seen[role] == offer_line_actions_of(users[role], line)
    # The rules of the issue, state by state: who may do what.
    expected = EXPECTED[state]
    if state == "request_closed" and not _fresh(line).pending:
        expected = {}  # closing the request declined what was pending: nothing to withdraw
    assert {role: actions for role, actions in seen.items() if actions} == expected


def offer_line_actions_of(user: Any, line: OfferLine) -> set[str]:
    return allowed(offer_line_rules(user, _fresh(line))) - {"accept_over"}


centre = {"duty": {"dispatch"}, "head": {"dispatch"}}
EXPECTED: dict[str, dict[str, set[str]]] = {
    "open": {"ita": {"accept", "decline"}, "deu": {"withdraw"}},
    "beyond_need": {"ita": {"accept", "decline"}, "deu": {"withdraw"}},
    # Part accepted: nothing may be withdrawn any more (the button used to show).
    "partly_accepted": {"ita": {"accept", "decline"}, "deu": {"dispatch"}, **centre},
    "accepted": {"deu": {"dispatch"}, **centre},
    "partly_dispatched": {"deu": {"dispatch"}, **centre},
    "dispatched": {},
    "declined": {},
    "partly_declined": {"deu": {"dispatch"}, **centre},
    "withdrawn": {},
    "proposed": {},
    "standing": {"deu": {"withdraw"}},
    "request_closed": {"deu": {"withdraw"}},
}


def _offer_in(state: str, users: dict[str, Any], rfa: RequestForAssistance, crisis: Any) -> Offer:
    if state == "proposed":
        return _proposed(users, rfa, crisis).offer
    if state == "proposed_request_closed":
        offer = _proposed(users, rfa, crisis).offer
        rfa_services.close_rfa(users["duty"], rfa, RequestForAssistance.Closure.FULFILLED)
        return offer
    line = _line_in(state, users, rfa, crisis)
    return line.offer


OFFER_EXPECTED: dict[str, dict[str, set[str]]] = {
    "open": {"deu": {"withdraw"}},
    "partly_accepted": {},
    "declined": {},
    "withdrawn": {},
    "standing": {"deu": {"withdraw"}},
    "proposed": {"deu": {"confirm_proposal", "decline_proposal"}},
    "proposed_request_closed": {"deu": {"decline_proposal"}},
}


@pytest.mark.parametrize("state", list(OFFER_EXPECTED))
def test_offer_actions_are_what_the_services_accept(
    state: str, api, users, crisis, ita_rfa
) -> None:
    offer = _offer_in(state, users, ita_rfa, crisis)
    seen = {}
    for role in ROLES:
        client = api(role)
        fresh = Offer.objects.select_related("donor", "rfa").get(pk=offer.pk)
        attempts = calls(
            client,
            {
                "withdraw": ("post", f"/offers/{offer.pk}/withdraw", {}),
                "confirm_proposal": ("post", f"/offers/{offer.pk}/confirm", {}),
                "decline_proposal": ("post", f"/offers/{offer.pk}/decline-proposal", {}),
            },
        )
        seen[role] = check_rules_against_services(offer_rules(users[role], fresh), attempts)
    expected = OFFER_EXPECTED[state]
    if state == "proposed_request_closed" and not offer.lines.filter(status="proposed").exists():
        expected = {}  # closing the request settled the proposal
    assert {role: actions for role, actions in seen.items() if actions} == expected


@pytest.mark.parametrize("state", ["dispatched", "received", "request_closed"])
def test_dispatch_actions_are_what_the_services_accept(
    state: str, api, users, crisis, ita_rfa
) -> None:
    line = _line_in("accepted", users, ita_rfa, crisis)
    dispatch = logistics.dispatch_offer_line(users["deu"], line, quantity=30, mode="road")
    if state == "received":
        logistics.confirm_receipt(users["ita"], dispatch, quantity=30)
    if state == "request_closed":
        rfa_services.close_rfa(users["duty"], ita_rfa, RequestForAssistance.Closure.FULFILLED)
    seen = {}
    for role in ROLES:
        client = api(role)
        fresh = type(dispatch).objects.get(pk=dispatch.pk)
        receipt = ("post", f"/dispatches/{dispatch.pk}/receipt", {"quantity": 30})
        attempts = calls(client, {"confirm_receipt": receipt})
        seen[role] = check_rules_against_services(dispatch_rules(users[role], fresh), attempts)
    expected = {} if state == "received" else {"ita": {"confirm_receipt"}}
    assert {role: actions for role, actions in seen.items() if actions} == expected
