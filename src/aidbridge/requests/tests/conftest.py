"""Helpers for the RFA tests: a valid request body and shortcuts through the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def rfa_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "crisis": "covid-19-2020",
        "title": "Ventilators and masks for Lombardy",
        "situation": "ICU capacity exhausted in Bergamo and Brescia.",
        "contact_name": "Protezione Civile duty room",
        "contact_email": "sala@protezionecivile.example",
        "entry_notes": "Customs cleared at Rome Fiumicino",
        "lines": [
            {
                "item": "VENT-ICU",
                "quantity": 150,
                "priority": 1,
                "needed_by": "2020-03-20",
                "delivery_airport": "LIRF",
                "transport_needed": True,
            },
            {
                "item": "MASK-SURG",
                "quantity": 1_000_000,
                "unit": "piece",
                "specification": "EN 14683 type IIR",
                "delivery_place": "Milan regional warehouse",
                "delivery_lat": 45.46,
                "delivery_lon": 9.19,
            },
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def draft(api: Callable[[str | None], Any], items: Any, crisis: Any) -> Callable[..., Any]:
    """``draft("ita")`` creates a draft through the API as that POC and returns its JSON."""

    def make(who: str = "ita", **overrides: Any) -> dict[str, Any]:
        response = api(who).post("/rfas", rfa_body(**overrides))
        assert response.status_code == 201, response.json()
        return response.json()

    return make


@pytest.fixture
def circulated(api: Callable[[str | None], Any], draft: Callable[..., Any]) -> Callable[..., Any]:
    """``circulated("ita")``: drafted, submitted by the POC, circulated by the centre."""

    def make(who: str = "ita", **overrides: Any) -> dict[str, Any]:
        rfa = draft(who, **overrides)
        assert api(who).post(f"/rfas/{rfa['id']}/submit").status_code == 200
        response = api("duty").post(f"/rfas/{rfa['id']}/circulate")
        assert response.status_code == 200, response.json()
        return response.json()

    return make
