"""Building circulated RFAs directly, for the offer, delivery and picture tests.

The request side's services (create, submit, circulate) are tested on their own; here
a circulated RFA is only the starting point, so it is written straight to the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from aidbridge.catalogue.models import Item
from aidbridge.core.references import next_reference
from aidbridge.crises.models import Crisis
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance, RequestLine

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
    """An RFA of ``requester`` with one line per ``(item, quantity)``, circulated."""
    with transaction.atomic():
        now = timezone.now()
        rfa = RequestForAssistance.objects.create(
            crisis=crisis,
            requester=requester,
            title=title,
            status=status,
            reference=None if status == Status.DRAFT else next_reference("RFA", 2020),
            created_by=by,
            submitted_at=None if status == Status.DRAFT else now,
            circulated_at=now if status in {Status.CIRCULATED, Status.CLOSED} else None,
        )
        for position, (item, quantity) in enumerate(lines, start=1):
            RequestLine.objects.create(
                rfa=rfa, position=position, item=item, quantity=quantity, unit=item.unit
            )
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
