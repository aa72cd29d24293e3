"""Circulated RFAs for the offer, delivery and picture tests, made by the request services.

Drafted and submitted by the requesting POC, circulated (or returned, or closed) by a
duty officer, exactly as through the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from aidbridge.accounts.models import Role
from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.parties.models import Party
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance

Status = RequestForAssistance.Status


def circulated_rfa(
    crisis: Crisis,
    requester: Party,
    by: Any,
    lines: Sequence[tuple[Item, int]],
    *,
    title: str = "Medical equipment",
    status: str = Status.CIRCULATED,
) -> RequestForAssistance:
    """An RFA of ``requester`` (drafted by its POC ``by``) brought to ``status``."""
    assert by.profile.party_id == requester.pk, "the RFA is drafted by the requester's POC"
    duty = get_user_model().objects.filter(profile__role=Role.CENTRE_OFFICER).first()
    rfa = rfa_services.create_rfa(
        by,
        crisis=crisis,
        title=title,
        lines=[
            {"item": item.code, "quantity": quantity, "delivery_airport": "LIRF"}
            for item, quantity in lines
        ],
    )
    if status == Status.DRAFT:
        return rfa
    rfa = rfa_services.submit_rfa(by, rfa)
    if status == Status.RETURNED:
        return rfa_services.return_rfa(duty, rfa, "Say which hospitals")
    if status != Status.SUBMITTED:
        rfa = rfa_services.circulate_request(duty, rfa)
    if status == Status.CLOSED:
        rfa = rfa_services.close_rfa(duty, rfa, RequestForAssistance.Closure.FULFILLED)
    return rfa


@pytest.fixture
def ita_rfa(
    crisis: Crisis, parties: dict[str, Party], users: dict[str, Any], items: dict[str, Item]
) -> RequestForAssistance:
    """Italy asks for 150 ventilators and 100,000 surgical masks (circulated)."""
    return circulated_rfa(
        crisis,
        parties["ITA"],
        users["ita"],
        [(items["VENT-ICU"], 150), (items["MASK-SURG"], 100_000)],
        title="Ventilators and masks for Lombardy",
    )


def offer_against(client: Any, rfa: RequestForAssistance, *quantities: int, **extra: Any) -> Any:
    """POST an offer of ``quantities`` against the RFA's lines in order; the answer's JSON."""
    lines = [
        {"request_line": line.pk, "quantity": q}
        for line, q in zip(rfa.lines.order_by("position"), quantities, strict=False)
    ]
    response = client.post(f"/rfas/{rfa.pk}/offers", {"lines": lines, **extra})
    assert response.status_code == 201, response.json()
    return response.json()
