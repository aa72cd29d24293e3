"""A small clearing-house: two circulated requests and standing stock from two donors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aidbridge.crises.models import Crisis
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.requests.models import RequestForAssistance, RequestLine


def standing_offer(client: Any, crisis: Crisis, lines: list[tuple[str, int]], **extra: Any) -> Any:
    """POST a standing offer of ``(item code, quantity)`` lines; the answer's JSON."""
    body = {"lines": [{"item": code, "quantity": q} for code, q in lines], **extra}
    response = client.post(f"/crises/{crisis.code}/unsolicited-offers", body)
    assert response.status_code == 201, response.json()
    return response.json()


def set_line(rfa: RequestForAssistance, position: int, **fields: Any) -> RequestLine:
    line = rfa.lines.get(position=position)
    for name, value in fields.items():
        setattr(line, name, value)
    line.save()
    return line


@pytest.fixture
def house(api, crisis, parties, users, items) -> dict[str, Any]:
    """Italy asks for 150 ventilators (critical, by 10 April, Milan) and 100,000 masks;
    Spain for 50 ventilators (critical). Germany stands 100 ventilators (from 1 April,
    Berlin) and 60,000 FFP2 respirators; the NATO stockpile 200 ventilators from 20 April.
    """
    ita = circulated_rfa(
        crisis,
        parties["ITA"],
        users["ita"],
        [(items["VENT-ICU"], 150), (items["MASK-SURG"], 100_000)],
        title="Ventilators and masks for Lombardy",
    )
    set_line(ita, 1, priority=1, needed_by=date(2020, 4, 10), delivery_lat=45.46, delivery_lon=9.19)
    # Only an airport: the planner places the need there.
    set_line(ita, 2, priority=2, delivery_airport="LIMC", delivery_lat=None, delivery_lon=None)
    esp = circulated_rfa(
        crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 50)], title="Madrid ICUs"
    )
    set_line(esp, 1, priority=1)
    deu = standing_offer(
        api("deu"),
        crisis,
        [("VENT-ICU", 100), ("RESP-FFP2", 60_000)],
        available_from="2020-04-01",
        origin_lat=52.52,
        origin_lon=13.40,
    )
    stock = standing_offer(api("stock"), crisis, [("VENT-ICU", 200)], available_from="2020-04-20")
    return {"ita": ita, "esp": esp, "deu": deu, "stock": stock}
