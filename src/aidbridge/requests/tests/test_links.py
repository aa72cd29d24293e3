"""Linked requests: which open requests a new one may repeat, as the centre sees them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import crisis_figures
from aidbridge.ledger.sums import line_figures
from aidbridge.offers import services as offer_services
from aidbridge.requests import services as rfa_services
from aidbridge.requests.links import RECENT, candidate_links, pair_text
from aidbridge.requests.models import RequestForAssistance

RFA = RequestForAssistance


def _request(
    who: Any,
    crisis: Crisis,
    *lines: tuple[str, int, str | None],
    circulate: Any = None,
    repeat_of: RFA | None = None,
    submit: bool = True,
) -> RFA:
    rfa = rfa_services.create_rfa(
        who,
        crisis=crisis,
        title="Medical equipment",
        repeat_of=repeat_of,
        lines=[
            {"item": code, "quantity": q, "needed_by": when, "delivery_airport": "LIRF"}
            for code, q, when in lines
        ],
    )
    if submit:
        rfa = rfa_services.submit_rfa(who, rfa)
    if circulate is not None:
        rfa = rfa_services.circulate_request(circulate, rfa)
    return rfa


@pytest.fixture
def first(users, items, crisis) -> RFA:
    """Italy's circulated request: 150 ventilators by 10 April, 100,000 masks; Germany's
    50 ventilators accepted, so 100 are outstanding."""
    rfa = _request(
        users["ita"],
        crisis,
        ("VENT-ICU", 150, "2020-04-10"),
        ("MASK-SURG", 100_000, None),
        circulate=users["duty"],
    )
    vent = rfa.lines.get(position=1)
    offer = offer_services.make_offer(
        users["deu"], rfa=rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    )
    offer_services.accept_offer_line(users["ita"], offer.lines.get(), 50)
    return rfa


def test_the_centre_sees_the_open_request_a_new_one_may_repeat(first, users, crisis) -> None:
    again = _request(
        users["ita"], crisis, ("VENT-ICU", 350, "2020-04-05"), ("RESP-FFP2", 5000, None)
    )
    [link] = candidate_links(users["duty"], again)
    assert link.rfa == first and not link.declared
    vent, ffp2 = link.pairs
    outstanding = line_figures(first.lines.filter(position=1))[vent.earlier.pk].outstanding
    assert (vent.same_item, vent.increase, vent.days_earlier) == (True, 200, 5)
    assert vent.outstanding == outstanding == 100
    assert pair_text(vent) == (
        "line 1 (ICU ventilator): same item, +200 piece, needed 5 days earlier; "
        "100 outstanding on its line 1"
    )
    with translation.override("fr"):
        assert pair_text(vent) == (
            "ligne 1 (Respirateur de réanimation) : même article, +200 piece, nécessaire "
            "5 jours plus tôt ; 100 restant à couvrir sur sa ligne 1"
        )
    # FFP2 respirators substitute for the surgical masks asked before.
    assert (ffp2.same_item, ffp2.earlier.position, ffp2.days_earlier) == (False, 2, None)
    assert pair_text(ffp2).startswith("line 2 (FFP2 respirator): a substitute, ")


def test_only_open_recent_requests_of_the_same_nation_and_crisis(
    first, users, crisis, items
) -> None:
    other_crisis = Crisis.objects.create(
        code="floods-2020", name_en="Floods", name_fr="Inondations", started_on=date(2020, 5, 1)
    )
    _request(users["esp"], crisis, ("VENT-ICU", 10, None), circulate=users["duty"])
    _request(users["ita"], other_crisis, ("VENT-ICU", 10, None), circulate=users["duty"])
    _request(users["ita"], crisis, ("VENT-ICU", 10, None), submit=False)  # a draft
    closed = _request(users["ita"], crisis, ("VENT-ICU", 10, None), circulate=users["duty"])
    rfa_services.close_rfa(users["duty"], closed, RFA.Closure.OVERTAKEN)
    old = _request(users["ita"], crisis, ("VENT-ICU", 10, None), circulate=users["duty"])
    RFA.objects.filter(pk__in=[old.pk, first.pk]).update(
        created_at=first.created_at - RECENT - timedelta(days=1)
    )
    suits = _request(users["ita"], crisis, ("SUIT-PROT", 10, None), circulate=users["duty"])
    again = _request(users["ita"], crisis, ("VENT-ICU", 100, None))
    assert suits.pk and candidate_links(users["duty"], again) == []
    # An old request the nation itself names as repeated is still shown, declared; the
    # submitted one before it is open and recent too.
    declared = _request(users["ita"], crisis, ("VENT-ICU", 100, None), repeat_of=first)
    links = {link.rfa: link for link in candidate_links(users["duty"], declared)}
    assert set(links) == {first, again}
    assert links[first].declared and not links[again].declared
    assert links[first].pairs[0].increase == -50


def test_only_the_centre_is_shown_links(first, users, crisis) -> None:
    again = _request(users["ita"], crisis, ("VENT-ICU", 350, None))
    for who in ("ita", "deu", "ocha"):
        assert candidate_links(users[who], again) == []
    assert candidate_links(users["head"], again)[0].rfa == first


def test_the_request_page_shows_the_link_to_the_centre_and_changes_no_figure(
    first, users, crisis
) -> None:
    again = _request(users["ita"], crisis, ("VENT-ICU", 350, "2020-04-05"))
    before = crisis_figures(crisis)
    page = Client()
    page.force_login(users["duty"])
    html = page.get(f"/rfas/{again.pk}/").content.decode()
    assert "May repeat an open request of this nation" in html
    assert f'href="/rfas/{first.pk}/">{first.reference}</a>' in html
    assert "same item, +200 piece, needed 5 days earlier" in html
    assert crisis_figures(crisis) == before
    page.force_login(users["ita"])
    assert "May repeat" not in page.get(f"/rfas/{again.pk}/").content.decode()


def test_the_api_gives_the_centre_the_same_links(api, first, users, crisis) -> None:
    again = _request(users["ita"], crisis, ("VENT-ICU", 350, "2020-04-05"))
    body = api("duty").get(f"/rfas/{again.pk}/links").json()
    [vent] = candidate_links(users["duty"], again)[0].pairs
    assert body == [
        {
            "rfa": {"id": first.pk, "reference": first.reference, "status": "circulated"},
            "declared": False,
            "later": False,
            "lines": [
                {
                    "line": 1,
                    "earlier_line": 1,
                    "item": "VENT-ICU",
                    "earlier_item": "VENT-ICU",
                    "same_item": True,
                    "increase": 200,
                    "days_earlier": 5,
                    "outstanding": vent.outstanding,
                    "text": pair_text(vent),
                }
            ],
        }
    ]
    assert api("ita").get(f"/rfas/{again.pk}/links").json() == []
    assert api("deu").get(f"/rfas/{again.pk}/links").status_code == 404  # not circulated
