"""Each figure of the ledger at each level, against expectations worked out by hand
from the story each test tells (see README, "Glossary")."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aidbridge.ledger.crisis import crisis_figures, crisis_summary
from aidbridge.ledger.figures import Figures
from aidbridge.ledger.sums import line_figures, with_movement
from aidbridge.ledger.sums import moved as as_moved
from aidbridge.ledger.tests.scenarios import accept, decline, dispatch, offer, receive
from aidbridge.offers.models import OfferLine
from aidbridge.offers.services import withdraw_offer_line
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.django_db
RFA = RequestForAssistance


def _f(**values: int) -> dict[str, int]:
    """The named figures, every other one 0."""
    names = (
        "requested",
        "offered",
        "awaiting",
        "accepted",
        "declined",
        "over_accepted",
        "dispatched",
        "in_transit",
        "delivered",
        "short_on_arrival",
        "outstanding",
    )
    return {name: values.get(name, 0) for name in names}


def _pick(figures: Figures | dict[str, Any]) -> dict[str, int]:
    if isinstance(figures, dict):
        return {name: figures[name] for name in _f()}
    return {name: getattr(figures, name) for name in _f()}


@pytest.fixture
def story(crisis, parties, users, items, ita_rfa) -> dict[str, Any]:
    """Italy asks for 150 ventilators and 100,000 masks.

    - Germany offers 30 ventilators; Italy accepts 20 and declines 10 (partial decline).
    - Türkiye offers 140; Italy accepts 135 (5 beyond the 130 still missing, with a
      reason) and leaves 5 awaiting decision.
    - Spain offers 5,000 masks and withdraws them.
    - Germany dispatches its 20; 18 arrive (2 short). Türkiye dispatches 100, in transit.
    """
    ita = users["ita"]
    deu = offer(users["deu"], ita_rfa, 1, 30)
    accept(ita, deu, 20)
    decline(ita, deu, 10)
    tur = offer(users["tur"], ita_rfa, 1, 140)
    accept(ita, tur, 135, reason="Field hospitals opening")
    esp = offer(users["esp"], ita_rfa, 2, 5000)
    withdraw_offer_line(users["esp"], esp, "Sent elsewhere")
    receive(ita, dispatch(users["deu"], deu, 20), 18)
    dispatch(users["tur"], tur, 100)
    return {"rfa": ita_rfa, "deu": deu, "tur": tur, "esp": esp}


VENT = _f(
    requested=150,
    offered=20 + 140,
    awaiting=5,
    accepted=20 + 135,
    declined=10,
    over_accepted=5,
    dispatched=20 + 100,
    in_transit=100,
    delivered=18,
    short_on_arrival=2,
    outstanding=0,
)
MASK = _f(requested=100_000, outstanding=100_000)
BOTH = {k: VENT[k] + MASK[k] for k in VENT}


def test_line_request_nation_item_and_crisis_levels(story, parties, items) -> None:
    rfa = story["rfa"]
    vent, mask = rfa.lines.order_by("position")
    by_line = line_figures([vent, mask])
    assert _pick(by_line[vent.pk]) == VENT
    assert _pick(by_line[mask.pk]) == MASK
    assert by_line[vent.pk].coverage == 1.0  # 155 accepted cover the 150 asked, no more
    assert by_line[mask.pk].coverage == 0.0

    ledger = crisis_figures(rfa.crisis)
    assert _pick(ledger.by_request[rfa.pk]) == BOTH
    assert [(p.code, _pick(f)) for p, f in ledger.by_nation] == [("ITA", BOTH)]
    assert [(i.code, _pick(f)) for i, f in ledger.by_item] == [
        ("MASK-SURG", MASK),
        ("VENT-ICU", VENT),
    ]
    assert _pick(ledger.overall) == BOTH
    assert ledger.overall.coverage == round(150 / 100_150, 4)
    # Invariants: offered = awaiting + accepted; accepted >= dispatched >= delivered.
    overall = ledger.overall
    assert overall.offered == overall.awaiting + overall.accepted
    assert overall.accepted >= overall.dispatched >= overall.delivered


def test_summary_adds_up_in_the_database_what_the_lines_give(story, parties, items) -> None:
    """The totals the picture and the dashboards read (summed by nation and item in
    SQL) are the hand-worked ones: the ventilator line's surplus of 5 does not hide the
    masks' 100,000 outstanding, and line counts follow the lines."""
    rfa = story["rfa"]
    summary = crisis_summary(rfa.crisis)
    assert [(p.code, _pick(f)) for p, f in summary.by_nation] == [("ITA", BOTH)]
    assert [(i.code, _pick(f)) for i, f in summary.by_item] == [
        ("MASK-SURG", MASK),
        ("VENT-ICU", VENT),
    ]
    assert _pick(summary.overall) == BOTH
    assert (summary.overall.lines, summary.overall.open_lines) == (2, 2)
    assert summary.overall == crisis_figures(rfa.crisis).overall
    assert summary.donors == crisis_figures(rfa.crisis).donors


