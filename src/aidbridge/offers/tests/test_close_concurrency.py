"""Offers, acceptances and confirmations racing against the close that should stop them.

Each race runs both ways round (one side holds its transaction open while the other
starts), then a few times released at the same instant, on PostgreSQL with real threads.
Whatever the order, the end state is consistent and the audit trail never shows the
stopped action after the close.
"""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import Conflict, DomainError
from aidbridge.core.tests.threads import (
    assert_nothing_after,
    assert_replays,
    first_holds,
    in_threads,
    postgres_only,
)
from aidbridge.offers import proposals, services
from aidbridge.offers.models import OfferLine
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance

pytestmark = postgres_only
ROUNDS = 3


def _offered(crisis, parties, users, items) -> tuple[RequestForAssistance, OfferLine]:
    """Italy's request for 100 ventilators, with Germany's offer of 50 undecided."""
    rfa = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 100)])
    offer = services.make_offer(
        users["deu"], rfa=rfa, lines=[{"request_line": rfa.lines.get(), "quantity": 50}]
    )
    return rfa, offer.lines.get()


def _close(users, rfa) -> Any:
    return lambda: rfa_services.close_rfa(users["duty"], rfa, "fulfilled", "Covered")


def _settled(rfa: RequestForAssistance) -> None:
    """Closed, nothing left awaiting a decision, every line's history replays."""
    rfa.refresh_from_db()
    assert rfa.status == "closed"
    lines = OfferLine.objects.filter(request_line__rfa=rfa)
    assert not [ln for ln in lines if ln.status in ("open", "proposed")]
    for line in lines:
        assert_replays(line)
    assert_nothing_after(
        "rfa.close",
        rfa.pk,
        ["offer_line.accept", "offer_line.create", "offer_line.confirm", "offer.create"],
        crisis=rfa.crisis,
    )


def test_accept_against_close(crisis, parties, users, items) -> None:
    def accept(line: OfferLine) -> Any:
        return lambda: services.accept_offer_line(users["ita"], line, 30)

    rfa, line = _offered(crisis, parties, users, items)
    closed, refused = first_holds(_close(users, rfa), accept(line))
    assert isinstance(closed, RequestForAssistance)
    assert isinstance(refused, Conflict), refused
    _settled(rfa)
    line.refresh_from_db()
    assert (line.status, line.accepted, line.declined) == ("declined", 0, 50)

    rfa, line = _offered(crisis, parties, users, items)
    accepted, closed = first_holds(accept(line), _close(users, rfa))
    assert isinstance(accepted, OfferLine) and isinstance(closed, RequestForAssistance)
    _settled(rfa)
    line.refresh_from_db()
    # Accepted before the close; the close declined the 20 still pending.
    assert (line.status, line.accepted, line.declined) == ("accepted", 30, 20)

    for _ in range(ROUNDS):
        rfa, line = _offered(crisis, parties, users, items)
        outcomes = in_threads(_close(users, rfa), accept(line))
        assert isinstance(outcomes[0], RequestForAssistance)
        assert isinstance(outcomes[1], (OfferLine, Conflict)), outcomes[1]
        _settled(rfa)


def test_offer_against_close(crisis, parties, users, items) -> None:
    def offer(rfa: RequestForAssistance) -> Any:
        return lambda: services.make_offer(
            users["tur"], rfa=rfa, lines=[{"request_line": rfa.lines.get(), "quantity": 40}]
        )

    rfa, _line = _offered(crisis, parties, users, items)
    closed, refused = first_holds(_close(users, rfa), offer(rfa))
    assert isinstance(closed, RequestForAssistance)
    assert isinstance(refused, Conflict), refused
    assert not rfa.offers.filter(donor=parties["TUR"]).exists()
    _settled(rfa)

    rfa, _line = _offered(crisis, parties, users, items)
    made, closed = first_holds(offer(rfa), _close(users, rfa))
    assert isinstance(closed, RequestForAssistance)
    # Offered before the close, which then declined it.
    assert [(ln.status, ln.declined) for ln in made.lines.all()] == [("declined", 40)]
    _settled(rfa)

    for _ in range(ROUNDS):
        rfa, _line = _offered(crisis, parties, users, items)
        outcomes = in_threads(_close(users, rfa), offer(rfa))
        assert not isinstance(outcomes[0], Exception), outcomes[0]
        assert not isinstance(outcomes[1], Exception) or isinstance(outcomes[1], Conflict)
        _settled(rfa)


def _proposed(crisis, parties, users, items) -> tuple[OfferLine, OfferLine]:
    """NATO's standing stock of 40 ventilators, 10 of them proposed for Italy."""
    rfa = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 100)])
    standing = services.make_unsolicited_offer(
        users["stock"], crisis=crisis, lines=[{"item": "VENT-ICU", "quantity": 40}]
    ).lines.get()
    [drawn] = proposals.propose_drawn_offers(
        users["duty"],
        [proposals.Draw(standing=standing.pk, need=rfa.lines.get().pk, quantity=10)],
    )
    return standing, drawn


