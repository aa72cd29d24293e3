"""Long worklists: each list stops at a page, read through indexes and copies (a
dispatch's crisis and requesting nation), yet holds exactly what the entity's rule
allows, in order: the first ``limit`` of every object of the crisis that the rule lets
the user act on, worked out here the slow way (every object of the crisis, the rule
asked of each)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet

from aidbridge.logistics import services as logistics
from aidbridge.logistics.actions import dispatch_actions
from aidbridge.logistics.models import Dispatch
from aidbridge.logistics.selectors import dispatches_visible_to
from aidbridge.offers import services as offer_services
from aidbridge.offers.actions import offer_line_rules
from aidbridge.offers.selectors import offer_lines_visible_to
from aidbridge.requests import services
from aidbridge.requests.actions import available_actions
from aidbridge.requests.selectors import rfas_visible_to
from aidbridge.web.worklists import may, worklists

LIMIT = 20


def _first(rows: QuerySet[Any], allowed: Callable[[Any], bool]) -> list[int]:
    return [row.pk for row in rows if allowed(row)][:LIMIT]


def _pks(rows: Iterable[Any]) -> list[int]:
    return [row.pk for row in rows]


def _circulated(users: dict[str, Any], crisis: Any, nation: str, title: str) -> Any:
    rfa = services.create_rfa(
        users[nation],
        crisis=crisis,
        title=title,
        lines=[{"item": "VENT-ICU", "quantity": 10_000, "delivery_airport": "LIML"}],
    )
    services.submit_rfa(users[nation], rfa)
    return services.circulate_request(users["duty"], rfa)


def test_long_lists_hold_exactly_what_the_rules_allow(
    users: dict[str, Any], items: Any, crisis: Any, italian_rfa: Any
) -> None:
    spain = _circulated(users, crisis, "esp", "Ventilators for Madrid")
    masks, madrid = italian_rfa.lines.get(position=2), spain.lines.get()
    # The oldest offers were withdrawn by their donor: undecided, so the query reads
    # them, but the rule refuses to decide them, and the list reads on past its first page.
    for _ in range(7):
        withdrawn = offer_services.make_offer(
            users["deu"], rfa=italian_rfa, lines=[{"request_line": masks.pk, "quantity": 5}]
        ).lines.get()
        offer_services.withdraw_offer_line(users["deu"], withdrawn)
    # Germany gives to Italy, Turkey to Spain, interleaved: more than a list holds of
    # each kind, some of it not Italy's or Germany's to act on, some of it done already.
    for i in range(36):
        for donor, rfa, need, nation in (
            ("deu", italian_rfa, masks, "ita"),
            ("tur", spain, madrid, "esp"),
        ):
            line = offer_services.make_offer(
                users[donor], rfa=rfa, lines=[{"request_line": need.pk, "quantity": 10}]
            ).lines.get()
            if i % 7 == 6:
                continue  # left undecided altogether
            offer_services.accept_offer_line(users[nation], line, 6)
            if i % 8 == 7:
                continue  # accepted, nothing dispatched yet
            dispatch = logistics.dispatch_offer_line(
                users[donor], line, quantity=3 if i % 3 else 6, mode="road"
            )
            if i % 6 == 0:
                logistics.confirm_receipt(users[nation], dispatch, quantity=dispatch.quantity)
    # And Spain has more requests waiting for the centre than a list holds.
    for i in range(LIMIT + 3):
        waiting = services.create_rfa(
            users["esp"],
            crisis=crisis,
            title=f"Masks for Valencia {i}",
            lines=[{"item": "MASK-SURG", "quantity": 1000 + i, "delivery_airport": "LEVC"}]
            * (1 + i % 3),
        )
        services.submit_rfa(users["esp"], waiting)

    ita, deu, duty = users["ita"], users["deu"], users["duty"]
    in_crisis = offer_lines_visible_to(ita).filter(offer__crisis=crisis)
    expected = {
        ("ita", "to_decide"): _first(
            in_crisis.order_by("offer__created_at", "pk"),
            lambda line: may(offer_line_rules(ita, line), "decline"),
        ),
        ("ita", "to_confirm"): _first(
            # The path through the offer, not the dispatch's own copies.
            dispatches_visible_to(ita)
            .filter(offer_line__offer__crisis=crisis)
            .order_by("dispatched_at", "pk"),
            lambda d: "confirm_receipt" in dispatch_actions(ita, d),
        ),
        ("deu", "to_dispatch"): _first(
            offer_lines_visible_to(deu)
            .filter(offer__crisis=crisis)
            .order_by("offer__created_at", "offer_id", "pk"),
            lambda line: may(offer_line_rules(deu, line), "dispatch"),
        ),
        ("duty", "to_validate"): _first(
            rfas_visible_to(duty).filter(crisis=crisis).order_by("submitted_at", "pk"),
            lambda rfa: "circulate" in available_actions(duty, rfa),
        ),
    }
    for (who, kind), pks in expected.items():
        assert len(pks) == LIMIT, (who, kind)  # the lists are cut, not short
        assert _pks(worklists(users[who], crisis, limit=LIMIT)[kind]) == pks, (who, kind)

    # Each request to validate says how many lines it has, counted for the page only.
    for rfa in worklists(duty, crisis)["to_validate"]:
        assert rfa.line_count == rfa.lines.count()
    # Nothing of Italy's is Germany's to confirm, nor Spain's deliveries Italy's.
    assert "to_confirm" not in worklists(deu, crisis)
    assert all(
        d.offer_line.request_line.rfa.requester.code == "ITA"
        for d in worklists(ita, crisis)["to_confirm"]
    )


def test_a_dispatch_copies_its_crisis_and_requesting_nation(
    users: dict[str, Any], italian_rfa: Any, crisis: Any
) -> None:
    vent = italian_rfa.lines.get(position=1)
    line = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 10}]
    ).lines.get()
    offer_services.accept_offer_line(users["ita"], line, 10)
    made = logistics.dispatch_offer_line(users["deu"], line, quantity=4, mode="road")
    dispatch = Dispatch.objects.get(pk=made.pk)
    assert (dispatch.crisis_id, dispatch.requester_id) == (crisis.pk, italian_rfa.requester_id)
    # Saved again (an edit), the copies stay what they were.
    dispatch.note = "delayed at the border"
    dispatch.save()
    dispatch.refresh_from_db()
    assert (dispatch.crisis_id, dispatch.requester_id) == (crisis.pk, italian_rfa.requester_id)