def test_donor_level(story) -> None:
    donors = {p.code: f for p, f in crisis_figures(story["rfa"].crisis).by_donor}
    deu, tur, esp = donors["DEU"], donors["TUR"], donors["ESP"]
    assert (deu.offers, deu.offered, deu.awaiting, deu.accepted, deu.declined) == (1, 20, 0, 20, 10)
    assert (deu.dispatched, deu.delivered, deu.short_on_arrival, deu.in_transit) == (20, 18, 2, 0)
    assert (tur.offered, tur.awaiting, tur.accepted, tur.dispatched, tur.in_transit) == (
        140,
        5,
        135,
        100,
        100,
    )
    # A withdrawn offer is still an offer made, but offers nothing.
    assert (esp.offers, esp.offered, esp.declined, esp.accepted) == (1, 0, 0, 0)


def test_offer_line_level(story) -> None:
    deu, tur, esp = story["deu"], story["tur"], story["esp"]
    moved = {ln.pk: as_moved(ln) for ln in with_movement(OfferLine.objects.all())}
    assert (moved[deu.pk].offered, moved[deu.pk].awaiting) == (20, 0)
    assert (moved[deu.pk].dispatched, moved[deu.pk].delivered) == (20, 18)
    assert (moved[deu.pk].short_on_arrival, moved[deu.pk].left_to_dispatch) == (2, 0)
    assert (moved[tur.pk].offered, moved[tur.pk].awaiting) == (140, 5)
    assert (moved[tur.pk].dispatched, moved[tur.pk].in_transit) == (100, 100)
    assert moved[tur.pk].left_to_dispatch == 135 - 100
    assert (moved[esp.pk].offered, moved[esp.pk].left_to_dispatch) == (0, 0)


def test_every_consumer_reports_the_ledger(story, api, users) -> None:
    rfa = story["rfa"]
    code = rfa.crisis.code
    body = api("ocha").get(f"/crises/{code}/picture").json()
    assert _pick(body["overall"]) == BOTH
    assert {n["party"]: _pick(n) for n in body["by_nation"]} == {"ITA": BOTH}

    client = Client()
    client.force_login(users["ocha"])
    rows = list(csv.DictReader(io.StringIO(client.get(f"/crises/{code}/matrix.csv").text)))
    cells = {r["item_code"]: r for r in rows}
    assert int(cells["VENT-ICU"]["offered"]) == 160 and int(cells["VENT-ICU"]["accepted"]) == 155
    assert int(cells["MASK-SURG"]["outstanding"]) == 100_000

    # The RFA page: the caption's offered is the sum of the table's Offered column.
    page = client.get(reverse("web:rfa_detail", args=[rfa.pk])).content.decode()
    assert "Offers against this line (160 offered)" in page
    deu_row = page[page.index(f'id="offer-line-{story["deu"].pk}"') :]
    cells_html = deu_row[: deu_row.index("</tr>")]
    # Offered 20, awaiting 0, accepted 20, declined 10, dispatched 20, delivered 18.
    # A numeric cell may carry more attributes (the phone layout's data-label).
    numbers = re.findall(r'<td class="num"[^>]*>([^<]*)<', cells_html)
    assert numbers == ["20", "0", "20", "10", "20", "18"]


