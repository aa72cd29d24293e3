"""A small crisis built through the real services (request, offer, logistics), as the
nations' points of contact and the duty officer would: each action writes its own audit
entries, which is what the sitreps' bold changes are read from."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.logistics.services import confirm_receipt, dispatch_offer_line
from aidbridge.offers.models import OfferLine
from aidbridge.offers.services import accept_offer_line, make_offer
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.services import circulate_request, create_rfa, submit_rfa

RFA = RequestForAssistance
AIRPORTS = {"ITA": "LIMC", "ESP": "LEMD", "CZE": "LKPR"}


class World:
    """Actions on the test crisis, each by the user whose business it is."""

    def __init__(
        self,
        crisis: Crisis,
        users: dict[str, Any],
        parties: dict[str, Party],
        items: dict[str, Item],
    ):
        self.crisis, self.users, self.parties, self.items = crisis, users, parties, items
        self._n = 0

    def poc(self, nation: str) -> Any:
        return self.users[nation.lower()]

    def rfa(self, nation: str, lines: list[tuple[str, int]], *, contact: str = "") -> RFA:
        """The nation drafts and submits; the duty officer circulates."""
        self._n += 1
        rfa = create_rfa(
            self.poc(nation),
            crisis=self.crisis,
            title=f"{nation} request {self._n}",
            lines=[
                {
                    "item": self.items[code],
                    "quantity": qty,
                    "unit": self.items[code].unit,
                    "priority": 1 if code == "VENT-ICU" else 2,
                    "needed_by": date(2020, 4, 1),
                    "delivery_airport": AIRPORTS[nation],
                }
                for code, qty in lines
            ],
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@example.org" if contact else "",
        )
        submit_rfa(self.poc(nation), rfa)
        return circulate_request(self.users["duty"], rfa)

    def offer(self, donor: str, rfa: RFA, item: str, qty: int) -> OfferLine:
        offer = make_offer(
            self.poc(donor),
            rfa=rfa,
            lines=[{"request_line": rfa.lines.get(item__code=item), "quantity": qty}],
        )
        return offer.lines.get()

    def accept(self, line: OfferLine, qty: int) -> None:
        requester = line.request_line.rfa.requester.code if line.request_line else ""
        accept_offer_line(self.poc(requester), line, qty)

    def dispatch(
        self, line: OfferLine, qty: int, mode: str = "airlift", at: datetime | None = None
    ) -> Dispatch:
        # Replayed: the 2020 story's acceptances are recorded when the test runs.
        return dispatch_offer_line(
            self.poc(line.offer.donor.code),
            line,
            quantity=qty,
            mode=mode,
            dispatched_at=at,
            replayed=True,
        )

    def receive(self, d: Dispatch, qty: int, day: datetime | None = None) -> Receipt:
        requester = d.offer_line.request_line.rfa.requester.code  # type: ignore[union-attr]
        return confirm_receipt(self.poc(requester), d, quantity=qty, received_at=day)


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
    d = world.dispatch(deu_esp, 50, at=datetime(2020, 3, 26, 8, 0, tzinfo=UTC))
    world.receive(d, 50, datetime(2020, 3, 28, 10, 0, tzinfo=UTC))
    tur_ita = world.offer("TUR", ita, "MASK-SURG", 40000)
    world.accept(tur_ita, 30000)
    return {"ita": ita, "esp": esp, "deu_esp": deu_esp, "tur_ita": tur_ita}
