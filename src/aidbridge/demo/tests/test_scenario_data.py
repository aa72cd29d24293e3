"""The scenario is coherent before any service plays it: it names real items, parties,
airports and accounts, and its quantities obey requested ≥ accepted ≥ dispatched ≥
received on every line."""

from __future__ import annotations

import json

from aidbridge.accounts.models import Role
from aidbridge.catalogue.airports import get_airport
from aidbridge.catalogue.services import CATALOGUE_SEED
from aidbridge.demo.scenario import USERS
from aidbridge.demo.stories import SCENARIO
from aidbridge.logistics.models import Dispatch
from aidbridge.parties.seed import PARTIES_SEED
from aidbridge.requests.models import RequestForAssistance

ITEMS = {i["code"] for i in json.loads(CATALOGUE_SEED.read_text(encoding="utf-8"))["items"]}
_parties = json.loads(PARTIES_SEED.read_text(encoding="utf-8"))
PARTIES = {p["code"] for group in _parties.values() for p in group}
POCS = {u.party for u in USERS if u.role == Role.NATIONAL_POC}
STAGES = {"draft", "submitted", "returned", "circulated", "closed", "withdrawn"}


def test_every_account_belongs_to_a_seeded_party_and_every_role_is_there() -> None:
    assert {u.party for u in USERS} <= PARTIES
    assert {u.role for u in USERS} == set(Role.values)
    assert len({u.username for u in USERS}) == len(USERS)


def test_requests_name_real_items_airports_and_nations_with_a_poc() -> None:
    for rfa in SCENARIO.rfas:
        assert rfa.requester in POCS, rfa.title
        assert rfa.stage in STAGES, rfa.title
        if rfa.stage == "closed":
            assert rfa.closure in RequestForAssistance.Closure.values, rfa.title
        if rfa.stage in {"returned", "closed", "withdrawn"}:
            assert rfa.reason, rfa.title
        for line in rfa.lines:
            assert line.item in ITEMS, (rfa.title, line.item)
            assert line.quantity > 0 and 1 <= line.priority <= 3
            assert not line.airport or get_airport(line.airport), line.airport
        for offer in rfa.offers:
            assert offer.donor in POCS and offer.donor != rfa.requester
            assert not offer.origin_airport or get_airport(offer.origin_airport)
    for unsolicited in SCENARIO.unsolicited:
        assert unsolicited.donor in POCS
        assert all(code in ITEMS for code, _ in unsolicited.lines)


def test_quantities_never_run_ahead_of_the_step_before() -> None:
    for rfa in SCENARIO.rfas:
        if rfa.offers:
            assert rfa.stage in {"circulated", "closed", "withdrawn"}, rfa.title
        accepted = [0] * len(rfa.lines)
        for offer in rfa.offers:
            for ol in offer.lines:
                assert 0 <= ol.line < len(rfa.lines)
                assert (ol.accept or 0) <= ol.quantity
                assert not (ol.withdraw and (ol.accept or ol.decline))
                dispatched = sum(dsp.quantity for dsp in ol.dispatches)
                assert dispatched <= (ol.accept or 0), rfa.title
                for dsp in ol.dispatches:
                    assert dsp.mode in Dispatch.Mode.values
                    if dsp.receipt:
                        assert dsp.receipt.quantity <= dsp.quantity
                        assert dsp.receipt.at >= dsp.at
                        if dsp.receipt.quantity < dsp.quantity:
                            assert dsp.receipt.note, "a shortfall is explained"
                accepted[ol.line] += ol.accept or 0
        for line, total in zip(rfa.lines, accepted, strict=True):
            assert total <= line.quantity, (rfa.title, line.item)


def test_every_state_is_represented() -> None:
    stages = {rfa.stage for rfa in SCENARIO.rfas}
    assert stages == STAGES
    closures = {rfa.closure for rfa in SCENARIO.rfas if rfa.stage == "closed"}
    assert {"fulfilled", "overtaken"} <= closures
    lines = [ol for rfa in SCENARIO.rfas for offer in rfa.offers for ol in offer.lines]
    assert any(ol.accept is None and not ol.decline and not ol.withdraw for ol in lines)
    assert any(ol.accept and ol.accept < ol.quantity for ol in lines)  # partly accepted
    assert any(ol.decline for ol in lines) and any(ol.withdraw for ol in lines)
    dispatches = [dsp for ol in lines for dsp in ol.dispatches]
    assert any(dsp.receipt is None for dsp in dispatches)  # in transit
    assert any(dsp.receipt and dsp.receipt.quantity < dsp.quantity for dsp in dispatches)
    assert any(line.item == "PAT-ICU" for rfa in SCENARIO.rfas for line in rfa.lines)
    usa = [u for u in SCENARIO.unsolicited if u.donor == "USA"]
    assert usa and "NATO" in usa[0].conditions and usa[0].lines[0][0] == "VENT-ICU"
