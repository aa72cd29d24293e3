"""A small crisis built through the ORM, each change written with its audit entry the way
the request and offer services write them (those services are built on other branches;
these helpers mirror their effects: the row change plus ``audit.record`` in one
transaction)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from aidbridge.audit.services import record
from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance, RequestLine

RFA = RequestForAssistance


class World:
    """Actions on the test crisis; each writes the change and its audit entry."""

    def __init__(
        self,
        crisis: Crisis,
        users: dict[str, Any],
        parties: dict[str, Party],
        items: dict[str, Item],
    ):
        self.crisis, self.users, self.parties, self.items = crisis, users, parties, items
        self._n = 0

    @transaction.atomic
    def rfa(self, nation: str, lines: list[tuple[str, int]], *, contact: str = "") -> RFA:
        self._n += 1
        rfa = RFA.objects.create(
            crisis=self.crisis,
            requester=self.parties[nation],
            reference=f"RFA-2020-{self._n:04d}",
            title=f"{nation} request {self._n}",
            status=RFA.Status.CIRCULATED,
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@example.org" if contact else "",
            created_by=self.users[nation.lower()],
            circulated_at=timezone.now(),
        )
        for pos, (code, qty) in enumerate(lines, start=1):
            RequestLine.objects.create(
                rfa=rfa,
                position=pos,
                item=self.items[code],
                quantity=qty,
                unit="piece",
                priority=1 if code == "VENT-ICU" else 2,
                needed_by=date(2020, 4, 1),
            )
        record(
            self.users["duty"],
            "rfa.circulate",
            rfa,
            crisis=self.crisis,
            from_state="submitted",
            to_state="circulated",
        )
        return rfa

    @transaction.atomic
    def offer(self, donor: str, rfa: RFA, item: str, qty: int) -> OfferLine:
        self._n += 1
        offer = Offer.objects.create(
            crisis=self.crisis,
            donor=self.parties[donor],
            rfa=rfa,
            reference=f"OFF-2020-{self._n:04d}",
            created_by=self.users[donor.lower()],
        )
        line = OfferLine.objects.create(
            offer=offer,
            request_line=rfa.lines.get(item__code=item),
            item=self.items[item],
            quantity=qty,
        )
        record(
            self.users[donor.lower()],
            "offer.create",
            offer,
            crisis=self.crisis,
            to_state="open",
            changes={"quantity": [None, qty]},
        )
        return line

    @transaction.atomic
    def accept(self, line: OfferLine, qty: int) -> None:
        line.accepted += qty
        line.status = OfferLine.Status.ACCEPTED
        line.save()
        record(
            self.users["ita"],
            "offer_line.accept",
            line,
            crisis=self.crisis,
            from_state="open",
            to_state="accepted",
            changes={"accepted": [0, qty]},
        )

    @transaction.atomic
    def dispatch(self, line: OfferLine, qty: int, mode: str = "airlift") -> Dispatch:
        d = Dispatch.objects.create(
            offer_line=line,
            quantity=qty,
            mode=mode,
            dispatched_at=timezone.now(),
            reported_by=self.users["duty"],
        )
        record(
            self.users["duty"],
            "dispatch.create",
            d,
            crisis=self.crisis,
            changes={"quantity": [None, qty]},
        )
        return d

    @transaction.atomic
    def receive(self, d: Dispatch, qty: int, day: datetime | None = None) -> Receipt:
        r = Receipt.objects.create(
            dispatch=d,
            quantity=qty,
            received_at=day or timezone.now(),
            confirmed_by=self.users["duty"],
        )
        record(
            self.users["duty"],
            "receipt.confirm",
            r,
            crisis=self.crisis,
            changes={"quantity": [None, qty]},
        )
        return r


@pytest.fixture
def world(
    crisis: Crisis, users: dict[str, Any], parties: dict[str, Party], items: dict[str, Item]
) -> World:
    return World(crisis, users, parties, items)


@pytest.fixture
def first_state(world: World) -> dict[str, Any]:
    """Italy and Spain ask; Germany and Türkiye offer; some of it has already arrived."""
    ita = world.rfa("ITA", [("VENT-ICU", 150), ("MASK-SURG", 100000)], contact="Marco Rossi")
    esp = world.rfa("ESP", [("VENT-ICU", 100), ("SUIT-PROT", 2000)], contact="Ana Garcia")
    deu_esp = world.offer("DEU", esp, "VENT-ICU", 50)
    world.accept(deu_esp, 50)
    d = world.dispatch(deu_esp, 50)
    world.receive(d, 50, datetime(2020, 3, 28, 10, 0, tzinfo=UTC))
    tur_ita = world.offer("TUR", ita, "MASK-SURG", 40000)
    world.accept(tur_ita, 30000)
    return {"ita": ita, "esp": esp, "deu_esp": deu_esp, "tur_ita": tur_ita}
