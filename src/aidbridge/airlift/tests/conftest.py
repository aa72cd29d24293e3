"""A small clearing-house state with aid that needs airlift, and a one-aircraft fleet.

Italy asks for 150 ventilators (priority 1, by 3 April) and 100,000 masks (priority 2,
no date), both delivered at Rome Fiumicino with transport needed. Türkiye offers 100
ventilators and 60,000 masks from Ankara, ready 1 April; Italy accepts 80 and 60,000,
and Türkiye has already sent 10 ventilators by road. Germany's 50 ventilators come
with their own transport; Czechia's 20 name no airport. All through the API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aidbridge.offers.tests.factories import ita_rfa, offer_against
from aidbridge.requests.models import RequestForAssistance
from aidbridge.web.tests.conftest import browser, open_page

__all__ = ["browser", "ita_rfa", "open_page"]


def accept(api: Any, offer: dict[str, Any], *quantities: int) -> list[dict[str, Any]]:
    out = []
    for line, quantity in zip(offer["lines"], quantities, strict=True):
        response = api("ita").post(f"/offer-lines/{line['id']}/accept", {"quantity": quantity})
        assert response.status_code == 200, response.json()
        out.append(response.json())
    return out


@pytest.fixture
def airlift_state(api: Any, ita_rfa: RequestForAssistance) -> dict[str, Any]:
    vents, masks = ita_rfa.lines.order_by("position")
    for line, priority, needed_by in ((vents, 1, date(2020, 4, 3)), (masks, 2, None)):
        line.transport_needed = True
        line.delivery_airport = "LIRF"
        line.priority = priority
        line.needed_by = needed_by
        line.save()
    turkey = offer_against(
        api("tur"), ita_rfa, 100, 60_000, origin_airport="LTAC", available_from="2020-04-01"
    )
    tur_vents, tur_masks = accept(api, turkey, 80, 60_000)
    response = api("tur").post(
        f"/offer-lines/{tur_vents['id']}/dispatches",
        {"quantity": 10, "mode": "road"},
    )
    assert response.status_code == 201, response.json()
    germany = offer_against(api("deu"), ita_rfa, 50, own_transport=True, origin_airport="EDDP")
    accept(api, germany, 50)
    czechia = offer_against(api("cze"), ita_rfa, 20)
    (cze_vents,) = accept(api, czechia, 20)
    return {
        "rfa": ita_rfa,
        "turkey": turkey,
        "tur_vents": tur_vents,
        "tur_masks": tur_masks,
        "cze_vents": cze_vents,
    }


@pytest.fixture
def c17(api: Any) -> dict[str, Any]:
    """One SAC C-17 at Pápa, available 1-5 April 2020 (created by the coordinator)."""
    client = api("airlift")
    response = client.post(
        "/aircraft-types",
        {
            "code": "C-17A",
            "name": "Boeing C-17A",
            "payload_kg": 77_500,
            "pallets": 18,
            "cruise_kmh": 830,
            "range_km": 4_400,
            "size": "heavy",
            "cost_per_hour": 24_000,
        },
    )
    assert response.status_code == 201, response.json()
    response = client.post(
        "/aircraft",
        {
            "tail": "SAC-01",
            "type": "C-17A",
            "operator": "SAC",
            "base": "LHPA",
            "available_from": "2020-04-01T00:00:00Z",
            "available_until": "2020-04-05T00:00:00Z",
        },
    )
    assert response.status_code == 201, response.json()
    return response.json()
