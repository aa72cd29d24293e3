"""A small crisis told day by day (March 2020) for the coverage-over-time tests, and
what its chart must show, worked out by hand from the story (not read from output)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from aidbridge.demo.clock import replay_clock
from aidbridge.ledger.tests.scenarios import accept, dispatch, offer, receive
from aidbridge.offers.services import withdraw_offer_line
from aidbridge.offers.tests.factories import circulated_rfa


def on(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2020, month, day, hour, tzinfo=UTC)


def tell(
    crisis: Any, parties: dict[str, Any], users: dict[str, Any], items: dict[str, Any]
) -> tuple[Any, Any]:
    """Italy asks for 100 ventilators and 1,000 masks on 10 March; Germany offers, Italy
    accepts 40 ventilators (12 March), then 1,200 masks, beyond the need (14 March);
    30 of the 40 ventilators sent arrive on 16 March; Spain asks for 50 suits on 18
    March, which Czechia offers and withdraws; Italy accepts 20 more ventilators on 20
    March."""
    ita, deu, cze = users["ita"], users["deu"], users["cze"]
    with replay_clock() as clock:
        clock.set(on(3, 10))
        rfa = circulated_rfa(
            crisis, parties["ITA"], ita, [(items["VENT-ICU"], 100), (items["MASK-SURG"], 1000)]
        )
        clock.set(on(3, 12, 9))
        vents = offer(deu, rfa, 1, 60)
        clock.set(on(3, 12, 14))
        vents = accept(ita, vents, 40)
        clock.set(on(3, 14, 9))
        masks = offer(deu, rfa, 2, 1500)
        clock.set(on(3, 14, 11))
        accept(ita, masks, 1200, reason="Stock for the second hospital")
        clock.set(on(3, 14, 15))
        sent = dispatch(deu, vents, 40)
        clock.set(on(3, 16, 10))
        receive(ita, sent, 30)
        clock.set(on(3, 18))
        esp = circulated_rfa(
            crisis, parties["ESP"], users["esp"], [(items["SUIT-PROT"], 50)], title="Suits"
        )
        clock.set(on(3, 19))
        withdraw_offer_line(cze, offer(cze, esp, 1, 50), "Sent elsewhere")
        clock.set(on(3, 20))
        accept(ita, vents, 20)
    return rfa, esp


# Day: (lines circulated, mean accepted share, mean delivered share). Masks accepted
# beyond the need count as 100 %; the withdrawn offer and the dispatch change nothing.
EXPECTED = {
    date(2020, 3, 10): (2, 0.0, 0.0),
    date(2020, 3, 12): (2, (0.4 + 0) / 2, 0.0),
    date(2020, 3, 14): (2, (0.4 + 1.0) / 2, 0.0),
    date(2020, 3, 16): (2, (0.4 + 1.0) / 2, (0.3 + 0) / 2),
    date(2020, 3, 18): (3, (0.4 + 1.0 + 0) / 3, 0.3 / 3),
    date(2020, 3, 20): (3, (0.6 + 1.0 + 0) / 3, 0.3 / 3),
}