def test_sitrep_rows_equal_the_ledger(story, users) -> None:
    from aidbridge.sitreps.figures import compute_figures

    rfa = story["rfa"]
    ledger = crisis_figures(rfa.crisis)
    snapshot = compute_figures(rfa.crisis, since=None)
    requests = {(r["nation"], r["item"]): r for r in snapshot["requests"]}
    assert _pick(requests[("ITA", "VENT-ICU")]) == VENT  # declined units not offered
    assert _pick(requests[("ITA", "MASK-SURG")]) == MASK
    assistance = {(a["donor"], a["item"]): a for a in snapshot["assistance"]}
    for (donor, item), f in ledger.donor_items.items():
        row = assistance[(ledger.parties[donor].code, ledger.items[item].code)]
        assert (row["offered"], row["accepted"], row["dispatched"], row["delivered"]) == (
            f.offered,
            f.accepted,
            f.dispatched,
            f.delivered,
        )
    assert assistance[("DEU", "VENT-ICU")]["offered"] == 20


def test_closed_request_has_nothing_outstanding(crisis, parties, users, items, api) -> None:
    """Spain asks for 20 ventilators, accepts 5 of Germany's, and the centre closes the
    request: requested 20, accepted 5, outstanding 0, shown as closed."""
    rfa = circulated_rfa(crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 20)])
    accept(users["esp"], offer(users["deu"], rfa, 1, 5), 5)
    rfa_services.close_rfa(users["duty"], rfa, RFA.Closure.OVERTAKEN)
    ledger = crisis_figures(crisis)
    assert _pick(ledger.overall) == _f(requested=20, offered=5, accepted=5, outstanding=0)
    assert ledger.overall.closed
    client = Client()
    client.force_login(users["ocha"])
    row = next(csv.DictReader(io.StringIO(client.get(f"/crises/{crisis.code}/matrix.csv").text)))
    assert (row["outstanding"], row["closed"]) == ("0", "yes")
    page = client.get(reverse("web:matrix", args=[crisis.code])).content.decode()
    assert "cov-closed" in page and 'class="num cov-none"' not in page
    lines = api("ocha").get(f"/crises/{crisis.code}/picture", outstanding="true").json()
    assert lines["lines"]["items"] == []


def test_requests_never_circulated_are_not_in_the_picture(crisis, parties, users, items) -> None:
    """Czechia withdraws a draft, and the centre closes a submitted request of Spain's:
    neither was circulated, so neither counts anywhere."""
    draft = circulated_rfa(
        crisis, parties["CZE"], users["cze"], [(items["VENT-ICU"], 7)], status="draft"
    )
    rfa_services.withdraw_rfa(users["cze"], draft, "Found locally")
    submitted = circulated_rfa(
        crisis, parties["ESP"], users["esp"], [(items["MASK-SURG"], 9)], status="submitted"
    )
    rfa_services.close_rfa(users["duty"], submitted, RFA.Closure.OVERTAKEN)
    assert RFA.objects.filter(crisis=crisis, status=RFA.Status.CLOSED).count() == 2
    ledger = crisis_figures(crisis)
    assert ledger.lines == {}
    assert ledger.by_nation == [] and ledger.overall.requested == 0


def test_figures_command_prints_every_consumer_agreeing(story) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("figures", story["rfa"].crisis.code, stdout=out)
    printed = out.getvalue().splitlines()
    api_row = next(row for row in printed if row.startswith("picture API"))
    # requested, offered, accepted, dispatched, delivered, outstanding (story above)
    assert api_row.split()[2:] == ["100,150", "160", "155", "120", "18", "100,000"]
    assert printed[-1] == "all agree"