def test_confirm_proposal_against_withdraw_standing_line(crisis, parties, users, items) -> None:
    def confirm(drawn: OfferLine) -> Any:
        return lambda: proposals.confirm_proposed_offer(users["stock"], drawn.offer)

    def withdraw(standing: OfferLine) -> Any:
        return lambda: services.withdraw_offer_line(users["stock"], standing, "Sent elsewhere")

    def consistent(standing: OfferLine, drawn: OfferLine) -> None:
        for line in (standing, drawn):
            assert_replays(line)
        assert standing.status == "withdrawn"
        if drawn.status == "open":  # confirmed first: the confirmation precedes the withdrawal
            confirmed = AuditEntry.objects.get(action="offer_line.confirm", target_id=drawn.pk)
            gone = AuditEntry.objects.get(action="offer_line.withdraw", target_id=standing.pk)
            assert confirmed.pk < gone.pk and confirmed.at <= gone.at
        else:
            assert drawn.status == "withdrawn"
            assert_nothing_after(
                "offer_line.withdraw", standing.pk, ["offer_line.confirm", "offer.confirm"]
            )

    standing, drawn = _proposed(crisis, parties, users, items)
    withdrawn, refused = first_holds(withdraw(standing), confirm(drawn))
    assert isinstance(withdrawn, OfferLine) and isinstance(refused, Conflict), refused
    consistent(standing, drawn)
    assert drawn.status == "withdrawn"

    standing, drawn = _proposed(crisis, parties, users, items)
    confirmed, withdrawn = first_holds(confirm(drawn), withdraw(standing))
    assert not isinstance(confirmed, Exception) and isinstance(withdrawn, OfferLine)
    consistent(standing, drawn)
    assert drawn.status == "open"

    for _ in range(ROUNDS):
        standing, drawn = _proposed(crisis, parties, users, items)
        outcomes = in_threads(withdraw(standing), confirm(drawn))
        assert isinstance(outcomes[0], OfferLine), outcomes[0]
        assert not isinstance(outcomes[1], Exception) or isinstance(outcomes[1], DomainError)
        consistent(standing, drawn)


@pytest.mark.parametrize("closing", ["close", "withdraw"])
def test_confirm_proposal_against_closing_its_request(
    crisis, parties, users, items, closing
) -> None:
    def close(rfa: RequestForAssistance) -> Any:
        if closing == "close":
            return _close(users, rfa)
        return lambda: rfa_services.withdraw_rfa(users["ita"], rfa, "Not needed")

    def confirm(drawn: OfferLine) -> Any:
        return lambda: proposals.confirm_proposed_offer(users["stock"], drawn.offer)

    def proposal() -> tuple[OfferLine, OfferLine, RequestForAssistance]:
        standing, drawn = _proposed(crisis, parties, users, items)
        assert drawn.request_line is not None
        return standing, drawn, drawn.request_line.rfa

    def settled(standing: OfferLine, drawn: OfferLine, rfa: RequestForAssistance) -> None:
        assert_replays(drawn)
        assert drawn.status in ("withdrawn", "declined")  # confirmed, then declined by the close
        free = proposals.available_quantities(OfferLine.objects.filter(pk=standing.pk))
        assert free == {standing.pk: 40}
        assert_nothing_after(
            f"rfa.{closing}", rfa.pk, ["offer_line.confirm", "offer.confirm"], crisis=crisis
        )

    standing, drawn, rfa = proposal()
    closed, refused = first_holds(close(rfa), confirm(drawn))
    assert isinstance(closed, RequestForAssistance) and isinstance(refused, Conflict), refused
    settled(standing, drawn, rfa)
    assert drawn.status == "withdrawn"

    standing, drawn, rfa = proposal()
    confirmed, closed = first_holds(confirm(drawn), close(rfa))
    assert not isinstance(confirmed, Exception) and isinstance(closed, RequestForAssistance)
    settled(standing, drawn, rfa)
    assert (drawn.status, drawn.declined) == ("declined", 10)

    for _ in range(ROUNDS):
        standing, drawn, rfa = proposal()
        outcomes = in_threads(close(rfa), confirm(drawn))
        assert isinstance(outcomes[0], RequestForAssistance), outcomes[0]
        settled(standing, drawn, rfa)


def test_proposing_from_standing_stock_against_close(crisis, parties, users, items) -> None:
    """The centre draws on standing stock (as from an allocation run) while the request
    is closed: the proposal comes before the close (which withdraws it) or is refused."""

    def propose(standing: OfferLine, rfa: RequestForAssistance) -> Any:
        need = rfa.lines.get().pk
        return lambda: proposals.propose_drawn_offers(
            users["duty"], [proposals.Draw(standing=standing.pk, need=need, quantity=5)]
        )

    for order in ("close first", "proposal first", "at once", "at once", "at once"):
        standing, drawn = _proposed(crisis, parties, users, items)
        assert drawn.request_line is not None
        rfa = drawn.request_line.rfa
        jobs = (_close(users, rfa), propose(standing, rfa))
        if order == "close first":
            outcomes = list(first_holds(*jobs))
            assert isinstance(outcomes[1], Conflict), outcomes[1]
        elif order == "proposal first":
            outcomes = list(reversed(first_holds(jobs[1], jobs[0])))
            assert isinstance(outcomes[1], list), outcomes[1]
        else:
            outcomes = in_threads(*jobs)
        assert isinstance(outcomes[0], RequestForAssistance), outcomes[0]
        _settled(rfa)
        free = proposals.available_quantities(OfferLine.objects.filter(pk=standing.pk))
        assert free == {standing.pk: 40}
        assert_nothing_after("rfa.close", rfa.pk, ["offer_line.propose", "offer.propose"])
