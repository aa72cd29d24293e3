"""A small crisis in every state, written straight through the models so these tests
do not depend on the order in which the request and offer services land."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from aidbridge.audit.services import record
from aidbridge.catalogue.models import Item
from aidbridge.core.models import Sequence
from aidbridge.crises.models import Crisis
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance, RequestLine

T0 = dt.datetime(2020, 3, 20, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def scenario(
    parties: dict[str, Party], users: dict[str, Any], items: dict[str, Item], crisis: Crisis
) -> dict[str, Any]:
    with transaction.atomic():
        rfa = RequestForAssistance.objects.create(
            crisis=crisis,
            requester=parties["ITA"],
            reference="RFA-2020-0001",
            title="Ventilators and masks for Lombardy",
            situation="ICU capacity exhausted; =cmd|' /C calc'!A0",
            status=RequestForAssistance.Status.CIRCULATED,
            created_by=users["ita"],
            circulated_at=T0,
        )
        Sequence.objects.create(name="RFA", year=2020, last=1)
        vent, masks, suits = (
            RequestLine.objects.create(
                rfa=rfa,
                position=i,
                item=items[code],
                quantity=qty,
                unit=items[code].unit,
                priority=p,
                needed_by=dt.date(2020, 4, i),
                delivery_airport="LIMC",
                delivery_lat=45.63,
                delivery_lon=8.723,
            )
            for i, (code, qty, p) in enumerate(
                [("VENT-ICU", 150, 1), ("MASK-SURG", 100000, 2), ("SUIT-PROT", 5000, 2)], 1
            )
        )
        draft = RequestForAssistance.objects.create(
            crisis=crisis, requester=parties["ESP"], title="Draft", created_by=users["esp"]
        )
        RequestLine.objects.create(
            rfa=draft, position=1, item=items["VENT-ICU"], quantity=20, unit="piece"
        )
        offer = Offer.objects.create(
            crisis=crisis,
            donor=parties["DEU"],
            rfa=rfa,
            reference="OFR-2020-0001",
            created_by=users["deu"],
            available_from=dt.date(2020, 3, 25),
            conditions="+49 to be collected",
        )
        ol_vent = OfferLine.objects.create(
            offer=offer,
            request_line=vent,
            item=vent.item,
            quantity=50,
            accepted=50,
            status=OfferLine.Status.ACCEPTED,
        )
        OfferLine.objects.create(
            offer=offer,
            request_line=masks,
            item=masks.item,
            quantity=20000,
            accepted=15000,
            declined=5000,
            status=OfferLine.Status.ACCEPTED,
            decline_reason="@too many",
        )
        tur = Offer.objects.create(
            crisis=crisis,
            donor=parties["TUR"],
            rfa=rfa,
            reference="OFR-2020-0002",
            created_by=users["tur"],
        )
        OfferLine.objects.create(
            offer=tur,
            request_line=suits,
            item=suits.item,
            quantity=1000,
        )
        OfferLine.objects.create(
            offer=tur,
            request_line=vent,
            item=vent.item,
            quantity=10,
            status=OfferLine.Status.WITHDRAWN,
        )
        stock = Offer.objects.create(
            crisis=crisis,
            donor=parties["NATO-STOCK"],
            reference="OFR-2020-0003",
            created_by=users["stock"],
        )
        OfferLine.objects.create(offer=stock, item=items["RESP-FFP2"], quantity=40000)
        dispatch = Dispatch.objects.create(
            offer_line=ol_vent,
            quantity=50,
            mode=Dispatch.Mode.AIRLIFT,
            dispatched_at=T0 + dt.timedelta(days=3),
            transport_reference="SAC C-17 #12",
            reported_by=users["deu"],
        )
        Receipt.objects.create(
            dispatch=dispatch,
            quantity=48,
            received_at=T0 + dt.timedelta(days=4),
            note="2 damaged",
            confirmed_by=users["ita"],
        )
        record(
            users["duty"],
            "rfa.circulated",
            rfa,
            crisis=crisis,
            from_state="submitted",
            to_state="circulated",
            changes={"reference": [None, "RFA-2020-0001"], "z": 1, "a": [1.5]},
        )
        record(
            users["ita"], "offer.accepted", ol_vent, crisis=crisis, changes={"accepted": [0, 50]}
        )
        Notification.objects.create(
            recipient=users["deu"],
            kind="rfa.circulated",
            subject="RFA-2020-0001 circulated",
            body="Italy asks for ventilators",
            crisis=crisis,
            read_at=timezone.now(),
        )
    return {"rfa": rfa, "draft": draft, "offers": [offer, tur, stock], "dispatch": dispatch}
