"""A request that went through the whole flow, played through the services."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.edxl import schemas
from aidbridge.logistics import services as logistics
from aidbridge.offers import services as offers
from aidbridge.offers.proposals import Draw, confirm_proposed_offer, propose_drawn_offers
from aidbridge.parties.models import Party
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance


@pytest.fixture(scope="session", autouse=True)
def _schemas_loaded_once() -> None:
    """Load every schema set once for the session (each is cached per process)."""
    schemas.warm()


@pytest.fixture
def flow(
    crisis: Crisis, parties: dict[str, Party], users: dict[str, Any], items: dict[str, Item]
) -> dict[str, Any]:
    """Italy asks for ventilators, masks and suits; Germany, Spain and Czechia answer.

    Partial acceptance (30 of Germany's 50 ventilators, 20 declined with a reason),
    over-acceptance with a reason (Spain's 130 against 120 outstanding), a withdrawal
    (Czechia), standing stock drawn by the centre and confirmed by its donor, dispatches,
    a short receipt (28 of 30) and, finally, the request closed as fulfilled.
    """
    ita, deu, esp, cze, duty = (users[k] for k in ("ita", "deu", "esp", "cze", "duty"))
    rfa = rfa_services.create_rfa(
        ita,
        crisis=crisis,
        title="Ventilators, masks and suits for Lombardy",
        contact_name="Dr Giulia Rossi",
        contact_email="g.rossi@example.it",
        contact_phone="+39 06 1234 5678",
        entry_notes="Customs cleared at Fiumicino",
        lines=[
            {"item": "VENT-ICU", "quantity": 150, "delivery_airport": "LIRF", "priority": 1},
            {"item": "MASK-SURG", "quantity": 100_000, "delivery_airport": "LIMC"},
            {
                "item": "SUIT-PROT",
                "quantity": 500,
                "delivery_place": "Bergamo hospital",
                "delivery_lat": 45.69,
                "delivery_lon": 9.67,
            },
        ],
    )
    rfa = rfa_services.submit_rfa(ita, rfa)
    rfa = rfa_services.circulate_request(duty, rfa)
    vent, masks, suits = rfa.lines.order_by("position")
    deu_offer = offers.make_offer(
        deu,
        rfa=rfa,
        lines=[{"request_line": vent, "quantity": 50}, {"request_line": masks, "quantity": 60_000}],
        origin_airport="EDDF",
        conditions="Delivered by the Luftwaffe",
    )
    deu_vent, deu_masks = deu_offer.lines.order_by("pk")
    esp_offer = offers.make_offer(esp, rfa=rfa, lines=[{"request_line": vent, "quantity": 200}])
    esp_vent = esp_offer.lines.get()
    cze_offer = offers.make_offer(cze, rfa=rfa, lines=[{"request_line": vent, "quantity": 10}])
    offers.withdraw_offer(cze, cze_offer, "Needed at home after all")
    offers.accept_offer_line(ita, deu_vent, 30)
    offers.decline_offer_line(ita, deu_vent, "Only 30 can be installed this month")
    offers.accept_offer_line(ita, deu_masks)
    offers.accept_offer_line(
        ita, esp_vent, 130, over_acceptance_reason="Reserve for the second wave"
    )
    standing = offers.make_unsolicited_offer(
        deu, crisis=crisis, lines=[{"item": "SUIT-PROT", "quantity": 1_000}]
    )
    proposed = propose_drawn_offers(duty, [Draw(standing.lines.get().pk, suits.pk, 200)])[0]
    confirm_proposed_offer(deu, proposed.offer)
    offers.accept_offer_line(ita, proposed)
    deu_vent.refresh_from_db()
    first = logistics.dispatch_offer_line(deu, deu_vent, quantity=30, mode="airlift")
    logistics.confirm_receipt(ita, first, quantity=28, note="Two damaged in transit")
    second = logistics.dispatch_offer_line(
        esp, esp_vent, quantity=130, mode="road", transport_reference="TRUCK-7"
    )
    logistics.confirm_receipt(ita, second, quantity=130)
    rfa = rfa_services.close_rfa(duty, rfa, RequestForAssistance.Closure.FULFILLED, "Needs met")
    return {"rfa": rfa, "deu_offer": deu_offer, "esp_offer": esp_offer, "standing": standing}
