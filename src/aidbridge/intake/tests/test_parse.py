"""The parser's parts on their own: quantities, dates, places, nation, priority, and
what it lists as not understood. Pure Python, no database."""

from __future__ import annotations

from datetime import date

import pytest

from aidbridge.intake.context import seed_context
from aidbridge.intake.dates import find_dates
from aidbridge.intake.numbers import find_quantities
from aidbridge.intake.parse import Proposal, parse


def read(text: str, own: str | None = None) -> Proposal:
    return parse(text, seed_context(2020, own))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,5 million", 1_500_000),
        ("150 000", 150_000),
        ("150\u202f000", 150_000),
        ("150,000", 150_000),
        ("150.000", 150_000),
        ("1.5m", 1_500_000),
        ("250k", 250_000),
        ("2 MILLION", 2_000_000),
        ("two hundred", 200),
        ("two hundred and fifty", 250),
        ("a thousand", 1_000),
        ("fifteen thousand", 15_000),
        ("deux cents", 200),
        ("cent cinquante", 150),
        ("vingt-cinq", 25),
        ("quatre-vingt-dix", 90),
        ("soixante-dix-neuf", 79),
        ("deux millions", 2_000_000),
    ],
)
def test_quantities(text: str, value: int) -> None:
    assert [q.value for q in find_quantities(text)] == [value]


@pytest.mark.parametrize("text", ["FFP2", "C-17", "RFA-2020-0007", "0,9", "a mask", "20ml"])
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "value", "needed"),
    [
        ("livraison avant le 10 avril", date(2020, 4, 10), True),
        ("NLT 25 MAR 2020", date(2020, 3, 25), True),
        ("needed by April 14, 2020", date(2020, 4, 14), True),
        ("pour le 1er avril", date(2020, 4, 1), True),
        ("by the 1st of April", date(2020, 4, 1), True),
        ("RDD 11.04.2020", date(2020, 4, 11), True),
        ("deadline 08/04/2020.", date(2020, 4, 8), True),
        ("by the end of April", date(2020, 4, 30), True),
        ("Sent: Monday, 6 April 2020", date(2020, 4, 6), False),
        ("our request of 18 March 2020", date(2020, 3, 18), False),
        ("suite à notre demande du 20 mars", date(2020, 3, 20), False),
    ],
)
def test_dates(text: str, value: date, needed: bool) -> None:
    found = find_dates(text, 2020)
    assert [(d.value, d.needed_by) for d in found] == [(value, needed)]


def test_a_date_without_year_takes_the_crisis_year() -> None:
    assert [d.value for d in find_dates("avant le 10 avril", 2021)] == [date(2021, 4, 10)]


def test_a_decimal_is_not_a_date() -> None:
    assert find_dates("1.5 million masks", 2020) == []


def test_the_example_of_the_issue() -> None:
    proposal = read(
        "L'Italie demande d'urgence 500 respirateurs FFP2 et 150 ventilateurs de réanimation "
        "pour Milan, livraison avant le 10 avril"
    )
    lines = [(ln.item, ln.quantity, ln.needed_by, ln.priority) for ln in proposal.lines]
    assert lines == [
        ("RESP-FFP2", 500, date(2020, 4, 10), 1),
        ("VENT-ICU", 150, date(2020, 4, 10), 1),
    ]
    first = proposal.lines[0]
    assert first.source == "500 respirateurs FFP2"
    assert (first.quantity_words, first.date_words, first.priority_words) == (
        "500",
        "10 avril",
        "urgence",
    )
    assert 0 < first.confidence <= 1
    assert "RESP-FFP3" in first.substitutes or "RESP-N95" in first.substitutes
    assert proposal.nation is not None and proposal.nation.code == "ITA"
    assert proposal.place is not None and proposal.place.code == "LIMC"
    assert proposal.language == "fr"


def test_places() -> None:
    assert (p := read("500 masks, delivery to LEMD").place) and p.code == "LEMD"
    assert (p := read("Spain: 500 masks to Madrid").place) and p.code == "LEMD"
    # A city of the requester's country without a cue; a city abroad only after "to".
    assert (p := read("Bulgaria: 500 masks for hospitals in Sofia").place) and p.code == "LBSF"
    assert read("Italy needs 500 masks. Ask Sofia at the desk.").place is None


def test_nation_by_name_code_or_adjective() -> None:
    for text, code in [
        ("ITA REQUESTS 500 MASKS", "ITA"),
        ("la Macédoine du Nord demande 500 masques", "MKD"),
        ("FM SPANISH MOD: 500 MASKS", "ESP"),
    ]:
        nation = read(text).nation
        assert nation is not None and nation.code == code


def test_priority_words() -> None:
    assert read("Italy requests 500 masks").lines[0].priority == 2
    assert read("URGENT: Italy requests 500 masks").lines[0].priority == 1
    assert read("L'Italie demande en urgence 500 masques").lines[0].priority == 1
    assert read("IMMEDIATE. 500 MASKS").lines[0].priority == 1
    assert read("500 masks, low priority").lines[0].priority == 3


def test_what_is_not_understood_is_listed() -> None:
    proposal = read(
        "Sent: 6 April 2020. Montenegro needs 100,000 masks and 40 widgets within 10 days. "
        "Ventilators may be needed later."
    )
    assert [(ln.item, ln.quantity) for ln in proposal.lines] == [("MASK-SURG", 100_000)]
    kinds = {(u.kind, u.detail) for u in proposal.unclear}
    assert ("other_date", "2020-04-06") in kinds
    assert ("relative_date", "") in kinds
    assert ("item_without_quantity", "VENT-ICU") in kinds
    assert any(
        u.kind == "quantity_without_item" and u.words.startswith("40") for u in proposal.unclear
    )


def test_a_poc_is_told_when_the_message_names_another_nation() -> None:
    proposal = read("France requests 500 masks", own="ITA")
    assert ("other_nation", "FRA") in {(u.kind, u.detail) for u in proposal.unclear}


def test_fuzzy_matching_keeps_alternatives() -> None:
    line = read("pls send 50 ventilaters").lines[0]
    assert line.item == "VENT-ICU" and line.confidence < 1


def test_nothing_to_read() -> None:
    proposal = read("Thank you for your support.")
    assert proposal.lines == () and proposal.unclear == ()
