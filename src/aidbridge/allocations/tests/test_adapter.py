"""The planner's input is exactly the clearing-house's open needs and free stock."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aidbridge.allocations.adapter import build_input
from aidbridge.allocations.tests.conftest import standing_offer
from aidbridge.catalogue.airports import get_airport
from aidbridge.offers.models import OfferLine
from aidbridge.offers.proposals import Draw, propose_drawn_offers
from aidbridge.offers.tests.factories import circulated_rfa, offer_against
from aidbridge.planning.allocation import parse_allocation
from aidbridge.requests.models import RequestForAssistance


def test_input_of_a_small_clearing_house(api, crisis, parties, users, items, house) -> None:
    ita, esp, deu, stock = house["ita"], house["esp"], house["deu"], house["stock"]
    # Czechia offers 30 ventilators straight to Italy, who accepts them: 120 still missing.
    cze = offer_against(api("cze"), ita, 30)
    assert api("ita").post(f"/offer-lines/{cze['lines'][0]['id']}/accept", {}).status_code == 200
    # Turkey offers 10 more, not yet decided: competing offers are not subtracted.
    offer_against(api("tur"), ita, 10)
    # The centre already drew 20 German ventilators for Spain (awaiting Germany's word)...
    deu_vent, deu_ffp2 = (ln["id"] for ln in deu["lines"])
    esp_line = esp.lines.get().pk
    propose_drawn_offers(users["duty"], [Draw(standing=deu_vent, need=esp_line, quantity=20)])
    # ... and 5 more, which Spain then declined: those 5 go back to the stock and the need.
    drawn = propose_drawn_offers(
        users["duty"], [Draw(standing=deu_vent, need=esp_line, quantity=5)]
    )[0]
    assert api("deu").post(f"/offers/{drawn.offer_id}/confirm").status_code == 200
    refused = api("esp").post(f"/offer-lines/{drawn.pk}/decline", {"reason": "Wrong model"})
    assert refused.status_code == 200, refused.json()
    # Turkey's standing masks were withdrawn; a draft request and a covered line do not count.
    withdrawn = standing_offer(api("tur"), crisis, [("MASK-SURG", 1000)])
    assert api("tur").post(f"/offers/{withdrawn['id']}/withdraw", {}).status_code == 200
    circulated_rfa(
        crisis,
        parties["CZE"],
        users["cze"],
        [(items["VENT-ICU"], 5)],
        status=RequestForAssistance.Status.DRAFT,
    )
    suits = circulated_rfa(crisis, parties["TUR"], users["tur"], [(items["SUIT-PROT"], 10)])
    given = offer_against(api("deu"), suits, 10)
    assert api("tur").post(f"/offer-lines/{given['lines'][0]['id']}/accept", {}).status_code == 200

    with CaptureQueriesContext(connection) as queries:
        built = build_input(crisis)
    linate, rome = get_airport("LIMC"), get_airport("LIRF")
    assert linate is not None and rome is not None
    assert built.doc == {
        "items": [
            {"code": "MASK-SURG", "unit_weight_kg": 0.004},
            {"code": "RESP-FFP2", "unit_weight_kg": 0.006},
            {"code": "VENT-ICU", "unit_weight_kg": 30.0},
        ],
        "substitutes": [{"need_item": "MASK-SURG", "supply_item": "RESP-FFP2"}],
        "needs": [
            {
                "id": f"{ita.reference}/1",
                "party": "ITA",
                "item": "VENT-ICU",
                "quantity": 120,
                "priority": 1,
                "needed_by": "2020-04-10",
                "location": {"lat": 45.46, "lon": 9.19},
            },
            {
                "id": f"{ita.reference}/2",
                "party": "ITA",
                "item": "MASK-SURG",
                "quantity": 100_000,
                "priority": 2,
                "needed_by": None,
                "location": {"lat": linate.lat, "lon": linate.lon},
            },
            {
                "id": f"{esp.reference}/1",
                "party": "ESP",
                "item": "VENT-ICU",
                "quantity": 30,
                "priority": 1,
                "needed_by": None,
                "location": {"lat": rome.lat, "lon": rome.lon},
            },
        ],
        "supplies": [
            {
                "id": f"{deu['reference']}/1",
                "party": "DEU",
                "item": "VENT-ICU",
                "quantity": 80,
                "available_from": "2020-04-01",
                "location": {"lat": 52.52, "lon": 13.4},
                "only_for": [],
                "not_for": [],
            },
            {
                "id": f"{deu['reference']}/2",
                "party": "DEU",
                "item": "RESP-FFP2",
                "quantity": 60_000,
                "available_from": "2020-04-01",
                "location": {"lat": 52.52, "lon": 13.4},
                "only_for": [],
                "not_for": [],
            },
            {
                "id": f"{stock['reference']}/1",
                "party": "NATO-STOCK",
                "item": "VENT-ICU",
                "quantity": 200,
                "available_from": "2020-04-20",
                "location": None,
                "only_for": [],
                "not_for": [],
            },
        ],
    }
    # Every id maps back to its row.
    assert built.need_rows == {
        f"{ita.reference}/1": ita.lines.get(position=1).pk,
        f"{ita.reference}/2": ita.lines.get(position=2).pk,
        f"{esp.reference}/1": esp_line,
    }
    assert built.supply_rows == {
        f"{deu['reference']}/1": deu_vent,
        f"{deu['reference']}/2": deu_ffp2,
        f"{stock['reference']}/1": stock["lines"][0]["id"],
    }
    assert OfferLine.objects.get(pk=deu_vent).quantity == 100  # the stock row is never edited
    parse_allocation(built.doc)  # the planner takes it as it is
    assert len(queries) <= 10


def _grow(api: Any, crisis: Any, parties: Any, users: Any, items: Any, n: int) -> None:
    for _ in range(n):
        rfa = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 7)])
        standing_offer(api("deu"), crisis, [("VENT-ICU", 3), ("RESP-FFP2", 9)])
        offer_against(api("esp"), rfa, 2)


def test_building_costs_the_same_queries_for_any_size(api, crisis, parties, users, items):
    counts = []
    for n in (2, 10):
        _grow(api, crisis, parties, users, items, n)
        with CaptureQueriesContext(connection) as queries:
            built = build_input(crisis)
        counts.append(len(queries))
    assert len(built.doc["needs"]) == 12 and len(built.doc["supplies"]) == 24
    assert counts[0] == counts[1]
